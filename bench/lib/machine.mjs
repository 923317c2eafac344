/** The machine and versions a run was measured on. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './paths.mjs';

function packageVersion(name) {
  const file = name === '.' ? path.join(repoRoot, 'package.json') : path.join(repoRoot, 'node_modules', name, 'package.json');
  return JSON.parse(readFileSync(file, 'utf8')).version;
}

/** The file system type of `directory` (`findmnt`, else `stat -f`), or `'unknown'`. */
export function fileSystemOf(directory) {
  for (const [command, args] of [
    ['findmnt', ['-n', '-o', 'FSTYPE', '--target', directory]],
    ['stat', ['-f', '-c', '%T', directory]],
  ]) {
    try {
      const type = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (type) return type;
    } catch {
      // Not available here: try the next.
    }
  }
  return 'unknown';
}

/** Machine, load and versions (the Chromium version is added by the browser figures). */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg()[0],
    node: process.version,
    packageVersion: packageVersion('.'),
    esbuild: packageVersion('esbuild'),
    idbKeyval: packageVersion('idb-keyval'),
    playwrightCore: packageVersion('playwright-core'),
  };
}

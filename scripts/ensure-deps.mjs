#!/usr/bin/env node
// Installs what `npm start`, `npm test` and `npm run bench` need on a fresh machine:
// npm packages (`npm ci`: the lock file's versions, without Playwright's browser download: we use Debian's
// Chromium), and —
// with --browser — Chromium itself via apt when it is missing and we may install it.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const root = new URL('../', import.meta.url).pathname;
const lock = `${root}package-lock.json`;
const installed = `${root}node_modules/.package-lock.json`;
const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(installed) || statSync(lock).mtimeMs > statSync(installed).mtimeMs) {
  console.log('Installing npm dependencies (the versions in package-lock.json)…');
  // `npm ci`: exactly the lock's versions, or a clear failure when package.json and the lock
  // have drifted apart. The lock is written from an empty node_modules so that it lists every
  // platform's optional packages (@rollup/rollup-darwin-arm64, …) and `npm ci` accepts it.
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

if (process.argv.includes('--browser')) {
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && !process.env.CHROMIUM_PATH;
    if (canApt) {
      console.log("Chromium is missing: installing Debian's chromium package (apt-get install -y chromium)…");
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', 'chromium']);
    } else {
      console.error(
        `No Chromium at ${chromium}. Install one (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium/Chrome binary.`,
      );
      process.exit(1);
    }
  }
}

/**
 * `npm start` as a person (or a process manager) runs and stops it: the demo serves, and a SIGTERM
 * to npm stops the server too. npm runs the script through a shell that does not pass the signal
 * on, so without demo/server/main.ts watching its parent, `node demo/start.mjs` kept serving.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const repo = path.resolve(import.meta.dirname, '../..');

async function serving(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

test('npm start serves the demo, and SIGTERM to npm stops the server with it', async () => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'identity-vault-demo-start-'));
  const npm = spawn('npm', ['start'], {
    cwd: repo,
    env: { ...process.env, PORT: '0', DEMO_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so the cleanup below reaches a server left behind
  });
  let output = '';
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await expect.poll(() => /http:\/\/localhost:\d+\//.exec(output)?.[0], { timeout: 100_000, message: 'the URL npm start prints' }).toBeTruthy();
    const url = /http:\/\/localhost:\d+\//.exec(output)![0];
    expect(await serving(url)).toBe(true);

    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    npm.kill('SIGTERM');
    await exited;
    await expect.poll(() => serving(url), { timeout: 10_000, message: `${url} still answers after npm stopped` }).toBe(false);
  } finally {
    try {
      process.kill(-npm.pid!, 'SIGKILL'); // whatever of `npm start` is left (a failing run leaves the server)
    } catch {
      // the group is gone: nothing left
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});

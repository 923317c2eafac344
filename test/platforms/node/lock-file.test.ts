import { spawnSync } from 'node:child_process';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLock, isProcessAlive, removeLockLeftovers } from '../../../src/node/lock-file.js';
import { VaultErrorCodes } from 'identity-vault';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(result.stdout);
  expect(isProcessAlive(pid)).toBe(false);
  return pid;
}

async function lockPath() {
  return join(await tempDir(), 'lock');
}

describe('lock file', () => {
  it('is exclusive: a second taker waits until release', async () => {
    const path = await lockPath();
    const first = await acquireLock(path);
    expect(first.brokeStale).toBe(false);
    let secondHeld = false;
    const second = acquireLock(path).then((held) => {
      secondHeld = true;
      return held;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(secondHeld).toBe(false);
    await first.release();
    const held = await second;
    expect(held.brokeStale).toBe(false);
    await held.release();
    expect(await readdir(join(path, '..'))).toEqual([]);
  });

  it('holds pid, host and a token, written whole (never an empty lock file)', async () => {
    const path = await lockPath();
    const held = await acquireLock(path);
    const content = JSON.parse(await readFile(path, 'utf8'));
    expect(content).toMatchObject({ pid: process.pid, host: hostname() });
    expect(typeof content.token).toBe('string');
    await held.release();
  });

  it('gives up with VaultUnavailable while a live holder keeps it', async () => {
    const path = await lockPath();
    const held = await acquireLock(path);
    const started = Date.now();
    await expect(acquireLock(path, { timeoutMs: 200 })).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await held.release();
  });

  it('breaks the lock of a dead process on this host at once', async () => {
    const path = await lockPath();
    await writeFile(path, JSON.stringify({ pid: deadPid(), host: hostname(), token: 'dead' }));
    const started = Date.now();
    const held = await acquireLock(path, { timeoutMs: 1_000 });
    expect(Date.now() - started).toBeLessThan(500);
    expect(held.brokeStale).toBe(true);
    await held.release();
  });

  it('never breaks the lock of a live process on this host, however old (a stopped or hung holder)', async () => {
    const path = await lockPath();
    await writeFile(path, JSON.stringify({ pid: process.pid, host: hostname(), token: 'hung' }));
    const old = new Date(Date.now() - 60_000);
    await utimes(path, old, old);
    await expect(acquireLock(path, { staleMs: 1_000, timeoutMs: 300 })).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ token: 'hung' });
  });

  it('does not judge a lock of another host by its pid, only by age', async () => {
    const path = await lockPath();
    await writeFile(path, JSON.stringify({ pid: deadPid(), host: `not-${hostname()}`, token: 'remote' }));
    await expect(acquireLock(path, { staleMs: 5_000, timeoutMs: 200 })).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    const old = new Date(Date.now() - 10_000);
    await utimes(path, old, old);
    const held = await acquireLock(path, { staleMs: 5_000, timeoutMs: 1_000 });
    expect(held.brokeStale).toBe(true);
    await held.release();
  });

  it('treats an unreadable lock file by age only', async () => {
    const path = await lockPath();
    await writeFile(path, '');
    await expect(acquireLock(path, { staleMs: 5_000, timeoutMs: 150 })).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    const old = new Date(Date.now() - 10_000);
    await utimes(path, old, old);
    await (await acquireLock(path, { staleMs: 5_000, timeoutMs: 1_000 })).release();
  });

  it('touch keeps a long holder from being judged stale', async () => {
    const path = await lockPath();
    const held = await acquireLock(path);
    const old = new Date(Date.now() - 10_000);
    await utimes(path, old, old);
    await held.touch();
    await expect(acquireLock(path, { staleMs: 5_000, timeoutMs: 150 })).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    await held.release();
  });

  it('release leaves alone a lock that someone else took over', async () => {
    const path = await lockPath();
    const held = await acquireLock(path);
    const other = JSON.stringify({ pid: process.pid, host: hostname(), token: 'someone-else' });
    await writeFile(path, other);
    await held.release();
    expect(await readFile(path, 'utf8')).toBe(other);
  });

  it('many takers in one process: one at a time, none starves', async () => {
    const path = await lockPath();
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const held = await acquireLock(path);
        inside++;
        maxInside = Math.max(maxInside, inside);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inside--;
        await held.release();
      }),
    );
    expect(maxInside).toBe(1);
  });

  it('removes side files a killed taker left, once they are old', async () => {
    const path = await lockPath();
    const side = `${path}.abcdef.new`;
    await writeFile(side, '{}');
    await removeLockLeftovers(path);
    expect(await readdir(join(path, '..'))).toEqual(['lock.abcdef.new']);
    const old = new Date(Date.now() - 60_000);
    await utimes(side, old, old);
    await removeLockLeftovers(path);
    expect(await readdir(join(path, '..'))).toEqual([]);
  });
});

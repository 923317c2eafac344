/**
 * Issue 11: a stopped (SIGSTOP) or hung lock holder keeps excluding everyone else. Before, the
 * lock was judged stale after 10 s without a heartbeat even when its process lived, so a process
 * stopped in the middle of counting a wrong guess woke up and overwrote the counter another
 * process had decremented meanwhile: two wrong guesses counted as one. Both lock mechanisms are
 * attacked with a real child process, stopped for longer than `staleMs`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createFileStore } from 'identity-vault/node';
import { createStoreLock } from '../../../src/node/store-lock.js';
import { VaultErrorCodes } from 'identity-vault';
import { finished, here, removeTempDirs, sleep, spawnTs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

function lineFrom(child: ReturnType<typeof spawnTs>, prefix: string): Promise<string> {
  return new Promise((resolve) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith(prefix));
      if (line !== undefined) resolve(line);
    });
  });
}

const decrement = (record: { n?: unknown } | undefined) => ({ n: (record?.n as number) - 1 });

describe.each(['socket', 'file'] as const)('store lock (%s): a stopped holder', (mechanism) => {
  it('keeps excluding others, so two wrong guesses count as two', { timeout: 30_000 }, async () => {
    const directory = await tempDir();
    const lock = { mechanism, staleMs: 300, timeoutMs: 15_000 };
    const store = createFileStore({ directory, lock });
    await store.update('attempts', () => ({ n: 5 }));

    const child = spawnTs(here('children/stalled-guess.ts'), [directory, mechanism], { stdin: 'pipe' });
    const exited = finished(child);
    expect(await lineFrom(child, 'held')).toBe('held 5');
    child.kill('SIGSTOP');

    // This process counts its own wrong guess while the other is stopped with the lock, for
    // several times staleMs.
    let counted = false;
    const mine = store.update('attempts', decrement).then((record) => {
      counted = true;
      return record;
    });
    await sleep(1_500);
    expect(counted).toBe(false);

    child.kill('SIGCONT');
    child.stdin?.write('go\n');
    expect(await mine).toEqual({ n: 3 });
    expect(await exited).toMatchObject({ code: 0 });
    expect(await store.get('attempts')).toEqual({ n: 3 });
  });

  it('is released by the OS the moment the holder is killed', { timeout: 20_000 }, async () => {
    const directory = await tempDir();
    const store = createFileStore({ directory, lock: { mechanism } });
    await store.update('attempts', () => ({ n: 5 }));
    const child = spawnTs(here('children/stalled-guess.ts'), [directory, mechanism], { stdin: 'pipe' });
    const exited = finished(child);
    await lineFrom(child, 'held');
    child.kill('SIGSTOP');
    await expect(createStoreLock(directory, { mechanism, timeoutMs: 300 }).acquire()).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    child.kill('SIGKILL');
    await exited;
    const started = Date.now();
    expect(await store.update('attempts', decrement)).toEqual({ n: 4 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

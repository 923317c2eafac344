/** Several processes on one store: nothing lost, and a killed lock holder does not block anyone. */
import { afterAll, expect, it } from 'vitest';
import { createFileStore } from 'identity-vault/node';
import { createStoreLock } from '../../../src/node/store-lock.js';
import { VaultErrorCodes } from 'identity-vault';
import { finished, here, removeTempDirs, spawnTs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

it('two processes writing at once lose nothing', { timeout: 40_000 }, async () => {
  const directory = await tempDir();
  const count = 100;
  const started = Date.now();
  const results = await Promise.all(['0', '1'].map((id) => finished(spawnTs(here('children/writer.ts'), [directory, id, String(count)]))));
  for (const result of results) expect(result).toMatchObject({ code: 0, stderr: '' });
  const store = createFileStore({ directory });
  expect(await store.get('counter')).toEqual({ n: 2 * count });
  for (const id of ['0', '1']) {
    const keys = await store.keys(`w${id}/`);
    expect(keys.length).toBe(count);
  }
  console.info(`[processes] 2 × ${count} updates + ${count} commits in ${Date.now() - started} ms`);
});

it('a lock held by a process killed with SIGKILL is broken at once', { timeout: 20_000 }, async () => {
  const directory = await tempDir();
  const store = createFileStore({ directory });
  await store.commit({ put: [['a', { n: 1 }]] });
  const child = spawnTs(here('children/hold-lock.ts'), [directory]);
  const done = finished(child);
  await new Promise<void>((resolve) => child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve()));
  // While it lives, the lock holds.
  await expect(createStoreLock(directory, { timeoutMs: 300 }).acquire()).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
  child.kill('SIGKILL');
  await done;
  const before = Date.now();
  await store.commit({
    put: [
      ['a', { n: 2 }],
      ['b', { n: 3 }],
    ],
  });
  expect(Date.now() - before).toBeLessThan(1_000);
  expect(await store.get('a')).toEqual({ n: 2 });
});

/**
 * A Node `storeValue` skips the engine's re-read of the meta (vault-engine.ts, vault-state.ts
 * `storeValueIfCurrent`): its commit is guarded on the stored meta being the one the vault holds.
 * Two plugins on one directory stand for two processes (each has its own file store and engine).
 * After another process changed the vault, a write must do what it did when it re-read first.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { VaultErrorCodes, type IdentityVault, type LockEvent } from 'identity-vault';
import { createFileStore, createNodePlatform } from 'identity-vault/node';
import { createPlugin } from 'identity-vault/platform';
import type { SecretStore } from '../../../src/core/ports.js';
import { removeTempDirs, tempDir, vaultOfAnotherProcess } from './helpers.js';

afterAll(removeTempDirs);

const descriptor = { vaultId: 'app', username: 'ada' };
const META = 'iv1/app/ada/meta';

/** A vault on `directory` whose store counts reads of the meta record outside commits. */
function countingVault(directory: string, onLock?: (event: LockEvent) => void): { vault: IdentityVault; metaReads: () => number } {
  const platform = createNodePlatform({ directory, kdfIterations: 600_000 });
  let reads = 0;
  const inner = platform.store;
  const store: SecretStore = {
    get: (key) => {
      if (key === META) reads++;
      return inner.get(key);
    },
    keys: (prefix) => inner.keys(prefix),
    hasPrefix: (prefix) => inner.hasPrefix(prefix),
    commit: (change) => inner.commit(change),
    update: (key, update) => inner.update(key, update),
  };
  const vault = createPlugin({ ...platform, store }).getVault({ ...descriptor, ...(onLock ? { onLock } : {}) });
  return { vault, metaReads: () => reads };
}

const secondProcess = (directory: string): Promise<IdentityVault> => vaultOfAnotherProcess(directory, descriptor);

describe('node storeValue without the meta re-read', () => {
  it('an unlocked vault writes without reading the meta first; other operations still re-read it', async () => {
    const directory = await tempDir();
    const { vault, metaReads } = countingVault(directory);
    await vault.storeValue('k', 1); // the first write creates the data key (the usual path)
    const before = metaReads();
    for (let i = 0; i < 5; i++) await vault.storeValue('k', i);
    expect(metaReads()).toBe(before);
    expect(await vault.getValue('k')).toBe(4);
    expect(metaReads()).toBe(before + 1);
    // The meta rewritten by another process with the same content: still current.
    const store = createFileStore({ directory });
    await store.commit({ put: [[META, (await store.get(META))!]] });
    await vault.storeValue('k', 5);
    expect(metaReads()).toBe(before + 1);
    expect(await (await secondProcess(directory)).getValue('k')).toBe(5);
  });

  it('after another process cleared the vault, a write starts a new data key, as with the re-read', async () => {
    const directory = await tempDir();
    const { vault } = countingVault(directory);
    await vault.storeValue('old', 1);
    const other = await secondProcess(directory);
    await other.clear();
    await vault.storeValue('new', 2);
    expect(await vault.getValue('new')).toBe(2);
    expect(await vault.getValue('old')).toBeUndefined();
    expect(await other.isLocked()).toBe(true); // the other process finds a new data key, to unlock before use
  });

  it('after another process re-keyed the vault, a write is VaultLocked, locks this vault and writes nothing', async () => {
    const directory = await tempDir();
    const locks: LockEvent[] = [];
    const { vault } = countingVault(directory, (event) => locks.push(event));
    await vault.storeValue('k', 1);
    const other = await secondProcess(directory);
    await other.setPasscodeEnabled(true);
    await other.setPasscode('2468'); // a new data key, every value re-encrypted
    await expect(vault.storeValue('k', 2)).rejects.toMatchObject({ code: VaultErrorCodes.VaultLocked });
    expect(locks).toEqual([{ saved: true, timeout: false }]);
    expect(await vault.isLocked()).toBe(true);
    expect(await other.getValue('k')).toBe(1);
    await vault.unlock(true, '2468');
    await vault.storeValue('k', 3);
    expect(await other.getValue('k')).toBe(3);
  });

  it('after another process enabled a passcode not yet set, a write is MissingPasscode, as with the re-read', async () => {
    const directory = await tempDir();
    const { vault } = countingVault(directory);
    await vault.storeValue('k', 1);
    const other = await secondProcess(directory);
    await other.setPasscodeEnabled(true); // same data key, passcode still to set
    await expect(vault.storeValue('k', 2)).rejects.toMatchObject({ code: VaultErrorCodes.MissingPasscode });
    expect(await other.getValue('k')).toBe(1);
  });

  it('while another process rotates the key (its mark is live), a write is VaultLocked and writes nothing', async () => {
    const directory = await tempDir();
    const { vault } = countingVault(directory);
    await vault.storeValue('k', 1);
    const store = createFileStore({ directory });
    const meta = (await store.get(META)) as { kid: string };
    await store.commit({ put: [[META, { ...meta, rekeying: { kid: 'next', at: Date.now() } }]] });
    const error = await vault.storeValue('k', 2).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: VaultErrorCodes.VaultLocked });
    expect((error as Error).message).toContain('changing how this vault is protected');
    await store.commit({ put: [[META, meta]] }); // the rotation "ends" without a new key
    expect(await vault.getValue('k')).toBe(1);
    await vault.storeValue('k', 3);
    expect(await vault.getValue('k')).toBe(3);
  });

  it('a locked vault still re-reads first: another process clearing it lets this one write, as before', async () => {
    const directory = await tempDir();
    const { vault } = countingVault(directory);
    await vault.storeValue('k', 1);
    await vault.lock();
    await (await secondProcess(directory)).clear();
    await vault.storeValue('k', 2); // the cleared vault has no key: nothing to unlock
    expect(await vault.getValue('k')).toBe(2);
  });
});

/**
 * Data-key rotation (issue 11): what a change of protection costs when every value is
 * re-encrypted under a new data key in one IndexedDB transaction, at 10, 1,000 and 10,000 values of
 * 1 KB, against idb-keyval `setMany` of the same values (one transaction, durability 'strict').
 * The timed change is turning the passcode off (a rotation with no KDF in it); each round turns it
 * back on untimed.
 */
import { setMany } from 'idb-keyval';
import { bindingData, generateDataKey, open, seal, type Sealed } from '../../src/core/envelope.js';
import { utf8 } from '../../src/core/bytes.js';
import type { StoredRecord } from '../../src/core/ports.js';
import { createWebCrypto } from '../../src/shared/web-crypto.js';
import { IdbConnection } from '../../src/web/idb-connection.js';
import { IndexedDbStore } from '../../src/web/indexeddb-store.js';
import { keyvalStoreWithDurability } from './baselines.js';
import { interleave, timeOnce, type Samples } from './timing.js';
import type { Rounds } from './unlock-figures.js';
import { VALUE_1KB } from './values.js';
import { PASSCODE, deleteDatabase, fillVault, openVault } from './vaults.js';

export const ROTATION_SIZES = [10, 1000, 10000] as const;

export async function rotationBySize(options: Rounds): Promise<Samples<string>> {
  const out: Record<string, number[]> = {};
  for (const count of ROTATION_SIZES) {
    const name = `bench-rotation-${count}`;
    await deleteDatabase(name);
    await deleteDatabase(`${name}-keyval`);
    const vault = await openVault(name, { vaultId: 'bench', username: `rotation-${count}` });
    await fillVault(vault, count, () => VALUE_1KB, 'passcode');
    const store = keyvalStoreWithDurability(`${name}-keyval`, 'strict');
    const entries: Array<[IDBValidKey, unknown]> = Array.from({ length: count }, (_, i) => [`value-${i}`, VALUE_1KB]);
    const samples = await interleave(
      {
        vault: async () => {
          const ms = await timeOnce(() => vault.setPasscodeEnabled(false));
          await vault.setPasscodeEnabled(true);
          await vault.setPasscode(PASSCODE);
          return ms;
        },
        keyval: () => timeOnce(() => setMany(entries, store)),
      },
      options,
    );
    out[`vault:${count}`] = samples.vault;
    out[`keyval:${count}`] = samples.keyval;
  }
  return out;
}

type RotationSteps = 'keyval' | 'whole' | 'mark' | 'read' | 'reencrypt' | 'write';

/**
 * Where a rotation of `count` values goes, each step timed alone with the vault's own parts
 * (`IndexedDbStore`, the envelope), interleaved with idb-keyval `setMany` of the same values: the
 * mark (one guarded strict commit of the meta record), the read of every value record (one
 * `entries` transaction), the re-encryption (AES-GCM open + seal of each value, in parallel
 * batches of 64 as `reencryptValues` in `src/core/key-rotation.ts` runs them), and the final commit
 * (every record + meta, one guarded strict transaction); and the whole rotation as the figure
 * above times it, on a vault of the same size.
 */
export async function rotationBreakdown(options: Rounds & { count: number }): Promise<Samples<RotationSteps>> {
  const name = 'bench-rotation-steps';
  await deleteDatabase(name);
  await deleteDatabase(`${name}-keyval`);
  const store = new IndexedDbStore(new IdbConnection(name));
  const port = createWebCrypto();
  const oldKey = await generateDataKey(port);
  const newKey = await generateDataKey(port);
  const plaintext = utf8(JSON.stringify(VALUE_1KB));
  const prefix = 'iv1/bench/steps/v/';
  const binding = (storeKey: string) => bindingData('value', 'bench', 'steps', storeKey.slice(prefix.length));
  const records: Array<readonly [string, StoredRecord]> = [];
  for (let i = 0; i < options.count; i++) {
    const key = `${prefix}value-${i}`;
    records.push([key, { v: 1, ...(await seal(port, oldKey, plaintext, binding(key))) }]);
  }
  await store.commit({ put: [['meta', { kid: 'k' }], ...records] });
  await deleteDatabase(`${name}-vault`);
  const vault = await openVault(`${name}-vault`, { vaultId: 'bench', username: 'rotation-steps' });
  await fillVault(vault, options.count, () => VALUE_1KB, 'passcode');
  const guard = { key: 'meta', test: (meta: StoredRecord | undefined) => meta?.['kid'] === 'k' };
  const keyvalStore = keyvalStoreWithDurability(`${name}-keyval`, 'strict');
  const entries: Array<[IDBValidKey, unknown]> = Array.from({ length: options.count }, (_, i) => [`value-${i}`, VALUE_1KB]);
  const reencrypt = async () => {
    const all = await store.entries(prefix);
    for (let i = 0; i < all.length; i += 64) {
      await Promise.all(
        all.slice(i, i + 64).map(async ([key, record]) => {
          const opened = await open(port, oldKey, record as unknown as Sealed, binding(key));
          return seal(port, newKey, opened, binding(key));
        }),
      );
    }
  };
  return interleave(
    {
      keyval: () => timeOnce(() => setMany(entries, keyvalStore)),
      whole: async () => {
        const ms = await timeOnce(() => vault.setPasscodeEnabled(false));
        await vault.setPasscodeEnabled(true);
        await vault.setPasscode(PASSCODE);
        return ms;
      },
      mark: () => timeOnce(() => store.commit({ guard, put: [['meta', { kid: 'k', rekeying: { kid: 'n', at: 0 } }]] })),
      read: () => timeOnce(() => store.entries(prefix)),
      // Includes its own read: `reencrypt` minus `read` is the crypto.
      reencrypt: () => timeOnce(reencrypt),
      write: () => timeOnce(() => store.commit({ guard, put: [['meta', { kid: 'k' }], ...records] })),
    },
    options,
  );
}

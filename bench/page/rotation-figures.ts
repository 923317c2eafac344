/**
 * Data-key rotation (issue 11): what a change of protection costs when every value is
 * re-encrypted under a new data key in one IndexedDB transaction, at 10, 1,000 and 10,000 values of
 * 1 KB, against idb-keyval `setMany` of the same values (one transaction, durability 'strict').
 * The timed change is turning the passcode off (a rotation with no KDF in it); each round turns it
 * back on untimed.
 */
import { setMany } from 'idb-keyval';
import { bindingData, generateDataKey, open, sealBytes, unwrapDataKey, wrapDataKey, type SealedStored } from '../../src/core/envelope.js';
import { utf8 } from '../../src/core/bytes.js';
import type { StoredRecord } from '../../src/core/ports.js';
import { createWebCrypto } from '../../src/shared/web-crypto.js';
import { IdbConnection } from '../../src/web/idb-connection.js';
import { IndexedDbStore } from '../../src/web/indexeddb-store.js';
import { IndexedDbDeviceKey } from '../../src/web/device-key.js';
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

type RotationSteps = 'keyval' | 'whole' | 'markRead' | 'crypto' | 'deviceKey' | 'write' | 'check';

/**
 * Where a rotation of `count` values goes, each step timed alone with the vault's own parts
 * (`IndexedDbStore`, `IndexedDbDeviceKey`, the envelope), interleaved with idb-keyval `setMany` of
 * the same values, in the order `rotateDataKey` (`src/core/key-rotation.ts`) runs them:
 * - `markRead`: the mark (one guarded relaxed commit of the meta record) that reads every value
 *   record in the same transaction (`IndexedDbStore.commitThenRead`);
 * - `crypto`: AES-GCM open + seal of each value (in batches of 64, as `reencryptRecords`), on
 *   records read beforehand;
 * - `deviceKey`: a new device key (generated, then one strict write to the `keys` store), which the
 *   timed change (turning the passcode off) needs because setting the passcode deleted the old one;
 *   it runs beside `markRead` and `crypto`;
 * - `write`: the final commit, every record + meta, one guarded strict transaction;
 * - `check`: after the commit, the device key read again and the new device wrap opened with it
 *   (`deviceWrapStillOpens`: another tab may have deleted the key meanwhile);
 * and the whole rotation as the figure above times it, on a vault of the same size.
 */
export async function rotationBreakdown(options: Rounds & { count: number }): Promise<Samples<RotationSteps>> {
  const name = `bench-rotation-steps-${options.count}`;
  await deleteDatabase(name);
  await deleteDatabase(`${name}-keyval`);
  const connection = new IdbConnection(name);
  const store = new IndexedDbStore(connection);
  const deviceKey = new IndexedDbDeviceKey(connection);
  const port = createWebCrypto();
  const oldKey = await generateDataKey(port);
  const newKey = await generateDataKey(port);
  const plaintext = utf8(JSON.stringify(VALUE_1KB));
  const prefix = 'iv1/bench/steps/v/';
  const binding = (storeKey: string) => bindingData('value', 'bench', 'steps', storeKey.slice(prefix.length));
  const records: Array<readonly [string, StoredRecord]> = [];
  for (let i = 0; i < options.count; i++) {
    const key = `${prefix}value-${i}`;
    records.push([key, { v: 1, ...(await sealBytes(port, oldKey, plaintext, binding(key))) }]); // as the vault writes them: bytes
  }
  await store.commit({ put: [['meta', { kid: 'k' }], ...records] });
  const wrapKey = await deviceKey.get({ create: true });
  const wrapBinding = bindingData('wrap', 'device', 'bench', 'steps', 'k');
  // The device wrap the check opens: made again under each new device key (untimed).
  let wrap = await wrapDataKey(port, newKey, wrapKey!, wrapBinding);
  await deleteDatabase(`${name}-vault`);
  const vault = await openVault(`${name}-vault`, { vaultId: 'bench', username: 'rotation-steps' });
  await fillVault(vault, options.count, () => VALUE_1KB, 'passcode');
  const guard = { key: 'meta', test: (meta: StoredRecord | undefined) => meta?.['kid'] === 'k' };
  const keyvalStore = keyvalStoreWithDurability(`${name}-keyval`, 'strict');
  const entries: Array<[IDBValidKey, unknown]> = Array.from({ length: options.count }, (_, i) => [`value-${i}`, VALUE_1KB]);
  const read = await store.entries(prefix);
  const reencrypt = async () => {
    for (let i = 0; i < read.length; i += 64) {
      await Promise.all(
        read.slice(i, i + 64).map(async ([key, record]) => {
          const opened = await open(port, oldKey, record as unknown as SealedStored, binding(key));
          return sealBytes(port, newKey, opened, binding(key));
        }),
      );
    }
  };
  const mark = { guard, put: [['meta', { kid: 'k', rekeying: { kid: 'n', at: 0 } }] as const], durability: 'relaxed' as const };
  return interleave(
    {
      keyval: () => timeOnce(() => setMany(entries, keyvalStore)),
      whole: async () => {
        const ms = await timeOnce(() => vault.setPasscodeEnabled(false));
        await vault.setPasscodeEnabled(true);
        await vault.setPasscode(PASSCODE);
        return ms;
      },
      markRead: () => timeOnce(() => store.commitThenRead(mark, prefix, () => undefined)),
      crypto: () => timeOnce(reencrypt),
      deviceKey: async () => {
        await deviceKey.delete();
        let created: CryptoKey | undefined;
        const ms = await timeOnce(async () => (created = await deviceKey.get({ create: true })));
        wrap = await wrapDataKey(port, newKey, created!, wrapBinding);
        return ms;
      },
      write: () => timeOnce(() => store.commit({ guard, put: [['meta', { kid: 'k' }], ...records] })),
      check: () => timeOnce(async () => unwrapDataKey(port, wrap, (await deviceKey.get({ create: false }))!, wrapBinding)),
    },
    options,
  );
}

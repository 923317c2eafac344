/**
 * A PROTOTYPE, in the bench only (issue 16): the ways a rotation of a small vault can check what it
 * overwrites, with no vault around it, if the tab already held every value's ciphertext (a
 * "mirror"), so the re-encryption does not wait for the transaction's reads. The vault does the
 * `mirrorFirst` way with the values it holds decrypted, checked by fingerprint
 * (src/core/known-values.ts); the other ways are not shipped. Each way is one strict
 * IndexedDB transaction over the records and the device key, like the rotation's, on records sealed
 * as the vault seals them, timed with the re-encryption from the mirror, interleaved with idb-keyval
 * `setMany` of the same values:
 * - `today`: the transaction in parts (`IndexedDbStore.rewrite` without `early`: reads, then
 *   re-encryption), as a rotation of values the tab does not hold runs;
 * - `mirrorReread`: re-encrypt from the mirror while the transaction reads every record again; the
 *   records read must equal the mirror byte for byte, else it aborts (a real one would fall back to
 *   `today`); then puts, meta, device key and `commit()` in one callback;
 * - `mirrorFirst`: re-encrypt from the mirror, then open the transaction and issue everything at
 *   once (the reads first, so they see the state before the puts), `commit()` in the last read's
 *   callback once the records equal the mirror;
 * - `mirrorVersion`: as `mirrorFirst`, but checking one version record instead of every record;
 *   this is only safe if EVERY readwrite transaction on the database (every tab, every release)
 *   also puts a new version, so its cost on a single guarded store is measured too:
 *   `storeGuarded` (the store's commit) against `storeGuardedVersion` (the same, plus the version put).
 * Every round writes back the records sealed under the old key (same sizes), so the mirror stays
 * right and each round does the same work.
 */
import { setMany } from 'idb-keyval';
import { bindingData, open, sealBytes, wrapDataKey, type SealedStored } from '../../src/core/envelope.js';
import type { StoredRecord } from '../../src/core/ports.js';
import { KEYS_STORE, RECORDS_STORE } from '../../src/web/idb-connection.js';
import { prefixRange } from '../../src/web/prefix-range.js';
import { keyvalStoreWithDurability } from './baselines.js';
import { sealedRecords } from './sealed-records.js';
import { interleave, timeOnce, type Samples } from './timing.js';
import type { Rounds } from './unlock-figures.js';
import { VALUE_1KB } from './values.js';

type MirrorSides = 'keyval' | 'today' | 'mirrorReread' | 'mirrorFirst' | 'mirrorVersion' | 'storeGuarded' | 'storeGuardedVersion';

const DEVICE_KEY = 'device-key';
const VERSION = 'version';

/** Whether two stored value records hold the same bytes. */
function sameRecord(a: StoredRecord | undefined, b: StoredRecord | undefined): boolean {
  const bytes = (record: StoredRecord | undefined, field: 'iv' | 'ct') => (record as Record<string, unknown> | undefined)?.[field] as Uint8Array | undefined;
  for (const field of ['iv', 'ct'] as const) {
    const x = bytes(a, field);
    const y = bytes(b, field);
    if (!x || !y || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}

/** The prototype's figures at `options.count` values (see the module's header). */
export async function rotationMirror(options: Rounds & { count: number }): Promise<Samples<MirrorSides>> {
  const name = `bench-rotation-mirror-${options.count}`;
  // Key order = mirror order.
  const sealed = await sealedRecords(name, 'mirror', options.count, (i) => `value-${String(i).padStart(6, '0')}`);
  const { connection, store, deviceKeys, port, oldKey, newKey, prefix, binding } = sealed;
  const mirror = sealed.records;
  const meta = { kid: 'k' };
  await store.commit({ put: [['meta', meta], [VERSION, { n: 0 }], ...mirror] });
  const guard = { key: 'meta', test: (stored: StoredRecord | undefined) => stored?.['kid'] === 'k' };
  const keyvalStore = keyvalStoreWithDurability(`${name}-keyval`, 'strict');
  const entries: Array<[IDBValidKey, unknown]> = Array.from({ length: options.count }, (_, i) => [`value-${i}`, VALUE_1KB]);
  const wrapBinding = bindingData('wrap', 'device', 'bench', 'mirror', 'k');

  // Open and seal every mirrored record under the new key; what goes back is the old record (same size).
  const reencryptMirror = async (): Promise<Array<readonly [string, StoredRecord]>> => {
    await Promise.all(
      mirror.map(async ([key, record]) => sealBytes(port, newKey, await open(port, oldKey, record as unknown as SealedStored, binding(key)), binding(key))),
    );
    return mirror;
  };
  const prepared = () => {
    const fresh = port.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']) as Promise<CryptoKey>;
    return { fresh, wrapped: fresh.then((key) => wrapDataKey(port, newKey, key, wrapBinding)) };
  };
  /** Issues the writes of a rotation: the values, the meta, the new device key. */
  const putAll = (records: IDBObjectStore, keys: IDBObjectStore, values: ReadonlyArray<readonly [string, StoredRecord]>, deviceKey: CryptoKey) => {
    for (const [key, record] of values) records.put(record, key);
    records.put(meta, 'meta');
    keys.add(deviceKey, DEVICE_KEY);
  };
  let version = 0;
  const rotateFromMirror = (how: 'reread' | 'first' | 'version') => async () => {
    await deviceKeys.delete();
    return timeOnce(async () => {
      const { fresh, wrapped } = prepared();
      let sealed = false;
      const sealing = reencryptMirror().then(() => (sealed = true));
      if (how !== 'reread') await sealing;
      const [deviceKey] = await Promise.all([fresh, wrapped]);
      const expected = version;
      if (how === 'version') version++;
      const ok = await connection.run<boolean>([RECORDS_STORE, KEYS_STORE], 'readwrite', false, (records, result) => {
        const keys = records.transaction.objectStore(KEYS_STORE);
        const commit = () => {
          result.value = true;
          result.commitNow();
        };
        // The guard and the device key as the rotation reads them: a failed guard, or a device key
        // already there, aborts (a real rotation would take today's path then).
        const guardRead = records.get(guard.key);
        guardRead.onsuccess = () => void (guard.test(guardRead.result as StoredRecord | undefined) || result.abort(false));
        const keyRead = keys.getKey(DEVICE_KEY);
        keyRead.onsuccess = () => void (keyRead.result === undefined || result.abort(false));
        if (how === 'version') {
          // Issued before the writes, so it sees the version before them.
          const read = records.get(VERSION);
          putAll(records, keys, mirror, deviceKey);
          records.put({ n: version }, VERSION);
          read.onsuccess = () => ((read.result as { n?: unknown } | undefined)?.n === expected ? commit() : result.abort(false));
          return;
        }
        const range = prefixRange(prefix);
        const keysRead = records.getAllKeys(range);
        const valuesRead = records.getAll(range);
        if (how === 'first') putAll(records, keys, mirror, deviceKey);
        valuesRead.onsuccess = () => {
          const read = valuesRead.result as StoredRecord[];
          const same = read.length === mirror.length && keysRead.result.every((key, i) => key === mirror[i]![0] && sameRecord(read[i], mirror[i]![1]));
          if (!same) return result.abort(false);
          if (how === 'first') return commit();
          // `reread`: the re-encryption began with the transaction; the puts wait for it.
          const writeOrWait = () => {
            if (sealed) {
              putAll(records, keys, mirror, deviceKey);
              return commit();
            }
            const ping = records.getKey('meta');
            ping.onsuccess = writeOrWait;
          };
          writeOrWait();
        };
      });
      if (!ok) throw new Error('the prototype found the records changed: it would have fallen back');
    });
  };
  const today = async () => {
    await deviceKeys.delete();
    return timeOnce(async () => {
      const { fresh, wrapped } = prepared();
      const parts: Array<Promise<Array<readonly [string, StoredRecord]>>> = [];
      const done = await store.rewrite(
        { guard, prefix, deviceKey: true },
        (part) => {
          const sealed = Promise.all(
            part.map(async ([key, record]) => {
              await sealBytes(port, newKey, await open(port, oldKey, record as unknown as SealedStored, binding(key)), binding(key));
              return [key, record] as const;
            }),
          );
          parts.push(sealed);
          return sealed;
        },
        async (found) => {
          if (found.deviceKey) await wrapDataKey(port, newKey, found.deviceKey, wrapBinding);
          else await wrapped;
          return { change: { put: [['meta', meta]] }, ...(found.deviceKey ? {} : { deviceKey: await fresh }) };
        },
      );
      if (!done || (await Promise.all(parts)).flat().length !== mirror.length) throw new Error('the rotation transaction did not commit');
    });
  };
  const one = mirror[0]!;
  return interleave(
    {
      keyval: () => timeOnce(() => setMany(entries, keyvalStore)),
      today,
      mirrorReread: rotateFromMirror('reread'),
      mirrorFirst: rotateFromMirror('first'),
      mirrorVersion: rotateFromMirror('version'),
      storeGuarded: () => timeOnce(() => store.commit({ guard, put: [one] })),
      storeGuardedVersion: () => timeOnce(() => store.commit({ guard, put: [one, [VERSION, { n: ++version }]] })),
    },
    options,
  );
}

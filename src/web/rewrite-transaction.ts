/**
 * The transaction of `IndexedDbStore.rewrite` (key rotation, see core/key-rotation.ts), loaded on
 * first use: ONE strict readwrite transaction that checks a guard, reads every record under a
 * prefix (in parts, handed over as they arrive, so the caller re-encrypts one part while the next
 * is read) and the device key, stays open while the caller's `finish` works, then writes what
 * `finish` resolved and commits. Each part's re-encrypted records are put as soon as they are
 * ready, so the storage writes one part while the page re-encrypts the next.
 *
 * Why one transaction: readwrite transactions over a store run one after another (IndexedDB 3.0
 * §2.7.2), so no other tab can write between this read and this write — a value written
 * meanwhile would otherwise be lost (overwritten with the value read before) or left under the old
 * key. Other tabs' writes wait for it and then fail their key-id guard, as after any rotation.
 *
 * How it stays open: a transaction commits on its own once no request is pending when control
 * returns to the event loop, and `finish` awaits WebCrypto. So while `finish` runs, one small read
 * (the guard's record) is always in flight; its success handler issues the next, or the writes
 * once `finish` has resolved. A page closed meanwhile aborts the transaction: nothing is written.
 */
import { unavailable } from '../core/errors.js';
import type { StoreCommit, StoredRecord } from '../core/ports.js';
import { DEVICE_KEY_ID, KEYS_STORE, type TransactionBody, type TransactionResult } from './idb-connection.js';
import { applyWrites, readGuard } from './indexeddb-store.js';
import { prefixRange } from './prefix-range.js';

/** What `finish` resolves: the writes, and a device key to store when the transaction found none. */
type Finished = { readonly change: StoreCommit; readonly deviceKey?: CryptoKey };

/** The body of the transaction, over the records store (and the keys store when `options.deviceKey`). */
export function rewriteBody(
  options: { readonly guard: NonNullable<StoreCommit['guard']>; readonly prefix: string; readonly deviceKey?: boolean },
  onRecords: (records: Array<[string, StoredRecord]>) => Promise<ReadonlyArray<readonly [string, StoredRecord]>> | void,
  finish: (found: { readonly deviceKey?: CryptoKey }) => Promise<Finished>,
): TransactionBody<boolean> {
  return (store, result) => {
    const { guard } = options;
    const keys = options.deviceKey ? store.transaction.objectStore(KEYS_STORE) : undefined;
    let deviceKey: CryptoKey | undefined;
    // Requests answer in the order they were issued: the guard first, then the device key, then the parts.
    readGuard(store, guard, result, false);
    if (keys) {
      const read = keys.get(DEVICE_KEY_ID);
      read.onsuccess = () => {
        const stored: unknown = read.result;
        if (stored === undefined || (typeof CryptoKey !== 'undefined' && stored instanceof CryptoKey)) deviceKey = stored;
        else result.fail(unavailable('the stored device key is not an AES-GCM CryptoKey'));
      };
    }
    // A part's own writes (its records re-encrypted) are put as soon as they are ready, at the next
    // request callback (the transaction is active only there): the storage writes one part while
    // the page re-encrypts the next.
    const ready: Array<ReadonlyArray<readonly [string, StoredRecord]>> = [];
    let partFailed: { error: unknown } | undefined;
    /** Puts what is ready; false when the transaction failed. Only inside a request callback. */
    const flush = (): boolean => {
      if (partFailed) {
        result.fail(partFailed.error);
        return false;
      }
      try {
        for (const puts of ready.splice(0)) for (const [key, record] of puts) store.put(record, key);
      } catch (error) {
        result.fail(unavailable('IndexedDB request failed', { cause: error }));
        return false;
      }
      return true;
    };
    const onPart = (records: Array<[string, StoredRecord]>) => {
      onRecords(records)?.then(
        (puts) => void ready.push(puts),
        (error: unknown) => void (partFailed ??= { error }),
      );
      flush();
    };
    let finished: { done: Finished } | { error: unknown } | undefined;
    const keepOpen = () => {
      const ping = store.get(guard.key);
      ping.onsuccess = () => {
        if (!flush()) return;
        if (finished === undefined) return keepOpen();
        if ('error' in finished) return result.fail(finished.error);
        write(finished.done);
      };
    };
    const write = ({ change, deviceKey: fresh }: Finished) => {
      if (!flush()) return;
      try {
        applyWrites(store, change);
        if (keys && deviceKey === undefined && fresh !== undefined) keys.add(fresh, DEVICE_KEY_ID);
      } catch (error) {
        result.fail(unavailable('IndexedDB request failed', { cause: error }));
        return;
      }
      result.value = true;
      result.commitNow();
    };
    // Once every part was handed over (the guard and the device key answered before them):
    // `finish` runs while the transaction is kept open.
    readInParts(store, options.prefix, onPart, result, () => {
      finish({ deviceKey }).then(
        (done) => (finished = { done }),
        (error: unknown) => (finished = { error }),
      );
      keepOpen();
    });
  };
}

/** Records per part of {@link readInParts}: the page works on one while the browser reads the next. */
const READ_PART = 256;

/**
 * Every record under `prefix`, in parts of {@link READ_PART} in key order: all the keys and the
 * first part at once (a small vault is read in one round trip), then one `getAll` per further part
 * of the keys, bounded by its first and last key (one transaction: no other key can appear between).
 * `delivered` is called once the last part was handed over.
 */
function readInParts<T>(
  store: IDBObjectStore,
  prefix: string,
  onRecords: (records: Array<[string, StoredRecord]>) => void,
  result: TransactionResult<T>,
  delivered: () => void,
): void {
  const range = prefixRange(prefix);
  const keysRequest = store.getAllKeys(range);
  const first = store.getAll(range, READ_PART);
  let left = 0;
  const deliver = (keys: IDBValidKey[], request: IDBRequest<unknown[]>) => {
    left++;
    request.onsuccess = () => {
      const records = request.result as StoredRecord[];
      try {
        onRecords(keys.map((key, i) => [String(key), records[i]!]));
      } catch (error) {
        result.fail(error);
        return;
      }
      if (--left === 0) delivered();
    };
  };
  // Requests answer in order: the keys come before any part, so each part's handler is set in time.
  keysRequest.onsuccess = () => {
    const keys = keysRequest.result;
    deliver(keys.slice(0, READ_PART), first);
    for (let i = READ_PART; i < keys.length; i += READ_PART) {
      const part = keys.slice(i, i + READ_PART);
      deliver(part, store.getAll(IDBKeyRange.bound(part[0], part[part.length - 1])));
    }
  };
}

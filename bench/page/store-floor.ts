/**
 * Raw IndexedDB transactions for the bench pages, and the floor of one `storeValue`: what any
 * encrypted store that keeps the vault's guarantees must do, with no vault code around it.
 */
import { bindingData, generateDataKey, sealBytes } from '../../src/core/envelope.js';
import { utf8 } from '../../src/core/bytes.js';
import { createWebCrypto } from '../../src/shared/web-crypto.js';
import { VALUE_1KB } from './values.js';
import { deleteDatabase } from './vaults.js';

/** One readwrite transaction per call on a raw database, resolved on `complete`. */
export type RawTransaction = (body: (store: IDBObjectStore, tx: IDBTransaction) => void) => Promise<void>;

/** A new database `name` with one object store, `records`; each call runs one readwrite transaction with `durability`. */
export async function openRaw(name: string, durability: IDBTransactionDurability): Promise<RawTransaction> {
  await deleteDatabase(name);
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onupgradeneeded = () => request.result.createObjectStore('records');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return (body) =>
    new Promise<void>((resolve, reject) => {
      const tx = db.transaction('records', 'readwrite', { durability });
      body(tx.objectStore('records'), tx);
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error);
    });
}

/**
 * A guarded write on `raw`: the meta record read and `body`'s requests issued at once; the
 * transaction aborts when the meta's key id is not `'k'`, else commits as soon as the read
 * answered (`commitAfterGuard`) or when it auto-commits.
 */
export function guardedTransaction(raw: RawTransaction, body: (store: IDBObjectStore) => void, commitAfterGuard: boolean): Promise<void> {
  return raw((store, tx) => {
    const read = store.get('meta');
    body(store);
    read.onsuccess = () => {
      if ((read.result as { kid?: string } | undefined)?.kid !== 'k') tx.abort();
      else if (commitAfterGuard) tx.commit();
    };
  });
}

/**
 * The floor of `storeValue(key, VALUE_1KB)` on a database of its own: the value's JSON encrypted
 * with AES-256-GCM (a fresh IV, the bytes kept), then one strict transaction that reads the meta
 * (the guard every vault write carries: no write under a data key another tab replaced or is
 * rotating) beside the put of the record, and `commit()` once the guard passed — what the engine's
 * store does, with none of the vault's own work (argument checks, queue, cache, events). With
 * `guard: false`, the put and `commit()` at once and no read: what the guard costs, measured
 * beside it (the vault cannot write that way safely).
 */
export async function storeFloor(name: string, { guard }: { guard: boolean }): Promise<(key: string) => Promise<void>> {
  const raw = await openRaw(name, 'strict');
  await raw((store) => store.put({ kid: 'k' }, 'meta'));
  const port = createWebCrypto();
  const dataKey = await generateDataKey(port);
  return async (key) => {
    const { iv, ct } = await sealBytes(port, dataKey, utf8(JSON.stringify(VALUE_1KB)), bindingData('value', 'bench', 'floor', key));
    const put = (store: IDBObjectStore) => store.put({ v: 1, iv, ct }, `v/${key}`);
    if (guard) return guardedTransaction(raw, put, true);
    return raw((store, tx) => {
      put(store);
      tx.commit();
    });
  };
}

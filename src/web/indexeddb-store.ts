/**
 * `SecretStore` on IndexedDB: one object store of plain JSON records under string keys.
 *
 * Every call is exactly one IndexedDB transaction with `durability: 'strict'` (a commit that asks
 * for `'relaxed'` gets it), so a tab closed or
 * crashed in the middle leaves the old or the new state, never a mix, and a resolved promise
 * means the change is on disk. Readwrite transactions on one object store are serialised by the
 * browser across tabs (IndexedDB 3.0 §2.7.2 "transaction scheduling"), which is what keeps two
 * tabs writing at once from losing each other's changes.
 */
import type { SecretStore, StoreCommit, StoredRecord } from '../core/ports.js';
import { unavailable } from '../core/errors.js';
import { IdbConnection, KEYS_STORE, RECORDS_STORE, type TransactionBody, type TransactionResult } from './idb-connection.js';
import { lazily } from '../core/load-once.js';
import { prefixRange } from './prefix-range.js';

const loadRewrite = lazily('key rotation transaction', () => import('./rewrite-transaction.js'));
type RewriteModule = typeof import('./rewrite-transaction.js');

/** A `get` waiting for its batch's transaction. */
interface PendingRead {
  readonly key: string;
  resolve(record: StoredRecord | undefined): void;
  reject(error: unknown): void;
}

/**
 * A {@link SecretStore} backed by IndexedDB.
 *
 * @throws VaultError `VaultUnavailable` from every method when IndexedDB fails (quota exceeded,
 * I/O error, IndexedDB missing), with the browser's error as `cause`.
 * @example
 * ```ts
 * const store = new IndexedDbStore(new IdbConnection('identity-vault'));
 * await store.commit({ put: [['vault/a', { v: 1 }]] });
 * await store.get('vault/a'); // { v: 1 }
 * ```
 */
export class IndexedDbStore implements SecretStore {
  readonly #connection: IdbConnection;

  constructor(connection: IdbConnection) {
    this.#connection = connection;
  }

  /**
   * Reads issued in the same task share one readonly transaction (`#readBatch`): a caller reading
   * many records at once (`Promise.all` over keys, as key rotation does) pays one transaction
   * instead of one per record, and a single read costs what it did (the batch starts in a
   * microtask, before the task ends). One transaction also means one snapshot for all of them.
   */
  get(key: string): Promise<StoredRecord | undefined> {
    return new Promise<StoredRecord | undefined>((resolve, reject) => {
      let batch = this.#readBatch;
      if (!batch) {
        batch = this.#readBatch = [];
        queueMicrotask(() => this.#readNow());
      }
      batch.push({ key, resolve, reject });
    });
  }

  #readBatch: PendingRead[] | undefined;

  /**
   * Reads issued before another call start their transaction before it: IndexedDB orders
   * transactions by creation, so a read issued before a write still sees the state before it.
   */
  #startPendingReads(): void {
    if (this.#readBatch) this.#readNow();
  }

  #readNow(): void {
    const batch = this.#readBatch;
    this.#readBatch = undefined;
    if (!batch) return; // started early by another call
    let left = batch.length;
    this.#connection
      .run<undefined>(RECORDS_STORE, 'readonly', undefined, (store, result) => {
        for (const read of batch) {
          const request = store.get(read.key);
          request.onsuccess = () => {
            read.resolve(request.result as StoredRecord | undefined);
            // All answered: settle the transaction's call now rather than a round trip later.
            if (--left === 0) result.resolveNow(undefined);
          };
        }
      })
      // A failed transaction fails every read in it (a resolved read is not affected).
      .catch((error: unknown) => batch.forEach((read) => read.reject(error)));
  }

  keys(prefix: string): Promise<string[]> {
    this.#startPendingReads();
    return this.#connection.run<string[]>(RECORDS_STORE, 'readonly', [], (store, result) => {
      const request = store.getAllKeys(prefixRange(prefix));
      request.onsuccess = () => result.resolveNow(request.result.filter((key): key is string => typeof key === 'string'));
    });
  }

  entries(prefix: string): Promise<Array<[string, StoredRecord]>> {
    return this.#connection.run<Array<[string, StoredRecord]>>(RECORDS_STORE, 'readonly', [], (store, result) => {
      readEntries(store, prefix, (entries) => result.resolveNow(entries));
      // Every request is issued: let the browser finish the transaction without a round trip back
      // to the page, so a read-write transaction waiting for this one (key rotation's commit) starts sooner.
      result.commitNow();
    });
  }

  hasPrefix(prefix: string): Promise<boolean> {
    this.#startPendingReads();
    return this.#connection.run(RECORDS_STORE, 'readonly', false, (store, result) => {
      // A key cursor stops at the first key; `count` would walk the whole range.
      const request = store.openKeyCursor(prefixRange(prefix));
      request.onsuccess = () => result.resolveNow(request.result !== null);
    });
  }

  commit(change: StoreCommit): Promise<boolean> {
    this.#startPendingReads();
    return this.#connection.run(RECORDS_STORE, 'readwrite', true, commitBody(change, false), change.durability ?? 'strict');
  }

  /**
   * {@link SecretStore.rewrite}: one strict transaction over the records (and the device key's
   * store when `options.deviceKey`), kept open while `finish` works (`src/web/rewrite-transaction.ts`,
   * loaded on first use: only key rotation calls it).
   */
  rewrite(
    options: Parameters<NonNullable<SecretStore['rewrite']>>[0],
    onRecords: (records: Array<[string, StoredRecord]>) => Promise<ReadonlyArray<readonly [string, StoredRecord]>> | void,
    finish: (found: { readonly deviceKey?: CryptoKey }) => Promise<{ readonly change: StoreCommit; readonly deviceKey?: CryptoKey }>,
  ): Promise<boolean> {
    const run = ({ rewriteBody }: RewriteModule) => {
      this.#startPendingReads();
      const stores = options.deviceKey ? ([RECORDS_STORE, KEYS_STORE] as const) : RECORDS_STORE;
      return this.#connection.run(stores, 'readwrite', false, rewriteBody(options, onRecords, finish));
    };
    // Once loaded, the transaction starts in the caller's turn: its reads are the rotation's first round trip.
    const loaded = loadRewrite.loaded();
    return loaded ? run(loaded) : loadRewrite().then(run);
  }

  update(key: string, update: (current: StoredRecord | undefined) => StoredRecord | undefined): Promise<StoredRecord | undefined> {
    this.#startPendingReads();
    return this.#connection.run<StoredRecord | undefined>(RECORDS_STORE, 'readwrite', undefined, (store, result) => {
      const request = store.get(key);
      request.onsuccess = () => {
        let next: StoredRecord | undefined;
        try {
          next = update(request.result as StoredRecord | undefined);
        } catch (error) {
          result.fail(error);
          return;
        }
        try {
          if (next === undefined) store.delete(key);
          else store.put(next, key);
        } catch (error) {
          result.fail(unavailable('IndexedDB request failed', { cause: error }));
          return;
        }
        result.value = next;
        result.commitNow();
      };
    });
  }
}

/** The body of a commit's transaction; `failed` is what the call resolves when the guard fails. */
function commitBody<T>(change: StoreCommit, failed: T): TransactionBody<T> {
  const { guard } = change;
  return (store, result) => {
    // Commit as soon as nothing is left to decide or to ask: the body's requests are issued and the guard passed.
    let pending = 1 + (guard ? 1 : 0);
    const ready = () => {
      if (--pending === 0) result.commitNow();
    };
    // The guard is read inside the same transaction as the writes, so no other tab can write
    // between the check and the change. Its read is queued *first* and the writes right after,
    // without waiting for it (requests of one transaction run in order, IndexedDB 3.0 §2.7.1):
    // the guard sees the state before the writes, and a failed guard aborts the transaction,
    // which undoes the writes already made. This saves a round trip to the storage backend.
    if (guard) readGuard(store, guard, result, failed, ready);
    applyWrites(store, change);
    ready();
  };
}

/**
 * Issues the read of `guard`'s record on `store`: when it answers, a failed test aborts the
 * transaction with `failed` (undoing whatever was issued after the read), a test that throws
 * fails it, and a passed one calls `passed`.
 */
export function readGuard<T>(
  store: IDBObjectStore,
  guard: NonNullable<StoreCommit['guard']>,
  result: TransactionResult<T>,
  failed: T,
  passed?: () => void,
): void {
  const request = store.get(guard.key);
  request.onsuccess = () => {
    let ok: boolean;
    try {
      ok = guard.test(request.result as StoredRecord | undefined);
    } catch (error) {
      result.fail(error);
      return;
    }
    if (!ok) result.abort(failed);
    else passed?.();
  };
}

/** Issues the writes of `change` (deletes, then puts) on `store`. */
export function applyWrites(store: IDBObjectStore, change: StoreCommit): void {
  for (const prefix of change.deletePrefixes ?? []) {
    const range = prefixRange(prefix);
    if (range) store.delete(range);
    else store.clear();
  }
  for (const key of change.delete ?? []) store.delete(key);
  for (const [key, record] of change.put ?? []) store.put(record, key);
}

/** Reads every record under `prefix` with two requests over one range, and hands them over paired. */
function readEntries(store: IDBObjectStore, prefix: string, deliver: (entries: Array<[string, StoredRecord]>) => void): void {
  // Both requests walk the same range of one snapshot, in key order: their results pair up.
  const range = prefixRange(prefix);
  const keys = store.getAllKeys(range);
  const values = store.getAll(range);
  values.onsuccess = () => {
    const records = values.result as StoredRecord[];
    deliver(keys.result.map((key, i) => [String(key), records[i]!] as [string, StoredRecord]));
  };
}

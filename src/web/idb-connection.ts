/**
 * One long-lived IndexedDB connection shared by the web store and the device key, and a helper
 * that runs exactly one transaction per call.
 *
 * Why one connection: opening a database costs milliseconds (a round trip to the browser's
 * storage process); keeping it open makes a store call cost about as much as idb-keyval's `set`.
 * The connection is dropped and reopened on demand when another tab upgrades the database
 * (`versionchange`) or the browser closes it (site data cleared: the `close` event).
 *
 * Internal: not re-exported from `identity-vault/web`.
 */
import { unavailable, VaultError } from '../core/errors.js';

/** Object store holding the vault records (plain JSON objects, string keys). */
export const RECORDS_STORE = 'records';
/** Object store holding `CryptoKey` objects (the device key). */
export const KEYS_STORE = 'keys';
/** The IndexedDB key of the device key in {@link KEYS_STORE}. */
export const DEVICE_KEY_ID = 'device-key';

/**
 * The object store(s) of one transaction: one name, or several (the body gets the first; the others
 * through `store.transaction.objectStore(name)`: key rotation writes records and the device key in one).
 */
export type StoreNames = string | readonly [string, ...string[]];

const DATABASE_VERSION = 1;
/** How long an open may wait for another tab that keeps an older version open. */
const BLOCKED_TIMEOUT_MS = 5_000;

/** The outcome of a transaction body: what the call resolves with, or a deliberate abort. */
export class TransactionResult<T> {
  value: T;
  /** Set when the body aborted on purpose (guard failed): the call resolves `value`, not an error. */
  abortedOnPurpose = false;
  /** Set when a callback supplied by the caller threw: the call rejects with it as it is. */
  callerError: { error: unknown } | undefined;
  /** Set by `run` for readonly transactions: settles the call at once. */
  settle: ((value: T) => void) | undefined;

  readonly #tx: IDBTransaction;

  constructor(tx: IDBTransaction, initial: T) {
    this.#tx = tx;
    this.value = initial;
  }

  /**
   * Resolve the call with `value` now, without waiting for the transaction to complete. For
   * readonly transactions only: the value is read once the request succeeds, and waiting for
   * `complete` costs another round trip to the storage backend (idb-keyval resolves reads the same way).
   */
  resolveNow(value: T): void {
    this.value = value;
    this.settle?.(value);
  }

  /**
   * Ask the browser to commit now that every request is issued (`IDBTransaction.commit()`), instead
   * of waiting for the auto-commit: that comes only after the results of every request travelled
   * back to the page and its callbacks ran, one more round trip between the page and the storage
   * backend per transaction (measured: `bench/page/breakdown.ts`). The body must issue no request
   * after this. Browsers without `commit()` (Safari before 15) auto-commit as before.
   */
  commitNow(): void {
    try {
      this.#tx.commit?.();
    } catch {
      // Already committing or aborted: the complete or abort handler settles the call.
    }
  }

  /** Abort the transaction (nothing is written) and resolve the call with `value`. */
  abort(value: T): void {
    this.value = value;
    this.abortedOnPurpose = true;
    this.#tx.abort();
  }

  /** Abort the transaction and reject the call with `error` unchanged (a caller callback threw). */
  fail(error: unknown): void {
    this.callerError = { error };
    try {
      this.#tx.abort();
    } catch {
      // Already finished or aborting: the abort handler still runs once.
    }
  }
}

/** A body of a transaction: issues requests synchronously on `store`, sets `result.value`. */
export type TransactionBody<T> = (store: IDBObjectStore, result: TransactionResult<T>) => void;

/** `globalThis.indexedDB`, read lazily so this module can be imported under Node. */
function idbFactory(): IDBFactory {
  const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory) throw unavailable('IndexedDB is not available in this environment');
  return factory;
}

/**
 * A lazily opened, shared connection to one database.
 *
 * @example
 * ```ts
 * const connection = new IdbConnection('identity-vault');
 * const record = await connection.run(RECORDS_STORE, 'readonly', undefined, (store, result) => {
 *   const request = store.get('key');
 *   request.onsuccess = () => { result.value = request.result; };
 * });
 * ```
 */
export class IdbConnection {
  readonly name: string;
  #db: Promise<IDBDatabase> | undefined;
  /** The open connection, once `#db` resolved (and until it is forgotten). */
  #ready: IDBDatabase | undefined;

  constructor(name: string) {
    this.name = name;
  }

  /**
   * Run one transaction with `durability: 'strict'` (the change is on disk when the promise
   * resolves; 'relaxed', asked for with `durability`, may lose a committed transaction on power
   * loss, and is only for records whose loss is harmless). Resolves with
   * `result.value` when the transaction completes; rejects with `VaultError(VaultUnavailable)`
   * when IndexedDB fails (quota, I/O), or with the caller's own error when one of its callbacks threw.
   */
  run<T>(storeName: StoreNames, mode: IDBTransactionMode, initial: T, body: TransactionBody<T>, durability: IDBTransactionDurability = 'strict'): Promise<T> {
    // Not an async function: the promise the caller awaits is the transaction's own, with no
    // promise adopting another in between (an async function returning a promise adds turns of
    // the microtask queue between the `complete` event and the caller, on every storeValue).
    let tx: IDBTransaction | undefined;
    try {
      // Fast path: with the connection open, start the transaction without awaiting anything.
      tx = this.#ready && this.#tryTransaction(this.#ready, storeName, mode, durability);
    } catch (error) {
      return Promise.reject(transactionError(error));
    }
    if (tx) return this.#execute(tx, storeName, mode, initial, body);
    return this.#transaction(storeName, mode, durability).then(
      (opened) => this.#execute(opened, storeName, mode, initial, body),
      (error: unknown) => {
        throw transactionError(error);
      },
    );
  }

  #execute<T>(tx: IDBTransaction, storeName: StoreNames, mode: IDBTransactionMode, initial: T, body: TransactionBody<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const result = new TransactionResult<T>(tx, initial);
      if (mode === 'readonly') result.settle = resolve;
      tx.oncomplete = () => resolve(result.value);
      tx.onabort = () => {
        if (result.callerError) reject(result.callerError.error);
        else if (result.abortedOnPurpose) resolve(result.value);
        // QuotaExceededError and I/O failures arrive here as tx.error.
        else reject(unavailable('IndexedDB transaction failed', { cause: tx.error }));
      };
      try {
        body(tx.objectStore(typeof storeName === 'string' ? storeName : storeName[0]), result);
      } catch (error) {
        // A synchronous throw from IndexedDB itself (DataError, DataCloneError, …).
        if (!result.callerError) result.callerError = { error: unavailable('IndexedDB request failed', { cause: error }) };
        try {
          tx.abort();
        } catch {
          // Already aborted.
        }
      }
    });
  }

  /** Close the connection (tests, teardown). The next call opens it again. */
  close(): void {
    const db = this.#db;
    this.#db = undefined;
    this.#ready = undefined;
    db?.then(
      (d) => d.close(),
      () => undefined,
    );
  }

  /** A transaction on `db`, or `undefined` when the connection is closing. */
  #tryTransaction(db: IDBDatabase, storeName: StoreNames, mode: IDBTransactionMode, durability: IDBTransactionDurability): IDBTransaction | undefined {
    try {
      return db.transaction(storeName as string | string[], mode, { durability });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'InvalidStateError') {
        this.#forget(db);
        return undefined;
      }
      throw error;
    }
  }

  async #transaction(storeName: StoreNames, mode: IDBTransactionMode, durability: IDBTransactionDurability): Promise<IDBTransaction> {
    // A connection that closes between opening and here (versionchange or abnormal close raced
    // with this call) is forgotten by #tryTransaction: open again, once.
    const tx = this.#tryTransaction(await this.#open(), storeName, mode, durability);
    if (tx) return tx;
    const retry = this.#tryTransaction(await this.#open(), storeName, mode, durability);
    if (!retry) throw unavailable('IndexedDB connection keeps closing');
    return retry;
  }

  /** Drop `db` (closed or closing) so the next call opens a new connection. */
  #forget(db: IDBDatabase): void {
    if (this.#ready !== db) return;
    this.#ready = undefined;
    this.#db = undefined;
  }

  #open(): Promise<IDBDatabase> {
    if (!this.#db) {
      const opening = openDatabase(this.name, DATABASE_VERSION)
        .catch((error: unknown) => {
          // VersionError: a newer release of this package upgraded the database; open it at its
          // version (the object stores this release needs are checked below).
          if (error instanceof DOMException && error.name === 'VersionError') return openDatabase(this.name, undefined);
          throw error;
        })
        .then((db) => {
          if (!db.objectStoreNames.contains(RECORDS_STORE) || !db.objectStoreNames.contains(KEYS_STORE)) {
            db.close();
            throw unavailable('IndexedDB database has an unexpected layout');
          }
          // Another tab wants to upgrade or delete the database: let it, reopen on the next call.
          db.onversionchange = () => {
            db.close();
            this.#forget(db);
          };
          // Abnormal close (site data cleared, storage failure): reopen on the next call.
          db.onclose = () => this.#forget(db);
          this.#ready = db;
          return db;
        });
      this.#db = opening;
      opening.catch(() => {
        if (this.#db === opening) this.#db = undefined;
      });
    }
    return this.#db.catch((error: unknown) => {
      throw error instanceof VaultError ? error : unavailable('IndexedDB could not be opened', { cause: error });
    });
  }
}

/** A failure to start a transaction, as the `VaultError` every caller gets. */
function transactionError(error: unknown): VaultError {
  return error instanceof VaultError ? error : unavailable('IndexedDB transaction could not start', { cause: error });
}

function openDatabase(name: string, version: number | undefined): Promise<IDBDatabase> {
  return new Promise<IDBDatabase>((resolve, reject) => {
    const request = version === undefined ? idbFactory().open(name) : idbFactory().open(name, version);
    let settled = false;
    let blockedTimer: ReturnType<typeof setTimeout> | undefined;
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(RECORDS_STORE)) db.createObjectStore(RECORDS_STORE);
      if (!db.objectStoreNames.contains(KEYS_STORE)) db.createObjectStore(KEYS_STORE);
    };
    request.onsuccess = () => {
      clearTimeout(blockedTimer);
      if (settled) {
        // Opened after we gave up waiting: do not leak the connection.
        request.result.close();
        return;
      }
      settled = true;
      resolve(request.result);
    };
    request.onerror = () => {
      clearTimeout(blockedTimer);
      settled = true;
      reject(request.error);
    };
    // Blocked: a tab still holds an older version open and did not close on versionchange
    // (a release without that handler). Wait a bounded time instead of hanging forever.
    request.onblocked = () => {
      blockedTimer = setTimeout(() => {
        if (settled) return;
        settled = true;
        reject(unavailable('IndexedDB upgrade blocked by another tab; close other tabs of this app'));
      }, BLOCKED_TIMEOUT_MS);
    };
  });
}

/**
 * The transaction of `IndexedDbStore.rewrite` (key rotation, see core/key-rotation.ts), loaded on
 * first use: ONE strict readwrite transaction that checks a guard, reads the device key and every
 * record under a prefix (in parts, handed over as they arrive, so the caller re-encrypts one part
 * while the next is read), stays open while the caller works, puts each part's new records as soon
 * as they are ready, applies what `finish` resolved, and commits once everything is issued.
 *
 * Why one transaction: readwrite transactions over a store run one after another (IndexedDB 3.0
 * §2.7.2), so no other tab can write between this read and this write — a value written
 * meanwhile would otherwise be lost (overwritten with the value read before) or left under the old
 * key. Other tabs' writes wait for it and then fail their key-id guard, as after any rotation.
 *
 * How it stays open: a transaction commits on its own once no request is pending when control
 * returns to the event loop, and the caller awaits WebCrypto. So while it works, a request with a
 * handler of ours is always in flight: a part's read, a put of ours (every {@link TICK_EVERY}th of
 * a part, so a long run of puts calls back while the storage works through it), or else one small
 * read (`getKey` of the guard's record). Each of their handlers issues whatever became ready since
 * (the transaction accepts requests only inside them), and the commit once nothing is left.
 * A page closed meanwhile aborts the transaction: nothing is written.
 *
 * What keeps it short (timelines of `npm run bench`'s rotation, issue 16): `finish` is called as
 * soon as the device key is read, beside the parts, so a rotation that made its wraps before the
 * transaction has its meta ready before the last part is sealed, and the meta is put while the
 * last part is re-encrypted rather than after it; the first part is read with its own keys (a
 * `getAllKeys` of the whole prefix first held it back by the time the storage took to list every
 * key: 4–5 ms at 1,000 values), with one request where the browser has `getAllRecords`
 * (read-records.ts: 0.95× the rotation's time at 1,000 values and 0.98× at 10 in an interleaved
 * A/B, `bench/ab-rotation.mjs`); and the puts of a part that is sealed while the storage works
 * through earlier puts go out at the next of their callbacks, not after them all.
 *
 * With `early` (a small vault's values the caller held and sealed before: core/known-values.ts),
 * every record is read in one part and the early records are put right after those reads are
 * issued, so the storage writes them while the reads' answers travel to the page; the page's own
 * puts (records that were not what the caller held) follow and win.
 */
import { unavailable } from '../core/errors.js';
import type { SecretStore, StoreCommit, StoredRecord } from '../core/ports.js';
import { DEVICE_KEY_ID, KEYS_STORE, type TransactionBody, type TransactionResult } from './idb-connection.js';
import { applyWrites, readGuard } from './indexeddb-store.js';
import { prefixRange } from './prefix-range.js';
import { readListed, readRange, type RangeRead } from './read-records.js';

/** What `finish` resolves: the writes, and a device key to store when the transaction found none. */
export type Finished = { readonly change: StoreCommit; readonly deviceKey?: CryptoKey };
type Puts = ReadonlyArray<readonly [string, StoredRecord]>;
type OnRecords = (records: Array<[string, StoredRecord]>) => Promise<Puts> | void;
type Finish = (found: { readonly deviceKey?: CryptoKey }) => Promise<Finished>;
type Options = Parameters<NonNullable<SecretStore['rewrite']>>[0];

/** Records per part: the page re-encrypts one while the storage reads the next. */
const READ_PART = 256;
/** Every this many puts of a part, one calls back (see the module's header). */
const TICK_EVERY = 32;

/** The body of the transaction, over the records store (and the keys store when `options.deviceKey`). */
export function rewriteBody(options: Options, onRecords: OnRecords, finish: Finish): TransactionBody<boolean> {
  return (store, result) => new Rewrite(store, result, options, onRecords, finish).start();
}

/** One run of the transaction: what is read, ready, applied and still in flight. */
class Rewrite {
  readonly #store: IDBObjectStore;
  readonly #result: TransactionResult<boolean>;
  readonly #options: Options;
  readonly #onRecords: OnRecords;
  readonly #finish: Finish;
  /** Parts handed over whose puts are not ready yet. */
  #sealing = 0;
  /** Reads of ours not answered yet (a part's values, the keys after the first part). */
  #reads = 0;
  /** Puts ready, waiting for a handler of ours (the transaction is active only there). */
  readonly #ready: Puts[] = [];
  #finished: Finished | undefined;
  #applied = false;
  #found: { deviceKey?: CryptoKey } | undefined;
  #failure: { error: unknown } | undefined;
  /** Requests of ours with a handler, not answered yet. */
  #inFlight = 0;
  /** Committed or failed: no request may be issued any more. */
  #over = false;
  /** With `options.early`: whether the early puts for keys the read did not find were deleted again. */
  #earlyCleaned = false;

  constructor(store: IDBObjectStore, result: TransactionResult<boolean>, options: Options, onRecords: OnRecords, finish: Finish) {
    this.#store = store;
    this.#result = result;
    this.#options = options;
    this.#onRecords = onRecords;
    this.#finish = finish;
  }

  start(): void {
    const store = this.#store;
    // Requests answer in the order they were issued: the guard first (a failed guard aborts, and
    // no later handler runs), then the device key, then the parts.
    if (!this.#options.deviceKey) readGuard(store, this.#options.guard, this.#result, false, () => this.#callFinish({}));
    else {
      readGuard(store, this.#options.guard, this.#result, false);
      const read = store.transaction.objectStore(KEYS_STORE).get(DEVICE_KEY_ID);
      read.onsuccess = () => {
        const stored: unknown = read.result;
        if (stored === undefined || (typeof CryptoKey !== 'undefined' && stored instanceof CryptoKey)) this.#callFinish({ deviceKey: stored });
        else this.#fail(unavailable('the stored device key is not an AES-GCM CryptoKey'));
      };
    }
    const range = prefixRange(this.#options.prefix);
    const early = this.#options.early;
    if (!early) return this.#readParts(range);
    // Every read is issued before the early puts (requests run in order): the reads see the records
    // as they were, which is what the caller checks its early records against. So all records come
    // in one part. The storage works through the puts while the reads' answers travel to the page.
    this.#readValues(readRange(store, range), (found) => {
      for (const [key] of early) if (!found.has(key)) store.delete(key);
      this.#earlyCleaned = true;
    });
    try {
      this.#put(early);
    } catch (error) {
      this.#fail(unavailable('IndexedDB request failed', { cause: error }));
    }
  }

  /** `finish` runs beside the parts; what it resolves is applied at the next handler once every part was read. */
  #callFinish(found: { deviceKey?: CryptoKey }): void {
    this.#found = found;
    let finishing: Promise<Finished>;
    try {
      finishing = this.#finish(found);
    } catch (error) {
      return this.#fail(error);
    }
    finishing.then(
      (done) => void (this.#finished = done),
      (error: unknown) => void (this.#failure ??= { error }),
    );
  }

  /**
   * Every record of `range`, in parts of {@link READ_PART} in key order: the first part's keys and
   * values at once (a small vault is read in one round trip, and the first part arrives without
   * waiting for every key to be listed); when it is full, the keys after it, then one `getAll` per
   * further part, bounded by its first and last key (one transaction: no key can appear between).
   * Every read is issued before any put (puts wait for the first part to be sealed), so no read
   * waits for the storage to write.
   */
  #readParts(range: IDBKeyRange | undefined): void {
    const store = this.#store;
    this.#readValues(readRange(store, range, READ_PART), (keys, last) => {
      if (keys.size < READ_PART) return;
      const restKeys = store.getAllKeys(after(last!, range));
      this.#whenRead(restKeys, () => {
        const rest = restKeys.result;
        for (let i = 0; i < rest.length; i += READ_PART) {
          this.#readValues(readListed(store, rest.slice(i, i + READ_PART)));
        }
        this.#tick();
      });
    });
  }

  /** Counts `request` as a read of ours in flight; `answered` runs when it answers, unless the transaction is over. */
  #whenRead(request: IDBRequest, answered: () => void): void {
    this.#reads++;
    this.#inFlight++;
    request.onsuccess = () => {
      this.#reads--;
      this.#inFlight--;
      if (!this.#over) answered();
    };
  }

  /**
   * Hands over the records `read` reads; `found` first gets their keys and the last of them (and
   * may issue requests).
   */
  #readValues(read: RangeRead, found?: (keys: ReadonlySet<string>, last: string | undefined) => void): void {
    this.#whenRead(read.request, () => {
      const records = read.records();
      try {
        found?.(new Set(records.map(([key]) => key)), records.at(-1)?.[0]);
      } catch (error) {
        return this.#fail(unavailable('IndexedDB request failed', { cause: error }));
      }
      this.#deliver(records);
      this.#tick();
    });
  }

  #deliver(records: Array<[string, StoredRecord]>): void {
    let sealed: Promise<Puts> | void;
    try {
      sealed = this.#onRecords(records);
    } catch (error) {
      return this.#fail(error);
    }
    if (!sealed) return;
    this.#sealing++;
    sealed.then(
      (puts) => {
        this.#sealing--;
        this.#ready.push(puts);
      },
      (error: unknown) => void (this.#failure ??= { error }),
    );
  }

  /** Inside a handler of ours: issues what is ready, commits when nothing is left, else stays open. */
  #tick(): void {
    if (this.#over) return;
    if (this.#failure) return this.#fail(this.#failure.error);
    try {
      for (const puts of this.#ready.splice(0)) this.#put(puts);
      // finish's writes once every part was read (before, they would wait in the storage's queue
      // ahead of the reads still to come).
      const finished = this.#applied || this.#reads > 0 ? undefined : this.#finished;
      // Still waiting for a part: the keep-alive read goes before finish's writes, so it answers sooner.
      if (this.#sealing > 0) this.#keepOpen();
      if (finished) {
        this.#applied = true;
        applyWrites(this.#store, finished.change);
        const fresh = finished.deviceKey;
        if (this.#options.deviceKey && this.#found?.deviceKey === undefined && fresh !== undefined) {
          this.#store.transaction.objectStore(KEYS_STORE).add(fresh, DEVICE_KEY_ID);
        }
      }
    } catch (error) {
      return this.#fail(unavailable('IndexedDB request failed', { cause: error }));
    }
    if (this.#applied && this.#sealing === 0 && (!this.#options.early || this.#earlyCleaned)) {
      this.#over = true;
      this.#result.value = true;
      this.#result.commitNow();
      return;
    }
    this.#keepOpen();
  }

  /** One request of ours in flight at least (two measured no faster: each costs the page a request). */
  #keepOpen(): void {
    if (this.#inFlight === 0) this.#ping();
  }

  /** Puts one part's records; every {@link TICK_EVERY}th put and the last call back. */
  #put(puts: Puts): void {
    const store = this.#store;
    puts.forEach(([key, record], i) => {
      const request = store.put(record, key);
      if ((i + 1) % TICK_EVERY === 0 || i === puts.length - 1) this.#track(request);
    });
  }

  /** A small read that only keeps the transaction open until its handler runs. */
  #ping(): void {
    this.#track(this.#store.getKey(this.#options.guard.key));
  }

  #track(request: IDBRequest): void {
    this.#inFlight++;
    request.onsuccess = () => {
      this.#inFlight--;
      this.#tick();
    };
  }

  #fail(error: unknown): void {
    this.#over = true;
    this.#result.fail(error);
  }
}

/** The keys of `range` after `key`. */
function after(key: IDBValidKey, range: IDBKeyRange | undefined): IDBKeyRange {
  if (range?.upper === undefined) return IDBKeyRange.lowerBound(key, true);
  return IDBKeyRange.bound(key, range.upper, true, range.upperOpen);
}

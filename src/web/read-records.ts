/**
 * Reading the keys and values of a key range in one snapshot, for key rotation's transaction
 * (rewrite-transaction.ts, loaded on first use; `IndexedDbStore.entries`, which loads with the
 * store before the first prompt and serves only the bench, keeps its two requests so this
 * module stays out of the first load).
 *
 * Where the browser has `IDBObjectStore.getAllRecords` (IndexedDB 3.0 draft; Chromium 141 and
 * later), one request answers with both; elsewhere two (`getAllKeys`, then `getAll` over the same
 * range, whose results pair up: both walk the range in key order, in one transaction). One request
 * instead of two is one answer less for the page to wait for and take in (issue 16, `npm run
 * bench` "data-key rotation").
 */
import type { StoredRecord } from '../core/ports.js';

/** An answered or pending read of a range: `request` answers last; `records()` once it has. */
export interface RangeRead {
  readonly request: IDBRequest;
  records(): Array<[string, StoredRecord]>;
}

/** The part of a record `getAllRecords` answers with that we use. */
interface IdbRecord {
  readonly primaryKey: IDBValidKey;
  readonly value: unknown;
}

/** `getAllRecords` as the draft defines it; not in TypeScript's DOM types yet. */
type WithGetAllRecords = IDBObjectStore & {
  getAllRecords(options: { query?: IDBKeyRange | null; count?: number }): IDBRequest<IdbRecord[]>;
};

function hasGetAllRecords(store: IDBObjectStore): store is WithGetAllRecords {
  return typeof (store as Partial<WithGetAllRecords>).getAllRecords === 'function';
}

/** Every record of `range` (at most `count`), in key order, paired with its key. */
export function readRange(store: IDBObjectStore, range: IDBKeyRange | undefined, count?: number): RangeRead {
  if (hasGetAllRecords(store)) {
    const request = store.getAllRecords({ query: range ?? null, ...(count === undefined ? {} : { count }) });
    return { request, records: () => request.result.map((record) => [String(record.primaryKey), record.value as StoredRecord]) };
  }
  const keys = store.getAllKeys(range, count);
  const request = store.getAll(range, count);
  return {
    request,
    records: () => {
      const values = request.result as StoredRecord[];
      return keys.result.map((key, i) => [String(key), values[i]!]);
    },
  };
}

/**
 * The records under `keys` (listed in this transaction, in key order, none missing): one `getAll`
 * bounded by the first and last, whose answer pairs up with them (no key can appear between in
 * the same transaction).
 */
export function readListed(store: IDBObjectStore, keys: readonly IDBValidKey[]): RangeRead {
  const request = store.getAll(IDBKeyRange.bound(keys[0], keys[keys.length - 1]));
  return {
    request,
    records: () => {
      const values = request.result as StoredRecord[];
      return keys.map((key, i) => [String(key), values[i]!]);
    },
  };
}

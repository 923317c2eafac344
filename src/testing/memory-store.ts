/**
 * `SecretStore` in memory, for `SimulatedDevice`. Records are kept as JSON text (a copy, like real
 * storage; bytes as base64, `recordText`), every call is atomic, and writes can be made to fail for fault tests.
 */
import { unavailable } from '../core/errors.js';
import type { SecretStore, StoreCommit, StoredRecord } from '../core/ports.js';
import { parseStoredRecord, recordText } from '../core/records.js';

export class MemoryStore implements SecretStore {
  #records = new Map<string, string>();
  #failures: Array<() => unknown> = [];
  /** Number of successful commits and updates, for tests. */
  writes = 0;

  async get(key: string): Promise<StoredRecord | undefined> {
    const text = this.#records.get(key);
    if (text === undefined) return undefined;
    const record = parseStoredRecord(text);
    if (record !== undefined) return record;
    // Damaged bytes are reported, like a real store's unreadable file.
    throw unavailable('A stored record is unreadable (corrupted storage); it was left untouched.');
  }

  async keys(prefix: string): Promise<string[]> {
    return [...this.#records.keys()].filter((key) => key.startsWith(prefix));
  }

  async entries(prefix: string): Promise<Array<[string, StoredRecord]>> {
    return this.#entriesNow(prefix);
  }

  /** Every record under `prefix`, read synchronously (one snapshot). */
  #entriesNow(prefix: string): Array<[string, StoredRecord]> {
    const out: Array<[string, StoredRecord]> = [];
    for (const [key, text] of this.#records) {
      if (!key.startsWith(prefix)) continue;
      const record = parseStoredRecord(text);
      if (record === undefined) throw unavailable('A stored record is unreadable (corrupted storage); it was left untouched.');
      out.push([key, record]);
    }
    return out;
  }

  async hasPrefix(prefix: string): Promise<boolean> {
    for (const key of this.#records.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  async commitThenRead(change: StoreCommit, prefix: string, onRecords: (records: Array<[string, StoredRecord]>) => void): Promise<boolean> {
    if (!(await this.commit(change))) return false;
    // Nothing runs between the commit's last step and this read (both synchronous there): one snapshot.
    onRecords(this.#entriesNow(prefix));
    return true;
  }

  async commit(change: StoreCommit): Promise<boolean> {
    this.#failIfAsked();
    if (change.guard && !change.guard.test(await this.get(change.guard.key))) return false;
    // Synchronous from here on: nothing can interleave, so applying in place is atomic.
    const records = this.#records;
    for (const prefix of change.deletePrefixes ?? []) for (const key of [...records.keys()]) if (key.startsWith(prefix)) records.delete(key);
    for (const key of change.delete ?? []) records.delete(key);
    for (const [key, record] of change.put ?? []) records.set(key, recordText(record));
    this.writes++;
    return true;
  }

  async update(key: string, update: (current: StoredRecord | undefined) => StoredRecord | undefined): Promise<StoredRecord | undefined> {
    this.#failIfAsked();
    const next = update(await this.get(key));
    if (next === undefined) this.#records.delete(key);
    else this.#records.set(key, recordText(next));
    this.writes++;
    return next === undefined ? undefined : (JSON.parse(recordText(next)) as StoredRecord);
  }

  /** Everything persisted, as JSON text by key: what an attacker who copies the storage gets. */
  dump(): Record<string, string> {
    return Object.fromEntries(this.#records);
  }

  /** The whole dump as one string, for canary scans. */
  dumpText(): string {
    return JSON.stringify(this.dump());
  }

  /** A copy of the storage, to put back later with {@link MemoryStore.restoreSnapshot} (a backup restore). */
  snapshot(): Map<string, string> {
    return new Map(this.#records);
  }

  restoreSnapshot(snapshot: Map<string, string>): void {
    this.#records = new Map(snapshot);
  }

  /** Replace a record's raw text (tampering tests). */
  setRaw(key: string, text: string): void {
    this.#records.set(key, text);
  }

  /** Make the next `count` writes fail like a full disk (`VaultUnavailable`). */
  failNextWrites(count = 1, error: unknown = new DOMException('The quota has been exceeded.', 'QuotaExceededError')): void {
    for (let i = 0; i < count; i++) this.#failures.push(() => error);
  }

  #failIfAsked(): void {
    const failure = this.#failures.shift();
    if (failure) throw unavailable('The simulated storage refused the write.', { cause: failure() });
  }
}

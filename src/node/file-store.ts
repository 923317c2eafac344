/**
 * {@link SecretStore} on files: one file per record, atomic and durable multi-record commits,
 * safe between processes.
 *
 * Layout of the store directory (mode 0700; every file 0600):
 * ```
 * <directory>/
 *   lock-id        names the OS-released lock of the store (store-lock.ts; Linux and Windows)
 *   lock           the lock file, on other systems: exists while a process works on the store
 *   journal.json   exists only while a multi-record commit is applied, or after a crash in one
 *   records/       one file per key: { "key": <the key>, "record": <the record> } (names: record-names.ts;
 *                  bytes in a record as base64 text, records.ts `recordText`)
 *   tmp/           temporary files, renamed into records/ (same file system, so rename is atomic)
 * ```
 *
 * Why it is all-or-nothing: a single-record change is a temporary file, fsync, rename, fsync of
 * the directory — a reader (or a process after a crash) sees the old or the new file. A batch is
 * first written whole to `journal.json` the same way; then its operations are applied one by one
 * (each idempotent), the directory fsynced, and the journal removed. A process that finds a
 * journal under the lock replays it before doing anything else, so a SIGKILL at any moment
 * leaves the old state (journal not yet in place) or the new one (journal replayed).
 *
 * Every operation runs under the store's lock — guards and `update` are checked and written in one
 * critical section, and `keys`/`hasPrefix` never list half of another process's batch — except
 * `get` of one record while no journal exists, which a rename makes safe without it.
 */
import { lstatSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore, StoreCommit, StoredRecord } from '../core/ports.js';
import { corrupted, invalidArguments, unavailable, VaultError } from '../core/errors.js';
import { isRecord, recordText } from '../core/records.js';
import type { HeldLock, LockOptions } from './lock-file.js';
import { removeFile, replaceFile, syncDirectory } from './durable-fs.js';
import { openPrivateDirectory, readPrivateFile } from './private-files.js';
import { createStoreLock, type StoreLock } from './store-lock.js';
import { prefixMatcher, recordFileName } from './record-names.js';

/** Options of {@link createFileStore}. */
export interface FileStoreOptions {
  /** The store directory; created (0700) on first use. */
  readonly directory: string;
  /** Lock timing between processes. */
  readonly lock?: LockOptions;
}

interface Batch {
  readonly deletePrefixes: readonly string[];
  readonly delete: readonly string[];
  readonly put: ReadonlyArray<readonly [string, StoredRecord]>;
}

/** Writes in flight at once while applying a batch (each is write + fsync + rename). */
const APPLY_CONCURRENCY = 8;
/** Refresh the lock's heartbeat this often during a long batch. */
const HEARTBEAT_MS = 1_000;

/**
 * A {@link SecretStore} in `options.directory`.
 *
 * @example
 * ```ts
 * const store = createFileStore({ directory: '/home/ada/.local/share/identity-vault/my-cli' });
 * await store.commit({ put: [['a', { n: 1 }], ['b', { n: 2 }]] }); // both or neither
 * ```
 */
export function createFileStore(options: FileStoreOptions): SecretStore {
  return new FileStore(options);
}

class FileStore implements SecretStore {
  readonly #directory: string;
  readonly #records: string;
  readonly #tmp: string;
  readonly #journal: string;
  readonly #lockOptions: LockOptions;
  #lock: StoreLock | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #opened = false;
  #prepared = false;

  constructor(options: FileStoreOptions) {
    this.#directory = options.directory;
    this.#records = join(options.directory, 'records');
    this.#tmp = join(options.directory, 'tmp');
    this.#journal = join(options.directory, 'journal.json');
    this.#lockOptions = options.lock ?? {};
  }

  get(key: string): Promise<StoredRecord | undefined> {
    // A single record is read without the lock: a rename replaces a file whole, so the read sees
    // the old or the new record. Only a journal (a batch in flight, or left by a crash) needs the
    // lock, to wait for or finish that batch first.
    return this.#queued(async () => {
      await this.#open();
      return this.#journalExists() ? this.#locked(() => this.#read(key)) : this.#read(key);
    });
  }

  keys(prefix: string): Promise<string[]> {
    return this.#exclusive(() => this.#keys(prefix, false));
  }

  hasPrefix(prefix: string): Promise<boolean> {
    return this.#exclusive(async () => (await this.#keys(prefix, true)).length > 0);
  }

  async commit(change: StoreCommit): Promise<boolean> {
    // Several puts of one key: the last wins (they are applied in parallel, so deduplicate first).
    const puts = new Map<string, StoredRecord>();
    for (const [key, record] of change.put ?? []) {
      assertRecord(record);
      puts.delete(key);
      puts.set(key, record);
    }
    const batch: Batch = { deletePrefixes: [...(change.deletePrefixes ?? [])], delete: [...new Set(change.delete ?? [])], put: [...puts] };
    return this.#exclusive(async (held) => {
      if (change.guard !== undefined && !change.guard.test(await this.#read(change.guard.key))) return false;
      const operations = batch.deletePrefixes.length + batch.delete.length + batch.put.length;
      if (operations === 0) return true;
      if (operations === 1 && batch.deletePrefixes.length === 0) {
        // One record: the rename alone is atomic, no journal needed.
        const put = batch.put[0];
        if (put !== undefined) await this.#write(put[0], put[1]);
        else await this.#remove(batch.delete[0] as string);
        await syncDirectory(this.#records);
        return true;
      }
      await replaceFile(this.#journal, recordText({ v: 1, ...batch }), this.#tmp);
      await syncDirectory(this.#directory);
      await this.#apply(batch, held);
      return true;
    });
  }

  update(key: string, update: (current: StoredRecord | undefined) => StoredRecord | undefined): Promise<StoredRecord | undefined> {
    return this.#exclusive(async () => {
      const next = update(await this.#read(key));
      if (next === undefined) {
        if (!(await this.#remove(key))) return undefined;
      } else {
        assertRecord(next);
        await this.#write(key, next);
      }
      await syncDirectory(this.#records);
      return next;
    });
  }

  /** Run `operation` under the in-process queue and the lock file, after recovering any crash. */
  #exclusive<T>(operation: (held: HeldLock) => Promise<T>): Promise<T> {
    return this.#queued(() => this.#locked(operation));
  }

  /** One operation at a time per store instance; every failure becomes a `VaultError`. */
  #queued<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      try {
        return await operation();
      } catch (error) {
        if (error instanceof VaultError) throw error;
        throw unavailable(`The vault store at ${this.#directory} could not be used`, { cause: error });
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Once per instance: create the directories, and refuse them unless private to the current user (private-files.ts). */
  async #open(): Promise<void> {
    if (this.#opened) return;
    await openPrivateDirectory(this.#directory);
    await openPrivateDirectory(this.#records);
    await openPrivateDirectory(this.#tmp);
    this.#opened = true;
  }

  async #locked<T>(operation: (held: HeldLock) => Promise<T>): Promise<T> {
    await this.#open();
    this.#lock ??= createStoreLock(this.#directory, this.#lockOptions);
    const held = await this.#lock.acquire();
    try {
      if (!this.#prepared || held.brokeStale) {
        // Temporary files are only written under the lock: whatever is there now is garbage of a
        // process that died.
        for (const name of await readdir(this.#tmp)) await removeFile(join(this.#tmp, name));
        await this.#lock.removeLeftovers();
        this.#prepared = true;
      }
      await this.#replay(held);
      return await operation(held);
    } finally {
      await held.release();
    }
  }

  /** A synchronous probe: one system call, where an asynchronous one costs a thread-pool round trip. */
  #journalExists(): boolean {
    return lstatSync(this.#journal, { throwIfNoEntry: false }) !== undefined;
  }

  async #replay(held: HeldLock): Promise<void> {
    // Probe first: almost always there is no journal, and a failed open throws (an Error with its
    // stack for every operation), where lstat answers undefined. Only a holder of the lock writes
    // the journal, and this process holds it, so it cannot appear in between.
    if (!this.#journalExists()) return;
    const bytes = await readPrivateFile(this.#journal);
    if (bytes === undefined) return;
    const text = bytes.toString('utf8');
    let batch: Batch;
    try {
      const parsed = JSON.parse(text) as Partial<Batch> & { v?: unknown };
      if (parsed.v !== 1 || !Array.isArray(parsed.deletePrefixes) || !Array.isArray(parsed.delete) || !Array.isArray(parsed.put)) {
        throw new Error('unknown journal format');
      }
      batch = parsed as Batch;
    } catch (error) {
      // The journal is renamed into place whole, so this is damage, not a torn write: refuse.
      throw unavailable(`The journal of the vault store at ${this.#directory} is corrupted`, { cause: error });
    }
    await this.#apply(batch, held);
  }

  /** Apply a journalled batch (idempotent), make it durable, then drop the journal. */
  async #apply(batch: Batch, held: HeldLock): Promise<void> {
    let beat = Date.now();
    const heartbeat = async () => {
      if (Date.now() - beat < HEARTBEAT_MS) return;
      beat = Date.now();
      await held.touch();
    };
    const doomed = new Set(batch.delete);
    for (const prefix of batch.deletePrefixes) for (const key of await this.#keys(prefix, false)) doomed.add(key);
    await inParallel([...doomed], async (key) => {
      await this.#remove(key);
      await heartbeat();
    });
    await inParallel(batch.put, async ([key, record]) => {
      await this.#write(key, record);
      await heartbeat();
    });
    await syncDirectory(this.#records);
    await removeFile(this.#journal);
    await syncDirectory(this.#directory);
  }

  async #read(key: string): Promise<StoredRecord | undefined> {
    const file = join(this.#records, recordFileName(key));
    const entry = await this.#readEntry(file);
    if (entry === undefined) return undefined;
    if (entry.key !== key) throw corrupted(`record file ${file}`, { cause: new Error('the file holds another key') });
    return entry.record;
  }

  async #readEntry(file: string): Promise<{ key: string; record: StoredRecord } | undefined> {
    const bytes = await readPrivateFile(file);
    if (bytes === undefined) return undefined;
    const text = bytes.toString('utf8');
    try {
      const entry = JSON.parse(text) as { key?: unknown; record?: unknown };
      if (typeof entry.key !== 'string' || !isRecord(entry.record)) throw new Error('not a record file');
      return { key: entry.key, record: entry.record as StoredRecord };
    } catch (error) {
      throw corrupted(`record file ${file}`, { cause: error });
    }
  }

  async #keys(prefix: string, firstOnly: boolean): Promise<string[]> {
    const match = prefixMatcher(prefix);
    const found: string[] = [];
    for (const name of await readdir(this.#records)) {
      const result = match(name);
      if (result === 'no') continue;
      let key: string;
      if (result === 'read') {
        const entry = await this.#readEntry(join(this.#records, name));
        if (entry === undefined || !entry.key.startsWith(prefix)) continue;
        key = entry.key;
      } else {
        key = result.key;
      }
      found.push(key);
      if (firstOnly) break;
    }
    return found;
  }

  async #write(key: string, record: StoredRecord): Promise<void> {
    await replaceFile(join(this.#records, recordFileName(key)), recordText({ key, record }), this.#tmp);
  }

  #remove(key: string): Promise<boolean> {
    return removeFile(join(this.#records, recordFileName(key)));
  }
}

function assertRecord(record: unknown): asserts record is StoredRecord {
  if (!isRecord(record)) throw invalidArguments('A stored record must be a plain JSON object');
}

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(APPLY_CONCURRENCY, items.length) }, worker));
}

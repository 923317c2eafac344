/**
 * The vault's records on `@capacitor-community/sqlite` (8.1.1): one SQLite table, one
 * transaction per commit.
 *
 * Why SQLite and not the Keychain/Keystore store: records must be atomic across keys (a commit
 * writes a wrap, a meta record and deletes an attempt counter together) and durable when the
 * promise resolves (an attempt counter must survive a crash right after the write). The secure
 * storage plugin writes one item per call, and on Android through `SharedPreferences.apply()`,
 * which returns before the data reaches the disk. The SQLite plugin runs `executeSet` between
 * `beginTransaction()` and `setTransactionSuccessful()/endTransaction()` and rolls back on any
 * failure (Android Database.java `executeSet`; iOS UtilsSQLCipher `executeSet` with
 * `BEGIN TRANSACTION … COMMIT`), in SQLite's rollback-journal mode with `synchronous=FULL`
 * (SQLite's default, set again here). The records hold only what the core wrote: ciphertext,
 * wrapped keys and counters — the keys that open them are in the Keychain / Keystore.
 *
 * Backups: the database is tied to this install by an id kept both in the database and in a
 * `ThisDeviceOnly` Keychain / Keystore item. A database restored from a backup (Android Auto
 * Backup includes `databases/`; iOS backs up `Documents/` unless `iosDatabaseLocation` moves it)
 * arrives without a matching item — Keystore keys and `ThisDeviceOnly` items do not travel —
 * and its records are discarded before anything reads them, so an old attempt counter is never
 * brought back.
 *
 * The database also holds the device key's check value (plugin-device-key.ts), in a table of its
 * own. On iOS, opening first checks that the database's folder is out of backups
 * ({@link checkIosLocation}); Android offers no such folder to the plugin (docs/native.md,
 * "Backups, durability and the database's folder"), hence the install binding above.
 *
 * Guards and `update` run their JavaScript test and write under one lock: this adapter is the
 * only writer of its database (one WebView per app), so nothing can change a record between the
 * read and the transaction.
 */
import { invalidArguments, securityNotAvailable, unavailable } from '../core/errors.js';
import type { SecretStore, StoreCommit, StoredRecord } from '../core/ports.js';
import { recordText } from '../core/records.js';
import type { KeychainItems } from './keychain-items.js';
import type { CapacitorSqliteApi, NativeOS, SqliteStatement } from './plugin-apis.js';

/** The database name (the plugin stores it as `identityvaultSQLite.db`). */
export const DATABASE = 'identityvault';
/** The Keychain / Keystore item holding this install's id. */
export const INSTALL_ITEM = 'install-id';

const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);',
  'CREATE TABLE IF NOT EXISTS install (id INTEGER PRIMARY KEY CHECK (id = 1), install_id TEXT NOT NULL);',
  'CREATE TABLE IF NOT EXISTS device_key_check (id INTEGER PRIMARY KEY CHECK (id = 1), check_value TEXT NOT NULL);',
].join('\n');
/** Prefix match that uses the primary-key index and treats `%`, `_` and case literally (never LIKE). */
const PREFIX_WHERE = 'key >= ? AND substr(key, 1, length(?)) = ?';

/** The plugin's own error stays the `cause`; its text is not copied (core/errors.ts). */
const storeFailed = (what: string, cause: unknown) => unavailable(`The SQLite store could not ${what}`, { cause });

function parse(text: unknown, key: string): StoredRecord | undefined {
  if (text === undefined || text === null) return undefined;
  if (typeof text === 'string') {
    try {
      const record = JSON.parse(text) as unknown;
      if (typeof record === 'object' && record !== null && !Array.isArray(record)) return record as StoredRecord;
    } catch {
      // reported below
    }
  }
  throw unavailable(`The SQLite store holds an unreadable record (key length ${key.length}); it was left untouched`);
}

function serialise(record: unknown): string {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw invalidArguments('A stored record must be a plain JSON object');
  }
  return recordText(record);
}

function newInstallId(random: (n: number) => Uint8Array): string {
  return Array.from(random(16), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The folder `iosDatabaseLocation` must name: a folder of its own under `Library/`, which the
 * plugin creates with `isExcludedFromBackup = true` (UtilsFile.swift `createDatabaseLocation`).
 */
export const IOS_DATABASE_LOCATION = 'Library/CapacitorDatabase';

/**
 * iOS: refuse a database that iCloud or a computer would back up. The plugin reads
 * `iosDatabaseLocation` from capacitor.config once, at load (CapacitorSQLitePlugin.swift
 * `sqliteConfig`), and puts every database there (CapacitorSQLite.swift `createConnection` →
 * Database.swift `getFilePath(databaseLocation:fileName:)`); no call lets JavaScript choose
 * another folder, and without the setting it is `Documents/`, which is backed up. The folder is
 * read back from `getUrl` (Database.swift `getUrl`: `file://` + the path) and must be a folder
 * of its own under `Library/` — not `Documents/`, `tmp/`, `Library/Caches/` (purged by iOS) or
 * `Library/` itself (backed up).
 */
async function checkIosLocation(sqlite: CapacitorSqliteApi, database: string): Promise<void> {
  let url: unknown;
  try {
    url = (await sqlite.getUrl({ database, readonly: false }))?.url;
  } catch (error) {
    throw storeFailed('tell where its database is', error);
  }
  const path = typeof url === 'string' ? url.replace(/^file:\/\//, '') : '';
  const folder = /\/Library\/([^/]+)\/[^/]+$/.exec(path)?.[1];
  if (folder !== undefined && folder !== 'Caches') return;
  throw securityNotAvailable(
    `The SQLite database is in a folder that iOS backs up or purges; identity-vault keeps its records out of backups. ` +
      `Set plugins.CapacitorSQLite.iosDatabaseLocation to '${IOS_DATABASE_LOCATION}' in capacitor.config and run npx cap sync (docs/native.md, "Install")`,
  );
}

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions {
  readonly sqlite: CapacitorSqliteApi;
  /** Where the install id lives (Keychain / Keystore, `ThisDeviceOnly`). */
  readonly items: KeychainItems;
  readonly randomBytes: (length: number) => Uint8Array;
  /** The OS: on iOS the database's folder is checked (see {@link checkIosLocation}). */
  readonly os: NativeOS;
  /** @default 'identityvault' */
  readonly database?: string;
}

/**
 * The device key's check value, kept where writes are durable (see plugin-device-key.ts): one
 * row, written and read through the store's queue.
 */
export interface DeviceKeyCheckRecord {
  get(): Promise<string | null>;
  put(checkValue: string): Promise<void>;
  remove(): Promise<void>;
}

/** The records, plus the device key's check value in a table of its own (never a record the core could delete). */
export interface SqliteStore extends SecretStore {
  readonly deviceKeyCheck: DeviceKeyCheckRecord;
}

class SqlitePluginStore implements SqliteStore {
  readonly #options: SqliteStoreOptions;
  readonly #sqlite: CapacitorSqliteApi;
  readonly #items: KeychainItems;
  readonly #database: string;
  #ready: Promise<void> | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  readonly deviceKeyCheck: DeviceKeyCheckRecord;

  constructor(options: SqliteStoreOptions) {
    this.#options = options;
    this.#sqlite = options.sqlite;
    this.#items = options.items;
    this.#database = options.database ?? DATABASE;
    this.deviceKeyCheck = new SqliteDeviceKeyCheck((work) => this.#serial(work), this.#query.bind(this), this.#transaction.bind(this));
  }

  get(key: string): Promise<StoredRecord | undefined> {
    return this.#serial(() => this.#read(key));
  }

  keys(prefix: string): Promise<string[]> {
    return this.#serial(() => this.#keysWith(prefix));
  }

  hasPrefix(prefix: string): Promise<boolean> {
    return this.#serial(async () => (await this.#keysWith(prefix, 1)).length > 0);
  }

  commit(change: StoreCommit): Promise<boolean> {
    return this.#serial(async () => {
      const set = statements(change); // bad records are refused before anything is read or written
      if (change.guard && !change.guard.test(await this.#read(change.guard.key))) return false;
      await this.#transaction(set);
      return true;
    });
  }

  update(key: string, update: (current: StoredRecord | undefined) => StoredRecord | undefined): Promise<StoredRecord | undefined> {
    return this.#serial(async () => {
      const current = await this.#read(key);
      const next = update(current);
      if (next === undefined) {
        if (current !== undefined) await this.#transaction([{ statement: 'DELETE FROM records WHERE key = ?', values: [key] }]);
        return undefined;
      }
      await this.#transaction([{ statement: 'INSERT OR REPLACE INTO records (key, value) VALUES (?, ?)', values: [key, serialise(next)] }]);
      return next;
    });
  }

  async #query(statement: string, values: Array<string | number | null>): Promise<Array<Record<string, unknown>>> {
    let result: Awaited<ReturnType<CapacitorSqliteApi['query']>>;
    try {
      result = await this.#sqlite.query({ database: this.#database, statement, values, readonly: false });
    } catch (error) {
      throw storeFailed('read', error);
    }
    const rows = (result as { values?: unknown } | undefined)?.values ?? [];
    if (!Array.isArray(rows)) throw unavailable('The SQLite plugin returned a malformed query result');
    // iOS returns `[{ ios_columns: [...] }, …rows]` for some queries: keep rows only.
    return rows.filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null && !('ios_columns' in row));
  }

  async #transaction(set: SqliteStatement[]): Promise<void> {
    if (set.length === 0) return;
    try {
      await this.#sqlite.executeSet({ database: this.#database, set, transaction: true, readonly: false });
    } catch (error) {
      throw storeFailed('write (nothing was written)', error);
    }
  }

  async #open(): Promise<void> {
    const sqlite = this.#sqlite;
    const database = this.#database;
    try {
      await sqlite.createConnection({ database, version: 1, encrypted: false, mode: 'no-encryption', readonly: false });
    } catch (error) {
      // A WebView reload keeps the native connection: "Connection … already exists".
      if (!/already exists/i.test(String((error as { message?: unknown })?.message ?? ''))) throw storeFailed('open its database', error);
    }
    if (this.#options.os === 'ios') await checkIosLocation(sqlite, database);
    try {
      const isOpen = await sqlite.isDBOpen({ database, readonly: false });
      if (isOpen?.result !== true) await sqlite.open({ database, readonly: false });
      await sqlite.execute({ database, statements: SCHEMA, transaction: true, readonly: false });
    } catch (error) {
      throw storeFailed('open its database', error);
    }
    // Belt and braces: FULL is SQLite's default for the rollback journal both OSes use here.
    await sqlite.execute({ database, statements: 'PRAGMA synchronous = FULL;', transaction: false, readonly: false }).catch(() => undefined);
    await this.#bindToInstall();
  }

  /** Discard a database that did not start on this install (restored from a backup). */
  async #bindToInstall(): Promise<void> {
    const items = this.#items;
    const stored = (await this.#query('SELECT install_id FROM install WHERE id = 1', []))[0]?.install_id;
    const databaseId = typeof stored === 'string' ? stored : null;
    let itemId = await items.get(INSTALL_ITEM);
    if (itemId === null && databaseId !== null && this.#options.os === 'android' && (await items.hasAndroidKey(INSTALL_ITEM))) {
      // The id's Keystore key exists, so this install wrote the id and only its apply() was lost
      // (a kill before SharedPreferences reached the disk): the database is this install's. A
      // restored database never meets such a key: Keystore keys are not in backups.
      await items.put(INSTALL_ITEM, databaseId);
      return;
    }
    if (itemId === null) {
      itemId = newInstallId(this.#options.randomBytes);
      // The item first: a crash before the row leaves a database that still matches nothing.
      await items.put(INSTALL_ITEM, itemId);
    }
    if (databaseId === itemId) return;
    const set: SqliteStatement[] = [{ statement: 'INSERT OR REPLACE INTO install (id, install_id) VALUES (1, ?)', values: [itemId] }];
    // A database with another id (or records but no id) came from elsewhere: none of it is used,
    // and the device key check it holds names a key this install never had.
    if (databaseId !== null || (await this.#query('SELECT key FROM records LIMIT 1', [])).length > 0)
      set.unshift({ statement: 'DELETE FROM records', values: [] }, { statement: 'DELETE FROM device_key_check', values: [] });
    await this.#transaction(set);
  }

  /** Run `work` after every earlier call, once the database is open. */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(async () => {
      this.#ready ??= this.#open().catch((error: unknown) => {
        this.#ready = undefined; // let a later call try again (e.g. before first unlock on iOS)
        throw error;
      });
      await this.#ready;
      return work();
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #read(key: string): Promise<StoredRecord | undefined> {
    return parse((await this.#query('SELECT value FROM records WHERE key = ?', [key]))[0]?.value, key);
  }

  async #keysWith(prefix: string, limit?: number): Promise<string[]> {
    const rows = await this.#query(`SELECT key FROM records WHERE ${PREFIX_WHERE}${limit ? ` LIMIT ${limit}` : ''}`, [prefix, prefix, prefix]);
    return rows.map((row) => row.key).filter((key): key is string => typeof key === 'string');
  }
}

/** The device key's check value: its one row, read and written through the store's queue. */
class SqliteDeviceKeyCheck implements DeviceKeyCheckRecord {
  readonly #serial: <T>(work: () => Promise<T>) => Promise<T>;
  readonly #query: (statement: string, values: Array<string | number | null>) => Promise<Array<Record<string, unknown>>>;
  readonly #transaction: (set: SqliteStatement[]) => Promise<void>;

  constructor(
    serial: <T>(work: () => Promise<T>) => Promise<T>,
    query: (statement: string, values: Array<string | number | null>) => Promise<Array<Record<string, unknown>>>,
    transaction: (set: SqliteStatement[]) => Promise<void>,
  ) {
    this.#serial = serial;
    this.#query = query;
    this.#transaction = transaction;
  }

  get(): Promise<string | null> {
    return this.#serial(async () => {
      const value = (await this.#query('SELECT check_value FROM device_key_check WHERE id = 1', []))[0]?.check_value;
      return typeof value === 'string' ? value : null;
    });
  }

  put(checkValue: string): Promise<void> {
    return this.#serial(() =>
      this.#transaction([{ statement: 'INSERT OR REPLACE INTO device_key_check (id, check_value) VALUES (1, ?)', values: [checkValue] }]),
    );
  }

  remove(): Promise<void> {
    return this.#serial(() => this.#transaction([{ statement: 'DELETE FROM device_key_check', values: [] }]));
  }
}

/** The statements of one commit, in order: prefix deletes, deletes, puts (a bad record throws here). */
function statements(change: StoreCommit): SqliteStatement[] {
  return [
    ...(change.deletePrefixes ?? []).map((prefix) => ({ statement: `DELETE FROM records WHERE ${PREFIX_WHERE}`, values: [prefix, prefix, prefix] })),
    ...(change.delete ?? []).map((key) => ({ statement: 'DELETE FROM records WHERE key = ?', values: [key] })),
    ...(change.put ?? []).map(([key, record]) => ({
      statement: 'INSERT OR REPLACE INTO records (key, value) VALUES (?, ?)',
      values: [key, serialise(record)],
    })),
  ];
}

/**
 * The store.
 *
 * @example
 * ```ts
 * const store = sqliteStore({ sqlite: CapacitorSQLite, items, os: 'ios', randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)) });
 * await store.commit({ put: [['k', { v: 1 }]] });
 * ```
 */
export function sqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqlitePluginStore(options);
}

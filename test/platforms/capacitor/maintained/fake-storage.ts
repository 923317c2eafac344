/**
 * Fakes of the two storage plugins' native methods, written from their published sources.
 *
 * `SecureStorage` (`@aparajita/capacitor-secure-storage` 8.0.1): ios/Sources/SecureStoragePlugin/Plugin.swift
 * (KeychainSwift; `access` 0–4 → `kSecAttrAccessible…`, `sync` → `kSecAttrSynchronizable`;
 * a missing item resolves `["data": nil]`) and android/…/SecureStorage.java (one Keystore key
 * per item, ciphertext in SharedPreferences written with `apply()`).
 *
 * `CapacitorSQLite` (`@capacitor-community/sqlite` 8.1.1): a real SQLite (sql.js) behind the
 * plugin's method shapes — CapacitorSQLite.swift / CapacitorSQLite.java `createConnection`
 * ("Connection … already exists"), `open`, `isDBOpen`, `execute`, `executeSet` (Database.java
 * `executeSet`: `beginTransaction()`, each statement, `commitTransaction()`, and a rollback in
 * `finally` when anything failed), `query` (iOS UtilsSQLCipher `querySQL` puts an
 * `{ ios_columns: [...] }` entry before the rows).
 */
import initSqlJs, { type Database } from 'sql.js';
import type { CapacitorSqliteApi, NativeOS, SecureStorageApi, SqliteStatement } from '../../../../src/capacitor/plugin-apis.js';

const reject = (message: string, code?: string): Promise<never> => Promise.reject(Object.assign(new Error(message), code === undefined ? {} : { code }));

export interface KeychainItem {
  data: string;
  access: number | undefined;
  sync: boolean;
}

export class FakeSecureStorage implements SecureStorageApi {
  readonly items = new Map<string, KeychainItem>();
  /** Android: writes since the last flush (`SharedPreferences.apply()` is asynchronous). */
  private unflushed = new Map<string, KeychainItem | undefined>();

  constructor(readonly os: NativeOS) {}

  async internalSetItem(options: { prefixedKey: string; data: string; sync: boolean; access: number }): Promise<void> {
    if (!options.prefixedKey) return reject('No key provided', 'missingKey');
    if (typeof options.data !== 'string') return reject('Invalid data', 'invalidData');
    if (this.os === 'android' && !this.unflushed.has(options.prefixedKey)) this.unflushed.set(options.prefixedKey, this.items.get(options.prefixedKey));
    this.items.set(options.prefixedKey, {
      data: options.data,
      access: this.os === 'ios' ? options.access : undefined,
      sync: this.os === 'ios' && options.sync,
    });
  }
  async internalGetItem(options: { prefixedKey: string; sync: boolean }): Promise<{ data?: string | null }> {
    if (!options.prefixedKey) return reject('No key provided', 'missingKey');
    const item = this.items.get(options.prefixedKey);
    // iOS: `["data": nil]` reaches JavaScript without the entry; Android puts JSObject.NULL.
    if (!item) return this.os === 'ios' ? {} : { data: null };
    return { data: item.data };
  }
  async internalRemoveItem(options: { prefixedKey: string; sync: boolean }): Promise<{ success: boolean }> {
    if (!options.prefixedKey) return reject('No key provided', 'missingKey');
    if (this.os === 'android' && !this.unflushed.has(options.prefixedKey)) this.unflushed.set(options.prefixedKey, this.items.get(options.prefixedKey));
    return { success: this.items.delete(options.prefixedKey) };
  }

  /** Android: the pending `apply()` writes reach the disk. */
  flush(): void {
    this.unflushed.clear();
  }
  /** Android: the process is killed before `apply()` wrote the file: the last writes are lost. */
  loseUnflushedWrites(): void {
    for (const [key, before] of this.unflushed) {
      if (before === undefined) this.items.delete(key);
      else this.items.set(key, before);
    }
    this.unflushed.clear();
  }
  /** A backup restored on another device (or after a reinstall): Keystore keys and ThisDeviceOnly items are not in it. */
  restoreElsewhere(): void {
    this.unflushed.clear();
    if (this.os === 'android') {
      this.items.clear(); // the Keystore keys stay behind, so no restored entry decrypts
      return;
    }
    const THIS_DEVICE_ONLY = [1, 3, 4];
    for (const [key, item] of [...this.items]) if (item.access !== undefined && THIS_DEVICE_ONLY.includes(item.access)) this.items.delete(key);
  }
}

let sqlJs: Awaited<ReturnType<typeof initSqlJs>> | undefined;

/** sql.js, loaded once per test process. */
export async function loadSqlJs(): Promise<Awaited<ReturnType<typeof initSqlJs>>> {
  sqlJs ??= await initSqlJs();
  return sqlJs;
}

export class FakeCapacitorSqlite implements CapacitorSqliteApi {
  /** Database files on "disk", kept across app restarts. */
  readonly files = new Map<string, Database>();
  private readonly connections = new Map<string, { open: boolean }>();
  readonly calls: Array<{ method: string; options?: unknown }> = [];
  /** Test hook: throw inside the next executeSet after this many statements (a crash mid-transaction). */
  failAfterStatements: number | undefined;

  constructor(
    readonly os: NativeOS,
    private readonly sql: Awaited<ReturnType<typeof initSqlJs>>,
  ) {}

  /** The app process died: connections are gone, files stay. */
  killProcess(): void {
    this.connections.clear();
  }
  /** Every row of every table, for canary scans. */
  dump(): string {
    return [...this.files.values()].map((db) => JSON.stringify(db.exec('SELECT * FROM records'))).join('\n');
  }

  private db(database: string): Database {
    const connection = this.connections.get(database);
    if (!connection) throw Object.assign(new Error(`Connection to ${database} not available`), {});
    if (!connection.open) throw new Error(`Database ${database} not opened`);
    return this.files.get(database)!;
  }

  async createConnection(options: { database: string; version: number; encrypted: boolean; mode: string; readonly: boolean }): Promise<void> {
    this.calls.push({ method: 'createConnection', options });
    if (this.connections.has(options.database)) return reject(`Connection ${options.database} already exists`);
    this.connections.set(options.database, { open: false });
  }
  async isDBOpen(options: { database: string; readonly: boolean }): Promise<{ result?: boolean }> {
    return { result: this.connections.get(options.database)?.open === true };
  }
  async open(options: { database: string; readonly: boolean }): Promise<void> {
    this.calls.push({ method: 'open', options });
    const connection = this.connections.get(options.database);
    if (!connection) return reject(`Connection to ${options.database} not available`);
    if (!this.files.has(options.database)) this.files.set(options.database, new this.sql.Database());
    connection.open = true;
  }
  async execute(options: { database: string; statements: string; transaction: boolean; readonly: boolean }): Promise<{ changes?: { changes?: number } }> {
    this.calls.push({ method: 'execute', options });
    const db = this.db(options.database);
    if (options.transaction) db.run('BEGIN TRANSACTION');
    try {
      db.exec(options.statements);
      if (options.transaction) db.run('COMMIT');
    } catch (error) {
      if (options.transaction) db.run('ROLLBACK');
      return reject(`Execute: ${(error as Error).message}`);
    }
    return { changes: { changes: db.getRowsModified() } };
  }
  async executeSet(options: {
    database: string;
    set: SqliteStatement[];
    transaction: boolean;
    readonly: boolean;
  }): Promise<{ changes?: { changes?: number } }> {
    this.calls.push({ method: 'executeSet', options });
    const db = this.db(options.database);
    const failAfter = this.failAfterStatements;
    this.failAfterStatements = undefined;
    if (options.transaction) db.run('BEGIN TRANSACTION');
    let changes = 0;
    try {
      options.set.forEach(({ statement, values }, index) => {
        if (failAfter !== undefined && index === failAfter) throw new Error('disk I/O error (injected)');
        db.run(statement, values);
        changes += db.getRowsModified();
      });
      if (options.transaction) db.run('COMMIT');
    } catch (error) {
      if (options.transaction) db.run('ROLLBACK');
      return reject(`ExecuteSet: ${(error as Error).message}`);
    }
    return { changes: { changes } };
  }
  async query(options: {
    database: string;
    statement: string;
    values: Array<string | number | null>;
    readonly: boolean;
  }): Promise<{ values?: Array<Record<string, unknown>> }> {
    this.calls.push({ method: 'query', options });
    const db = this.db(options.database);
    const statement = db.prepare(options.statement);
    const rows: Array<Record<string, unknown>> = [];
    try {
      statement.bind(options.values);
      while (statement.step()) rows.push(statement.getAsObject());
    } catch (error) {
      return reject(`Query: ${(error as Error).message}`);
    } finally {
      statement.free();
    }
    if (this.os === 'ios' && rows.length > 0) return { values: [{ ios_columns: Object.keys(rows[0]!) }, ...rows] };
    return { values: rows };
  }
}

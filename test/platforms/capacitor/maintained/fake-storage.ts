/**
 * Fakes of the two storage plugins' native methods, written from their published sources.
 *
 * `SecureStorage` (`@aparajita/capacitor-secure-storage` 8.0.1): ios/Sources/SecureStoragePlugin/Plugin.swift
 * (KeychainSwift; `access` 0–4 → `kSecAttrAccessible…`, `sync` → `kSecAttrSynchronizable`;
 * a missing item resolves `["data": nil]`) and android/…/SecureStorage.java (one Keystore key
 * per item, ciphertext in SharedPreferences written with `apply()`): see {@link FakeSecureStorage}.
 *
 * `CapacitorSQLite` (`@capacitor-community/sqlite` 8.1.1): a real SQLite (sql.js) behind the
 * plugin's method shapes — CapacitorSQLite.swift / CapacitorSQLite.java `createConnection`
 * ("Connection … already exists"), `open`, `isDBOpen`, `getUrl`, `execute`, `executeSet` (Database.java
 * `executeSet`: `beginTransaction()`, each statement, `commitTransaction()`, and a rollback in
 * `finally` when anything failed), `query` (iOS UtilsSQLCipher `querySQL` puts an
 * `{ ios_columns: [...] }` entry before the rows).
 */
import initSqlJs, { type Database } from 'sql.js';
import type { CapacitorSqliteApi, NativeOS, SecureStorageApi, SqliteStatement } from 'identity-vault/capacitor';

const reject = (message: string, code?: string): Promise<never> => Promise.reject(Object.assign(new Error(message), code === undefined ? {} : { code }));

export interface KeychainItem {
  data: string;
  access: number | undefined;
  sync: boolean;
  /** Android: which Keystore key (alias generation) encrypted `data`. */
  keyId?: number;
}

const copy = (items: Map<string, KeychainItem>) => new Map([...items].map(([key, item]) => [key, { ...item }]));

/**
 * iOS: the Keychain. `SecItemAdd`/`SecItemUpdate`/`SecItemDelete` (KeychainSwift `set`/`delete`)
 * are done when the call returns, so every write is on disk when the promise resolves.
 *
 * Android (SecureStorage.java, line numbers of 8.0.1), three places with different durability:
 * - the Keystore: `getSecretKey` (310-343) creates the item's AES key the first time an item is
 *   written, and `removeAlias` deletes it (177-186); both are done when the call returns (the
 *   Keystore is a system service, not a file of the app);
 * - SharedPreferences in memory (`SharedPreferencesImpl.mMap`): what every read sees;
 * - the SharedPreferences file: `storeDataInKeyStore` (144-151) and `removeAlias` write it with
 *   `apply()` (150, 181), which updates memory at once and the file later, on a background
 *   thread. {@link flush} is that write; {@link loseUnflushedWrites} is a process kill before it.
 * A read finds the ciphertext in memory and decrypts it with the alias's key: no alias gives
 * `null` (297-298); another key than the one that encrypted it fails `doFinal` with
 * `AEADBadTagException`, rejected as `osError` (225-226).
 */
export class FakeSecureStorage implements SecureStorageApi {
  /** What a read sees: iOS the Keychain; Android SharedPreferences in memory (ciphertext shown as the data it encrypts). */
  readonly items = new Map<string, KeychainItem>();
  /** Android: `WSSecureStorageSharedPreferences.xml` as last written to disk. */
  private prefsFile = new Map<string, KeychainItem>();
  /** Android: Keystore aliases and the id of the key each holds. */
  private readonly keystore = new Map<string, number>();
  private keysMade = 0;

  constructor(readonly os: NativeOS) {}

  async internalSetItem(options: { prefixedKey: string; data: string; sync: boolean; access: number }): Promise<void> {
    if (!options.prefixedKey) return reject('No key provided', 'missingKey');
    if (typeof options.data !== 'string') return reject('Invalid data', 'invalidData');
    if (this.os === 'ios') {
      this.items.set(options.prefixedKey, { data: options.data, access: options.access, sync: options.sync });
      return;
    }
    if (!this.keystore.has(options.prefixedKey)) this.keystore.set(options.prefixedKey, ++this.keysMade);
    this.items.set(options.prefixedKey, { data: options.data, access: undefined, sync: false, keyId: this.keystore.get(options.prefixedKey)! });
  }
  async internalGetItem(options: { prefixedKey: string; sync: boolean }): Promise<{ data?: string | null }> {
    if (!options.prefixedKey) return reject('No key provided', 'missingKey');
    const item = this.items.get(options.prefixedKey);
    // iOS: `["data": nil]` reaches JavaScript without the entry; Android puts JSObject.NULL.
    if (!item) return this.os === 'ios' ? {} : { data: null };
    if (this.os === 'android') {
      const keyId = this.keystore.get(options.prefixedKey);
      if (keyId === undefined) return { data: null };
      if (keyId !== item.keyId) return reject('An OS error occurred (AEADBadTagException)', 'osError');
    }
    return { data: item.data };
  }
  async internalRemoveItem(options: { prefixedKey: string; sync: boolean }): Promise<{ success: boolean }> {
    if (!options.prefixedKey) return reject('No key provided', 'missingKey');
    if (this.os === 'ios') return { success: this.items.delete(options.prefixedKey) };
    if (!this.keystore.has(options.prefixedKey)) return { success: false };
    this.keystore.delete(options.prefixedKey);
    this.items.delete(options.prefixedKey);
    return { success: true };
  }

  async internalGetPrefixedKeys(options: { prefix: string; sync: boolean }): Promise<{ keys?: string[] }> {
    if (!options.prefix?.trim()) return reject('No prefix provided', 'missingPrefix');
    // iOS: KeychainSwift `allKeys`; Android: the Keystore's aliases (`getKeysWithPrefix`), not SharedPreferences.
    const names = this.os === 'ios' ? [...this.items.keys()] : [...this.keystore.keys()];
    return { keys: names.filter((name) => name.startsWith(options.prefix)) };
  }

  /** Android: the pending `apply()` writes reach the file. */
  flush(): void {
    if (this.os === 'android') this.prefsFile = copy(this.items);
  }
  /** Android: the process is killed before `apply()` wrote the file: memory is read again from the file. */
  loseUnflushedWrites(): void {
    if (this.os !== 'android') return;
    this.items.clear();
    for (const [key, item] of copy(this.prefsFile)) this.items.set(key, item);
  }
  /** Whether the Keystore holds an item's key (Android), e.g. after its `apply()` was lost. */
  hasKeystoreKey(prefixedKey: string): boolean {
    return this.keystore.has(prefixedKey);
  }
  /**
   * A backup restored on another device (or after a reinstall). iOS: items with a `ThisDeviceOnly`
   * accessibility are not in it. Android: Auto Backup brings the SharedPreferences file back, but
   * Keystore keys never leave the device, so no restored entry decrypts.
   */
  restoreElsewhere(): void {
    if (this.os === 'android') {
      this.flush(); // the backup was taken from the file
      this.keystore.clear();
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
  /**
   * iOS: `plugins.CapacitorSQLite.iosDatabaseLocation` of the app's capacitor.config, read once
   * when the plugin loads (CapacitorSQLitePlugin.swift); `undefined` is the plugin's default,
   * `Documents` (CapacitorSQLite.swift). The fakes default to what docs/native.md tells apps to set.
   */
  iosDatabaseLocation: string | undefined = 'Library/CapacitorDatabase';

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
  /** Database.swift / Database.java `getUrl`: `file://` and the file's path, for a connection that exists. */
  async getUrl(options: { database: string; readonly: boolean }): Promise<{ url?: string }> {
    if (!this.connections.has(options.database)) return reject(`Connection to ${options.database} not available`);
    const file = `${options.database}SQLite.db`;
    if (this.os === 'android') return { url: `file:///data/user/0/io.example.app/databases/${file}` };
    // UtilsFile.swift getFolderURL: Documents/default, Library[/…], tmp, cache (Library/Caches).
    const [first, rest] = (this.iosDatabaseLocation ?? 'Documents').split(/\/(.*)/s);
    const base = first === 'cache' ? 'Library/Caches' : first === 'default' ? 'Documents' : first!;
    const folder = rest ? `${base}/${rest}` : base;
    return { url: `file:///var/mobile/Containers/Data/Application/0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0/${folder}/${file}` };
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

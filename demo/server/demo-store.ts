/**
 * The demo API's embedded store: one JSON file the server owns (`users.json` in the data
 * directory, created at first start with the demo users). Passwords are stored as scrypt hashes;
 * bearer tokens only as their SHA-256, with an expiry, so a copy of the file logs nobody in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hashPassword, isPasswordHash, verifyAgainstDecoy, verifyPassword, type PasswordHash } from './password-hash.js';

/** A demo user, with the password printed at start (demo credentials, not secrets). */
export interface DemoUser {
  readonly username: string;
  readonly password: string;
  readonly displayName: string;
  readonly email: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'alice', password: 'correct horse', displayName: 'Alice Liddell', email: 'alice@example.com' },
  { username: 'bob', password: 'battery staple', displayName: 'Bob Tables', email: 'bob@example.com' },
];

/** A user as stored. */
export interface UserRecord {
  readonly username: string;
  readonly displayName: string;
  readonly email: string;
  readonly password: PasswordHash;
  /** ISO time of the last successful login, or null. */
  lastLogin: string | null;
}

interface TokenRecord {
  readonly username: string;
  /** ms since the epoch */
  readonly expiresAt: number;
}

interface StoreFile {
  version: 1;
  users: Record<string, UserRecord>;
  /** Keyed by the SHA-256 (hex) of the token. */
  tokens: Record<string, TokenRecord>;
}

/** Options of {@link DemoStore.open}. */
export interface DemoStoreOptions {
  /** Directory of `users.json`; created (mode 0700) when missing. */
  readonly dataDir: string;
  /** Token lifetime. @default 12 hours */
  readonly tokenTtlMs?: number;
  /** The clock (tests). @default Date.now */
  readonly now?: () => number;
}

/** An issued token: the only time the raw token exists on the server. */
export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: number;
}

const FILE_NAME = 'users.json';
const TOKEN_BYTES = 32;

function tokenKey(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function parseStore(text: string): StoreFile {
  const data = JSON.parse(text) as Partial<StoreFile> | null;
  if (data?.version !== 1 || typeof data.users !== 'object' || typeof data.tokens !== 'object') {
    throw new Error(`${FILE_NAME} is not a demo store (version 1)`);
  }
  for (const user of Object.values(data.users)) {
    if (!isPasswordHash(user.password)) throw new Error(`${FILE_NAME}: user ${user.username} has no valid password hash`);
  }
  return data as StoreFile;
}

/**
 * Users and tokens, kept in memory and written to disk after every change (write to a temporary
 * file, then rename, so a crash never leaves half a file).
 *
 * @example
 * ```ts
 * const store = await DemoStore.open({ dataDir: 'demo/.data' });
 * const user = await store.checkCredentials('alice', 'correct horse');
 * ```
 */
export class DemoStore {
  readonly #file: string;
  readonly #data: StoreFile;
  readonly #ttl: number;
  readonly #now: () => number;
  #writes: Promise<void> = Promise.resolve();

  private constructor(file: string, data: StoreFile, ttl: number, now: () => number) {
    this.#file = file;
    this.#data = data;
    this.#ttl = ttl;
    this.#now = now;
  }

  /** Opens the store in `dataDir`, creating it with the demo users on first use. */
  static async open(options: DemoStoreOptions): Promise<DemoStore> {
    const { dataDir } = options;
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    // Keep the data directory out of git wherever it is.
    await writeFile(path.join(dataDir, '.gitignore'), '*\n', { flag: 'w' });
    const file = path.join(dataDir, FILE_NAME);
    let data: StoreFile;
    let created = false;
    try {
      data = parseStore(await readFile(file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      data = { version: 1, users: {}, tokens: {} };
      for (const user of DEMO_USERS) {
        data.users[user.username] = {
          username: user.username,
          displayName: user.displayName,
          email: user.email,
          password: await hashPassword(user.password),
          lastLogin: null,
        };
      }
      created = true;
    }
    const store = new DemoStore(file, data, options.tokenTtlMs ?? 12 * 60 * 60 * 1000, options.now ?? Date.now);
    if (created) await store.#save();
    return store;
  }

  /** The file the store lives in. */
  get file(): string {
    return this.#file;
  }

  /**
   * The user when `password` is theirs; `undefined` otherwise. An unknown username costs the same
   * scrypt time as a known one.
   */
  async checkCredentials(username: string, password: string): Promise<UserRecord | undefined> {
    const user = Object.hasOwn(this.#data.users, username) ? this.#data.users[username] : undefined;
    if (user === undefined) {
      await verifyAgainstDecoy(password);
      return undefined;
    }
    return (await verifyPassword(password, user.password)) ? user : undefined;
  }

  /** Issues a new random token for `user` and records the login time. */
  async issueToken(user: UserRecord): Promise<IssuedToken> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const now = this.#now();
    const expiresAt = now + this.#ttl;
    this.#dropExpired(now);
    this.#data.tokens[tokenKey(token)] = { username: user.username, expiresAt };
    user.lastLogin = new Date(now).toISOString();
    await this.#save();
    return { token, expiresAt };
  }

  /** The user a valid, unexpired token belongs to. */
  userForToken(token: string): UserRecord | undefined {
    const key = tokenKey(token);
    const record = Object.hasOwn(this.#data.tokens, key) ? this.#data.tokens[key] : undefined;
    if (record === undefined || record.expiresAt <= this.#now()) return undefined;
    return Object.hasOwn(this.#data.users, record.username) ? this.#data.users[record.username] : undefined;
  }

  /** Revokes `token`; false when it was not a valid token. */
  async revokeToken(token: string): Promise<boolean> {
    if (this.userForToken(token) === undefined) return false;
    delete this.#data.tokens[tokenKey(token)];
    await this.#save();
    return true;
  }

  #dropExpired(now: number): void {
    for (const [key, record] of Object.entries(this.#data.tokens)) {
      if (record.expiresAt <= now) delete this.#data.tokens[key];
    }
  }

  /** Writes are queued so two requests never interleave their renames. */
  #save(): Promise<void> {
    const text = `${JSON.stringify(this.#data, null, 2)}\n`;
    const write = this.#writes.then(async () => {
      const temporary = `${this.#file}.${process.pid}.tmp`;
      await writeFile(temporary, text, { mode: 0o600 });
      await rename(temporary, this.#file);
    });
    this.#writes = write.catch(() => undefined);
    return write;
  }
}

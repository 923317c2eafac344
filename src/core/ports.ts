/**
 * Ports: everything the platform-free core needs from a platform. The core never touches
 * `window`, `indexedDB`, `navigator`, the `crypto` global or `fs`; a platform (web, node,
 * testing, capacitor) supplies an object implementing {@link Platform}.
 *
 * Conventions:
 * - one options object in, one result out;
 * - "unavailable" is a value (see {@link BiometricAvailability}), not an exception;
 * - every expected failure is thrown as a `VaultError` with the right code and the platform's
 *   error as `cause` — the adapter translates, the core never guesses from platform messages.
 */
import type { BiometricType } from './types.js';

/**
 * A persisted record: plain data (strings, numbers, booleans, null, arrays, plain objects) whose
 * top-level fields may also be bytes ({@link StoredBytes}: a sealed value's IV and ciphertext).
 *
 * Bytes are stored as bytes where the store can hold them (IndexedDB's structured clone: no base64
 * on the way in or out, and a third less to write). A store that keeps text encodes them at its own
 * boundary with `recordText` (core/records.ts) as their canonical base64 text, and gives that text
 * back on reads: readers of a bytes field (core/records.ts, core/envelope.ts) accept either form,
 * which is also how records written before bytes were stored keep opening.
 */
export type StoredRecord = { readonly [field: string]: JsonValue | StoredBytes };
/** Bytes in a {@link StoredRecord}; read back from a text store as their base64 text. */
export type StoredBytes = Uint8Array<ArrayBuffer>;
/** JSON data. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [field: string]: JsonValue };
/** A record that is JSON data only (no bytes): what text parses to, and what a biometric credential is. */
export type JsonRecord = { readonly [field: string]: JsonValue };

/** One atomic batch of changes, see {@link SecretStore.commit}. */
export interface StoreCommit {
  /**
   * Optional precondition, checked inside the same transaction as the writes: when the record at
   * `key` does not satisfy `test` (called with `undefined` when absent), nothing is written and
   * `commit` resolves `false`. `test` must be synchronous and pure.
   */
  readonly guard?: { readonly key: string; readonly test: (record: StoredRecord | undefined) => boolean };
  /** Records to write (replacing what is there). */
  readonly put?: ReadonlyArray<readonly [key: string, record: StoredRecord]>;
  /** Keys to delete. */
  readonly delete?: readonly string[];
  /** Every key starting with one of these prefixes is deleted (applied before `put`). */
  readonly deletePrefixes?: readonly string[];
  /**
   * `'relaxed'`: the commit is still atomic and seen at once by every other reader, but it may be
   * lost to a power cut or OS crash until a later strict commit (IndexedDB `durability: 'relaxed'`).
   * Only for records whose loss is harmless (key rotation's mark). A store may treat it as strict.
   */
  readonly durability?: 'relaxed';
}

/**
 * Persistent key-value storage of records, shared by every vault of the app.
 *
 * Atomicity: each call is all-or-nothing, even if the process dies or the page closes in the
 * middle; once the promise resolves the change is durable (IndexedDB `durability: 'strict'`,
 * fsync on Node). Two tabs or processes calling at once never lose each other's changes.
 * Failures (quota, I/O, corrupted files) are thrown as `VaultError(VaultUnavailable)`.
 */
export interface SecretStore {
  /** The record at `key`, or `undefined`. */
  get(key: string): Promise<StoredRecord | undefined>;
  /** The keys that start with `prefix`, in any order. */
  keys(prefix: string): Promise<string[]>;
  /** Whether at least one key starts with `prefix` (cheaper than `keys`). */
  hasPrefix(prefix: string): Promise<boolean>;
  /**
   * Optional: every record whose key starts with `prefix`, read at once (one IndexedDB
   * transaction). Used to re-encrypt a whole vault; without it the core reads key by key.
   */
  entries?(prefix: string): Promise<Array<[string, StoredRecord]>>;
  /** Apply a batch atomically; `false` when the guard failed and nothing was written. */
  commit(change: StoreCommit): Promise<boolean>;
  /**
   * Optional: {@link SecretStore.commit}, and in the same transaction after its writes, every
   * record whose key starts with `prefix`, handed to `onRecords` in key order, whole or in parts as
   * they are read, every part before the promise settles. A part may come before the commit is
   * done: use them only once the promise resolved `true`. `false` when the guard failed (nothing written, `onRecords` not called).
   * Key rotation marks a vault and reads its values with it (one transaction instead of two, and
   * the values of one part are re-encrypted while the next is read); without it the core calls
   * `commit`, then reads.
   */
  commitThenRead?(change: StoreCommit, prefix: string, onRecords: (records: Array<[string, StoredRecord]>) => void): Promise<boolean>;
  /**
   * Optional: a read-modify-write of every record under `prefix` in ONE transaction that stays open
   * while the caller works asynchronously (web: IndexedDB, kept open with small reads; other
   * stores' writers wait meanwhile, none fails). In it: `guard` is checked (false: nothing is
   * written, resolves `false`); the records are handed to `onRecords` in key order, in parts as
   * they are read, and the records a part's promise resolves are put as soon as they are ready;
   * `finish` is called once the guard (and the device key) are read, while the records are, and
   * the writes it resolves are applied once every part was read. The order between a part's puts
   * and `finish`'s writes is not defined: they must be for different records. The commit (strict)
   * follows every part's puts and `finish`'s writes. When `finish` or a part's promise rejects,
   * nothing is written and the call rejects with its error.
   * Key rotation re-encrypts a vault in it, so no write of another tab can fall between its read
   * and its write (core/key-rotation.ts). Without it the core marks the vault first.
   *
   * With `deviceKey: true` (stores that keep the platform's device key in the same database: the
   * web), the transaction also reads the device key and gives it to `finish` (`undefined` when
   * there is none); a `deviceKey` that `finish` returns is stored with the commit when there was
   * none. Such a store's {@link DeviceKeyPort.deleteUnlessUsed} runs in transactions of the same
   * database, so the key stays for as long as a committed record uses it.
   *
   * `early`: records the caller expects under `prefix`, ready before the transaction starts (values
   * the tab holds, already sealed: core/known-values.ts). The store reads every record before it
   * puts them (so `onRecords` still gets the records as they were), puts them before any put of
   * `onRecords` (so those win for the same key), and deletes again each one whose key the reads
   * did not find (a record removed meanwhile is not brought back). All records then come in one part.
   */
  rewrite?(
    options: {
      readonly guard: NonNullable<StoreCommit['guard']>;
      readonly prefix: string;
      readonly deviceKey?: boolean;
      readonly early?: ReadonlyArray<readonly [string, StoredRecord]>;
    },
    onRecords: (records: Array<[string, StoredRecord]>) => Promise<ReadonlyArray<readonly [string, StoredRecord]>> | void,
    finish: (found: { readonly deviceKey?: CryptoKey }) => Promise<{ readonly change: StoreCommit; readonly deviceKey?: CryptoKey }>,
  ): Promise<boolean>;
  /**
   * Atomic read-modify-write of one record: `update` receives the current record (or `undefined`)
   * and returns the new one (`undefined` deletes). Resolves with what was written. `update` must
   * be synchronous and pure: it may be called more than once.
   */
  update(key: string, update: (current: StoredRecord | undefined) => StoredRecord | undefined): Promise<StoredRecord | undefined>;
}

/** WebCrypto, as the platform provides it. */
export interface CryptoPort {
  /** A WebCrypto `SubtleCrypto` (browser `crypto.subtle`, Node `webcrypto.subtle`). */
  readonly subtle: SubtleCrypto;
  /** `length` cryptographically random bytes. */
  randomBytes(length: number): Uint8Array<ArrayBuffer>;
}

/**
 * The device-bound key: wraps a vault's data key when neither passcode nor biometrics is
 * enabled (`AuthMode.SecureStorage`). An AES-GCM `CryptoKey`, non-extractable where the platform
 * can persist such a key (web: stored as a `CryptoKey` in IndexedDB), usages `wrapKey`/`unwrapKey`.
 */
export interface DeviceKeyPort {
  /** The device key, created on first use when `create` is true; `undefined` when absent and not created. */
  get(options: { create: boolean }): Promise<CryptoKey | undefined>;
  /**
   * Deletes the device key (nothing happens when there is none). The core calls it once no vault
   * of the platform has a device wrap left, so an old copy of storage that still holds a device
   * wrap cannot be opened on this device any more. The next `get({ create: true })` makes a new key.
   */
  delete(): Promise<void>;
  /**
   * Optional: deletes the device key unless `inUse` is true for one of the records under `prefix`
   * whose key `select` picks, reading them in the same transaction as the delete (web: the records
   * and the key are in one database), so no commit of a record that uses the key can land between
   * the look and the delete. Resolves whether it deleted. Without it the core looks, then deletes,
   * and checks after each commit of a device wrap that the key is still there.
   */
  deleteUnlessUsed?(prefix: string, select: (key: string) => boolean, inUse: (record: StoredRecord | undefined) => boolean): Promise<boolean>;
}

/** Whether biometrics can be used, and which. */
export interface BiometricAvailability {
  /** True when a user-verifying biometric authenticator that can release key material is present. */
  readonly available: boolean;
  /** Best-effort type of the device's biometrics; `'none'` when unavailable. */
  readonly type: BiometricType;
  /**
   * Whether the OS has locked biometrics after too many failed attempts (`isLockedOutOfBiometrics`).
   * Optional: a platform that cannot tell (WebAuthn reports a lockout with the same `NotAllowedError`
   * as a cancel) leaves it out, which reads as `false`.
   */
  readonly lockedOut?: boolean;
}

/** A biometric credential the platform created for one vault. Opaque JSON for the core; persisted. */
export type BiometricCredential = JsonRecord;

/**
 * Biometric key release. The platform, not the core, decides whether the user is who they claim:
 * success means the platform released a wrapping key, never just "true" — a vault cannot be
 * unlocked without the key material the platform holds.
 *
 * Errors thrown (as `VaultError`): `SecurityNotAvailable` (no authenticator), `UserCanceledInteraction`
 * (user cancelled), `AuthFailed` (not recognised), `InvalidatedCredential` (biometrics re-enrolled),
 * `KeyNotFound` (credential gone).
 */
export interface BiometricsPort {
  availability(): Promise<BiometricAvailability>;
  /**
   * Create a credential for the vault and return it with its wrapping key (AES-GCM, usages
   * `wrapKey`/`unwrapKey`). May show a prompt (web: `navigator.credentials.create`).
   */
  enroll(options: { vaultId: string; username: string }): Promise<{ credential: BiometricCredential; key: CryptoKey }>;
  /**
   * The wrapping key of `credential`, to protect a new data key. The native-contract platform
   * releases it without a prompt; the web (an assertion) and the Capacitor plugins
   * (`getSecureData`) show one.
   */
  keyForWrap(options: { credential: BiometricCredential }): Promise<CryptoKey>;
  /** The wrapping key of `credential` after the user verified with biometrics (always a prompt). */
  keyForUnwrap(options: { credential: BiometricCredential }): Promise<CryptoKey>;
  /** Forget the credential (best effort: the web cannot delete a passkey from the authenticator). */
  remove(options: { credential: BiometricCredential }): Promise<void>;
}

/** What the built-in passcode prompt is asked for. */
export type PasscodePromptPurpose = 'unlock' | 'setup' | 'confirm';

/** What an unlock prompt shows when it asks again after a wrong passcode. */
export interface PasscodeRetry {
  /** Passcode attempts left before the vault is cleared. */
  readonly remainingAttempts: number;
}

/**
 * The app's own words for the unlock prompt (Identity Vault 4.1's `androidPromptTitle`,
 * `androidPromptSubtitle`, `androidPromptDescription`). A prompt shows them when asking to unlock.
 */
export interface PasscodePromptTexts {
  readonly title?: string;
  readonly subtitle?: string;
  readonly description?: string;
}

/** The platform's built-in passcode prompt (web: an accessible `<dialog>`; node: the terminal). */
export interface PasscodePromptPort {
  /**
   * Ask the user for a passcode. Resolves the passcode, or `undefined` when the user cancelled.
   * `purpose` is `'setup'` for a new passcode and `'confirm'` for the second entry of a new one;
   * the core compares the two.
   *
   * Unlock requests of a prompt that has {@link PasscodePromptPort.close} come with `staysOpen`:
   * the prompt stays on screen after the answer while the vault checks it, and after a wrong
   * passcode the next request carries `retry` (show the error and the attempts left there).
   */
  request(options: {
    purpose: PasscodePromptPurpose;
    descriptor: { vaultId: string; username: string };
    retry?: PasscodeRetry;
    staysOpen?: boolean;
    /** The app's words for an `'unlock'` prompt (`androidPromptTitle`, …), when it gave any. */
    texts?: PasscodePromptTexts;
  }): Promise<string | undefined>;
  /**
   * Optional. A prompt that has it works like a phone's lock screen: after a wrong passcode the
   * vault asks again at once, in the same prompt, until the passcode is right, the user cancels or
   * the attempts run out; then it calls `close()` (once per unlock).
   */
  close?(): void;
}

/** App lifecycle events: the app went to the background (hidden) or came back. */
export type LifecycleEvent = 'background' | 'foreground';

/** App lifecycle and the privacy screen. */
export interface LifecyclePort {
  /** Listen to lifecycle events; returns a function that stops listening. */
  subscribe(listener: (event: LifecycleEvent) => void): () => void;
  /** Whether the app is in the background right now. */
  isInBackground(): boolean;
  /**
   * Cover the app while it is in the background (web: an overlay on `visibilitychange` and
   * `pagehide`; native: the privacy screen). Called with the union over all vaults.
   */
  setPrivacyScreen(options: { enabled: boolean }): void;
}

/** Time. The core never polls: it reads the clock on events and sets timers. */
export interface ClockPort {
  /** Milliseconds since the epoch (wall clock: may jump; the core treats a jump back as expiry). */
  now(): number;
  /** Call `callback` after `ms`; returns a function that cancels the timer. */
  setTimer(ms: number, callback: () => void): () => void;
}

/** A message between instances of the app that share storage (other tabs of the origin). */
export type PeerMessage =
  | { readonly type: 'lock'; readonly vault: string; readonly timeout: boolean }
  | { readonly type: 'changed'; readonly vault: string; readonly keys: readonly string[] }
  | { readonly type: 'config'; readonly vault: string }
  | { readonly type: 'cleared'; readonly vault: string };

/** Other app instances that share this storage (web: other tabs via BroadcastChannel). */
export interface PeersPort {
  post(message: PeerMessage): void;
  /** Returns a function that stops listening. Messages posted by this instance are not delivered back. */
  subscribe(listener: (message: PeerMessage) => void): () => void;
}

/** Everything a platform provides. */
export interface Platform {
  /** For messages and `getConfig` diagnostics: `'web'`, `'node'`, `'simulated'`, … */
  readonly name: string;
  readonly store: SecretStore;
  readonly crypto: CryptoPort;
  readonly deviceKey: DeviceKeyPort;
  readonly biometrics: BiometricsPort;
  readonly passcodePrompt: PasscodePromptPort;
  readonly lifecycle: LifecyclePort;
  readonly clock: ClockPort;
  /** Other instances sharing the store; absent when there are none to tell. */
  readonly peers?: PeersPort;
  /**
   * Whether decrypted values may be cached in memory while unlocked. True when every other writer
   * of the store notifies through `peers` (web) or there is none (simulated); false when another
   * process may write unannounced (node).
   */
  readonly cacheValues: boolean;
  /** Passcode KDF settings (PBKDF2-HMAC-SHA256). Omit for the defaults. */
  readonly kdf?: KdfSettings;
  /**
   * Seal every passcode slot under the device key as well (key-wraps.ts), so that a copy of the
   * store alone gives nothing to test a passcode guess against. For platforms whose store can be
   * in a backup while the device key never is (Capacitor plugins: SQLite in Android Auto Backup,
   * the key in the Keystore). Off where every copy of the store holds the device key too (web:
   * both in the origin's IndexedDB; Node: `device-key` beside the records): docs/security.md.
   */
  readonly bindPasscodeToDeviceKey?: boolean;
}

/** OWASP Password Storage Cheat Sheet floor for PBKDF2-HMAC-SHA256 (2023 onwards). */
export const PBKDF2_MIN_ITERATIONS = 600_000;

/** Passcode KDF settings a platform may choose. */
export interface KdfSettings {
  /** PBKDF2-HMAC-SHA256 iterations for new passcodes; raised to {@link PBKDF2_MIN_ITERATIONS} when lower. */
  readonly iterations?: number;
  /**
   * Test doubles only (`SimulatedDevice`): derive passcode keys with a cheap, clearly labelled
   * test KDF (`PBKDF2-SHA256-TEST`, 1,000 iterations) so property tests can unlock thousands of
   * times. Records written this way are refused by every platform that does not set this flag, so
   * a downgrade written into real storage cannot weaken unlock.
   */
  readonly testOnlyFastKdf?: boolean;
}

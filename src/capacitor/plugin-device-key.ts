/**
 * The device key on the secure storage plugin: 32 random bytes in a `ThisDeviceOnly` Keychain
 * item (iOS) or under a Keystore key (Android), imported at once as a non-extractable AES-GCM
 * `CryptoKey`. It wraps the data key of vaults with neither passcode nor biometrics.
 *
 * Android writes the item with `SharedPreferences.apply()` (SecureStorage.java
 * `storeDataInKeyStore`), which returns before the file is written, and no plugin offers a
 * `commit()` or a way to wait for the write. So a new device key can be lost by a process kill in
 * the moments after its creation, while SQLite already holds a data key wrapped under it. That
 * cannot be prevented from JavaScript; it is made explicit instead: when a key is created, a check
 * value of it (a truncated SHA-256, which says nothing about the key) is committed to SQLite, whose
 * writes are durable, before the key is handed to the core. On a later launch, a check value
 * without its key means the key was lost: reading it is a `KeyNotFound` that says so, never a
 * silent new key under which the stored wraps would fail for an unexplained reason.
 */
import { fromBase64, toBase64, utf8 } from '../core/bytes.js';
import { keyNotFound, vaultError, VaultErrorCodes } from '../core/errors.js';
import type { CryptoPort, DeviceKeyPort } from '../core/ports.js';
import type { KeychainItems } from './keychain-items.js';
import type { DeviceKeyCheckRecord } from './sqlite-store.js';

/** The item's name (under the `identity-vault.` item prefix). */
export const DEVICE_KEY_ITEM = 'device-key';
const KEY_BYTES = 32;
const CHECK_LABEL = utf8('identity-vault device key check v1\0');

/** Import 32 key bytes as a non-extractable wrapping key, then overwrite the bytes. */
export async function importWrappingKey(crypto: CryptoPort, bytes: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('raw', bytes, { name: 'AES-GCM' }, false, ['wrapKey', 'unwrapKey']);
  } finally {
    bytes.fill(0);
  }
}

/** The 32 bytes of a stored base64 secret, or a `VaultError(code)` when it is not one. */
export function secretBytes(text: unknown, code: VaultErrorCodes, what: string): Uint8Array<ArrayBuffer> {
  const bytes = typeof text === 'string' ? fromBase64(text) : undefined;
  if (bytes === undefined || bytes.length !== KEY_BYTES) {
    bytes?.fill(0);
    throw vaultError(code, `The stored ${what} is not a ${KEY_BYTES}-byte key; it was left untouched`);
  }
  return bytes;
}

/**
 * The key's check value: the first 16 bytes of SHA-256(label ‖ key), base64. It tells whether a
 * key is the one that was created; the key itself cannot be found from it (a 256-bit random key),
 * so it may sit in the database, which Android backs up.
 */
async function checkValue(crypto: CryptoPort, key: Uint8Array<ArrayBuffer>): Promise<string> {
  const input = new Uint8Array(CHECK_LABEL.length + key.length);
  input.set(CHECK_LABEL);
  input.set(key, CHECK_LABEL.length);
  try {
    return toBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', input)).subarray(0, 16));
  } finally {
    input.fill(0);
  }
}

const lostKey = () =>
  keyNotFound(
    'The device key of this install was lost: it was created, but the Keychain/Keystore store no longer has it ' +
      '(on Android, the app was stopped before SharedPreferences.apply() reached the disk). Vaults it protected ' +
      'cannot be opened; clear them and log in again.',
  );

class PluginDeviceKey implements DeviceKeyPort {
  readonly #items: KeychainItems;
  readonly #crypto: CryptoPort;
  readonly #checks: DeviceKeyCheckRecord;
  #cached: CryptoKey | undefined;
  // One creation at a time: two vaults asking at once must end up with the same key.
  #pending: Promise<CryptoKey | undefined> | undefined;

  constructor(items: KeychainItems, crypto: CryptoPort, checks: DeviceKeyCheckRecord) {
    this.#items = items;
    this.#crypto = crypto;
    this.#checks = checks;
  }

  async get({ create }: { create: boolean }): Promise<CryptoKey | undefined> {
    if (this.#cached !== undefined) return this.#cached;
    while (this.#pending !== undefined) await this.#pending.catch(() => undefined);
    if (this.#cached !== undefined) return this.#cached;
    this.#pending = this.#load(create);
    try {
      this.#cached = await this.#pending;
      return this.#cached;
    } finally {
      this.#pending = undefined;
    }
  }

  async delete(): Promise<void> {
    while (this.#pending !== undefined) await this.#pending.catch(() => undefined);
    this.#cached = undefined;
    // The check first: a crash between the two leaves a key without a check, which the next
    // get adopts — never a check without a key, which would read as a lost key.
    await this.#checks.remove();
    await this.#items.remove(DEVICE_KEY_ITEM);
  }

  async #load(create: boolean): Promise<CryptoKey | undefined> {
    const crypto = this.#crypto;
    const stored = await this.#items.get(DEVICE_KEY_ITEM);
    const expected = await this.#checks.get();
    if (stored !== null) {
      const bytes = secretBytes(stored, VaultErrorCodes.VaultUnavailable, 'device key');
      const actual = await checkValue(crypto, bytes);
      // No check yet: a key from before the check existed, or a crash between the item and the
      // check. A different check: the key the check named is gone; wraps under it fail as "replaced".
      if (actual !== expected) await this.#checks.put(actual);
      return importWrappingKey(crypto, bytes);
    }
    if (!create) {
      if (expected !== null) throw lostKey();
      return undefined;
    }
    const bytes = crypto.randomBytes(KEY_BYTES);
    await this.#items.put(DEVICE_KEY_ITEM, toBase64(bytes));
    // Durable before the core wraps anything under the key: a later loss of the item is then known.
    await this.#checks.put(await checkValue(crypto, bytes));
    return importWrappingKey(crypto, bytes);
  }
}

/**
 * The device key port.
 *
 * @example
 * ```ts
 * const store = sqliteStore({ sqlite: CapacitorSQLite, items, randomBytes, os: 'android' });
 * const deviceKey = pluginDeviceKey(items, createWebCrypto(), store.deviceKeyCheck);
 * const key = await deviceKey.get({ create: true });
 * ```
 */
export function pluginDeviceKey(items: KeychainItems, crypto: CryptoPort, checks: DeviceKeyCheckRecord): DeviceKeyPort & { delete(): Promise<void> } {
  return new PluginDeviceKey(items, crypto, checks);
}

/**
 * Small Keychain / Keystore items through `@aparajita/capacitor-secure-storage`: the device key
 * and the markers of biometric items. Never the vault's records (see sqlite-store.ts for why).
 *
 * What the plugin does with an item (8.0.1 sources):
 * - iOS (ios/Sources/SecureStoragePlugin/Plugin.swift → KeychainSwift): a generic-password
 *   Keychain item. Every call here passes `access: 1` (`kSecAttrAccessibleWhenUnlockedThisDeviceOnly`:
 *   never in a backup that another device can restore, never migrated) and `sync: false` (not
 *   in iCloud Keychain). The plugin's default, `whenUnlocked`, *does* migrate with encrypted
 *   backups, so the option is passed on every write, never left to the default.
 * - Android (SecureStorage.java): one AES-GCM Keystore key per item (`AndroidKeyStore`, alias =
 *   the item's key; Keystore keys never leave the device), the ciphertext in the
 *   `WSSecureStorageSharedPreferences` file written with `SharedPreferences.apply()`. `apply()`
 *   returns before the file reaches the disk, so this store is not used for anything that must
 *   survive a crash right after the write (the attempt counter): see docs/native.md.
 */
import { unavailable } from '../core/errors.js';
import { WHEN_UNLOCKED_THIS_DEVICE_ONLY, type SecureStorageApi } from './plugin-apis.js';

/** Prefix of every item identity-vault writes (the plugin's own default prefix is not used). */
export const ITEM_PREFIX = 'identity-vault.';

/** Get, put and delete of one text item; failures are `VaultUnavailable`. */
export interface KeychainItems {
  get(name: string): Promise<string | null>;
  put(name: string, value: string): Promise<void>;
  remove(name: string): Promise<void>;
  /**
   * Android: whether the item's Keystore key exists. The plugin makes it, durably, before it
   * writes the item with `apply()` (SecureStorage.java `getSecretKey` then `storeDataInKeyStore`),
   * so a key without a readable item means this install wrote the item and the write was lost.
   * Keystore keys are never in a backup and go with an uninstall.
   */
  hasAndroidKey(name: string): Promise<boolean>;
}

async function call<T>(work: () => Promise<T>, what: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // The plugin's messages describe the OS error (never the value); the code is a StorageErrorType name.
    const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'none';
    throw unavailable(`The Keychain/Keystore store could not ${what} (SecureStorage code ${code})`, { cause: error });
  }
}

class SecureStorageItems implements KeychainItems {
  readonly #storage: SecureStorageApi;

  constructor(storage: SecureStorageApi) {
    this.#storage = storage;
  }

  async get(name: string): Promise<string | null> {
    const result = await call(() => this.#storage.internalGetItem({ prefixedKey: ITEM_PREFIX + name, sync: false }), 'read an item');
    // iOS resolves `["data": nil]`, which some bridges drop: absent is "no item".
    const data = (result as { data?: unknown } | undefined)?.data ?? null;
    if (data !== null && typeof data !== 'string') throw unavailable('The Keychain/Keystore store returned a malformed item');
    return data;
  }

  async put(name: string, value: string): Promise<void> {
    await call(
      () => this.#storage.internalSetItem({ prefixedKey: ITEM_PREFIX + name, data: value, sync: false, access: WHEN_UNLOCKED_THIS_DEVICE_ONLY }),
      'write an item',
    );
  }

  async remove(name: string): Promise<void> {
    await call(() => this.#storage.internalRemoveItem({ prefixedKey: ITEM_PREFIX + name, sync: false }), 'delete an item');
  }

  async hasAndroidKey(name: string): Promise<boolean> {
    const result = await call(() => this.#storage.internalGetPrefixedKeys({ prefix: ITEM_PREFIX + name, sync: false }), 'list its keys');
    const keys = (result as { keys?: unknown } | undefined)?.keys;
    return Array.isArray(keys) && keys.includes(ITEM_PREFIX + name);
  }
}

/**
 * Items of the secure storage plugin, always `ThisDeviceOnly` and never synchronised.
 *
 * @example
 * ```ts
 * const items = keychainItems(SecureStorage);
 * await items.put('device-key', secretBase64);
 * ```
 */
export function keychainItems(storage: SecureStorageApi): KeychainItems {
  return new SecureStorageItems(storage);
}

/**
 * The device key on the secure storage plugin: 32 random bytes in a `ThisDeviceOnly` Keychain
 * item (iOS) or under a Keystore key (Android), imported at once as a non-extractable AES-GCM
 * `CryptoKey`. It wraps the data key of vaults with neither passcode nor biometrics.
 */
import { fromBase64, toBase64 } from '../core/bytes.js';
import { vaultError, VaultErrorCodes } from '../core/errors.js';
import type { CryptoPort, DeviceKeyPort } from '../core/ports.js';
import type { KeychainItems } from './keychain-items.js';

/** The item's name (under the `identity-vault.` item prefix). */
export const DEVICE_KEY_ITEM = 'device-key';
const KEY_BYTES = 32;

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
 * The device key port.
 *
 * @example
 * ```ts
 * const deviceKey = pluginDeviceKey(keychainItems(SecureStorage), createWebCrypto());
 * const key = await deviceKey.get({ create: true });
 * ```
 */
export function pluginDeviceKey(items: KeychainItems, crypto: CryptoPort): DeviceKeyPort & { delete(): Promise<void> } {
  let cached: CryptoKey | undefined;
  // One creation at a time: two vaults asking at once must end up with the same key.
  let pending: Promise<CryptoKey | undefined> | undefined;
  const load = async (create: boolean): Promise<CryptoKey | undefined> => {
    const stored = await items.get(DEVICE_KEY_ITEM);
    if (stored !== null) return importWrappingKey(crypto, secretBytes(stored, VaultErrorCodes.VaultUnavailable, 'device key'));
    if (!create) return undefined;
    const bytes = crypto.randomBytes(KEY_BYTES);
    const text = toBase64(bytes);
    await items.put(DEVICE_KEY_ITEM, text);
    return importWrappingKey(crypto, bytes);
  };
  return {
    async get({ create }) {
      if (cached !== undefined) return cached;
      while (pending !== undefined) await pending.catch(() => undefined);
      if (cached !== undefined) return cached;
      pending = load(create);
      try {
        cached = await pending;
        return cached;
      } finally {
        pending = undefined;
      }
    },
    async delete() {
      while (pending !== undefined) await pending.catch(() => undefined);
      cached = undefined;
      await items.remove(DEVICE_KEY_ITEM);
    },
  };
}

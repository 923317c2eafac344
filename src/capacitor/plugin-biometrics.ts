/**
 * Biometric key release on `@capgo/capacitor-native-biometric` (8.6.11, pinned).
 *
 * A credential is a random 32-byte secret stored with `setData({ accessControl:
 * BIOMETRY_CURRENT_SET, authValidityDuration: 0 })`:
 * - iOS: a Keychain item with `SecAccessControlCreateWithFlags(kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly,
 *   .biometryCurrentSet)` (NativeBiometricPlugin.swift `storeProtectedData`): only a Face ID /
 *   Touch ID match releases it, a change of enrolled faces or fingers invalidates it, and it never
 *   leaves the device.
 * - Android: an RSA key pair in the Keystore with `setUserAuthenticationRequired(true)`,
 *   `setUserAuthenticationParameters(0, AUTH_BIOMETRIC_STRONG)` and
 *   `setInvalidatedByBiometricEnrollment(true)` (AsymmetricSecureDataHelper.java); the secret is
 *   sealed to its public key (no prompt to write), and reading needs a `BiometricPrompt` bound to
 *   the private key through a `CryptoObject`.
 *
 * `authValidityDuration: 0` on purpose: a validity window would let Android decrypt without a
 * prompt for that many seconds (AuthActivity.java `tryWithoutPrompt`). `getSecureData` is the
 * only way a secret comes back, and it is called exactly once per unlock; `verifyIdentity` (a
 * boolean, no key) is never used.
 */
import { toBase64 } from '../core/bytes.js';
import { keyNotFound, unavailable, VaultErrorCodes } from '../core/errors.js';
import type { BiometricAvailability, BiometricCredential, BiometricsPort, CryptoPort } from '../core/ports.js';
import type { BiometricType } from '../core/types.js';
import { fromBiometricError, unavailableError } from './biometric-errors.js';
import type { KeychainItems } from './keychain-items.js';
import { BIOMETRY_CURRENT_SET, type BiometricAvailableResult, type NativeBiometricApi, type NativeOS } from './plugin-apis.js';
import { importWrappingKey, secretBytes } from './plugin-device-key.js';

/** Texts of the system biometric prompt. */
export interface BiometricPromptTexts {
  /** iOS `localizedReason` (Face ID shows it on the passcode fallback; Touch ID under the title); Android description. */
  readonly reason?: string;
  /** Android prompt title. @default 'Unlock' */
  readonly title?: string;
  /** Android negative button. @default 'Use passcode' */
  readonly negativeButtonText?: string;
}

const KIND = 'capacitor-native-biometric';
const KEY_PREFIX = 'identity-vault.bio.';

/** `biometryType` → the vault's type (Optic ID is reported as Face ID by the plugin already). */
function biometricType(result: BiometricAvailableResult): BiometricType {
  switch (result.biometryType) {
    case 2: // FACE_ID
    case 4: // FACE_AUTHENTICATION
    case 5: // IRIS_AUTHENTICATION: closest is a face
      return 'faceID';
    case 1: // TOUCH_ID
    case 3: // FINGERPRINT
    case 6: // MULTIPLE (a fingerprint and a face or iris)
      return 'touchID';
    default:
      return 'none';
  }
}

function storageKey(credential: BiometricCredential): string {
  const key = (credential as { key?: unknown }).key;
  if ((credential as { kind?: unknown }).kind !== KIND || typeof key !== 'string' || !key.startsWith(KEY_PREFIX)) {
    throw keyNotFound('The stored biometric credential was not made by the native biometric plugin');
  }
  return key;
}

const markerOf = (key: string) => `marker.${key}`;

/** Options of {@link pluginBiometrics}. */
interface PluginBiometricsOptions {
  plugin: NativeBiometricApi;
  /** Where the markers go (Keychain / Keystore, `ThisDeviceOnly`). */
  items: KeychainItems;
  crypto: CryptoPort;
  os: NativeOS;
  texts?: BiometricPromptTexts;
}

/** Only strong biometrics can release a crypto-bound key (Android weak face unlock cannot). */
const usable = (result: BiometricAvailableResult) => result.isAvailable === true && result.strongBiometryIsAvailable === true;

class PluginBiometrics implements BiometricsPort {
  readonly #plugin: NativeBiometricApi;
  readonly #items: KeychainItems;
  readonly #crypto: CryptoPort;
  readonly #os: NativeOS;
  readonly #texts: Required<BiometricPromptTexts>;

  constructor(options: PluginBiometricsOptions) {
    this.#plugin = options.plugin;
    this.#items = options.items;
    this.#crypto = options.crypto;
    this.#os = options.os;
    this.#texts = { reason: 'Unlock your account', title: 'Unlock', negativeButtonText: 'Use passcode', ...options.texts };
  }

  async availability(): Promise<BiometricAvailability> {
    try {
      const result = await this.#plugin.isAvailable({ useFallback: false });
      const type = biometricType(result);
      return usable(result) && type !== 'none' ? { available: true, type } : { available: false, type: 'none' };
    } catch {
      return { available: false, type: 'none' }; // "unavailable" is a value, not an exception
    }
  }

  async enroll(): Promise<{ credential: BiometricCredential; key: CryptoKey }> {
    const plugin = this.#plugin;
    const crypto = this.#crypto;
    const os = this.#os;
    const availability = await this.#check();
    if (!usable(availability)) throw unavailableError(availability.errorCode, os, 'Enabling biometrics');
    const key = KEY_PREFIX + toHex(crypto.randomBytes(16));
    const bytes = crypto.randomBytes(32);
    const value = toBase64(bytes);
    try {
      await plugin.setData({ key, value, accessControl: BIOMETRY_CURRENT_SET, authValidityDuration: 0 });
    } catch (error) {
      bytes.fill(0);
      throw fromBiometricError(error, { os, action: 'Enabling biometrics' });
    }
    // The marker tells a later "not found" (code 21) of an item that existed — iOS's only
    // sign of re-enrolment — from one that never did.
    await this.#items.put(markerOf(key), '1').catch(() => undefined);
    return { credential: { kind: KIND, key }, key: await importWrappingKey(crypto, bytes) };
  }

  keyForWrap({ credential }: { credential: BiometricCredential }): Promise<CryptoKey> {
    return this.#release(credential, 'Protecting the vault with biometrics');
  }

  keyForUnwrap({ credential }: { credential: BiometricCredential }): Promise<CryptoKey> {
    return this.#release(credential, 'Biometric unlock');
  }

  async remove({ credential }: { credential: BiometricCredential }): Promise<void> {
    const key = storageKey(credential);
    try {
      await this.#plugin.deleteData({ key });
    } catch (error) {
      throw unavailable('Removing the biometric key failed', { cause: error });
    }
    await this.#items.remove(markerOf(key));
  }

  async #check(): Promise<BiometricAvailableResult> {
    try {
      return await this.#plugin.isAvailable({ useFallback: false });
    } catch (error) {
      throw fromBiometricError(error, { os: this.#os, action: 'Checking biometrics' });
    }
  }

  async #release(credential: BiometricCredential, action: string): Promise<CryptoKey> {
    const os = this.#os;
    const texts = this.#texts;
    const key = storageKey(credential);
    // iOS's getSecureData cannot report missing hardware or a lockout: ask first.
    const availability = await this.#check();
    if (!usable(availability)) throw unavailableError(availability.errorCode, os, action);
    let value: unknown;
    try {
      // The one call that prompts and returns the secret.
      value = (
        await this.#plugin.getSecureData({
          key,
          reason: texts.reason,
          title: texts.title,
          description: texts.reason,
          negativeButtonText: texts.negativeButtonText,
        })
      )?.value;
    } catch (error) {
      const itemWasStored = (await this.#items.get(markerOf(key)).catch(() => null)) !== null;
      throw fromBiometricError(error, { os, action, itemWasStored });
    }
    // Checklist 16: a "success" without 32 key bytes unlocks nothing.
    return importWrappingKey(this.#crypto, secretBytes(value, VaultErrorCodes.AuthFailed, 'biometric secret'));
  }
}

/**
 * The biometrics port.
 *
 * @example
 * ```ts
 * const biometrics = pluginBiometrics({ plugin: NativeBiometric, items, crypto, os: 'ios' });
 * const { credential, key } = await biometrics.enroll({ vaultId: 'app', username: 'ada' });
 * ```
 */
export function pluginBiometrics(options: PluginBiometricsOptions): BiometricsPort {
  return new PluginBiometrics(options);
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

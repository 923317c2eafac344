/**
 * The `IdentityVault` Capacitor plugin: the port a native iOS or Android implementation provides.
 * The vault itself (envelope crypto, passcode KDF, attempt counting, lock timing) runs in
 * JavaScript, unchanged on every platform; native code supplies only what the WebView cannot:
 * durable storage, key material held by the Keychain / Keystore, biometric prompts, the app
 * lifecycle and the privacy screen. `docs/native-contract.md` is the full contract, with the
 * iOS and Android mechanisms each method maps to.
 *
 * Conventions: one options object in, one result object out. A failure rejects with `code` set
 * to the name of a `VaultErrorCodes` member (`'UserCanceledInteraction'`, `'AuthFailed'`, …);
 * `docs/native-contract.md` lists which codes each method may use.
 */
import type { PluginListenerHandle } from '@capacitor/core';
import type { BiometricType } from '../core/types.js';

/** The name the plugin is registered under (`registerPlugin('IdentityVault')`). */
export const PLUGIN_NAME = 'IdentityVault';

/**
 * Key material released by the platform: a 256-bit AES key.
 *
 * @since 0.1.0
 */
export interface KeyMaterial {
  /**
   * The 32 key bytes, base64 (RFC 4648, with padding). Native implementations always return this:
   * the bridge carries JSON only. The JavaScript side imports it as a non-extractable AES-GCM key
   * and overwrites its copy of the bytes.
   *
   * @since 0.1.0
   */
  secret?: string;
  /**
   * JavaScript implementations only (the web implementation, tests): the key itself, an AES-GCM
   * `CryptoKey` with usages `wrapKey`/`unwrapKey`, so a non-extractable key never has to be
   * exported. Ignored when it is not a `CryptoKey`.
   *
   * @since 0.1.0
   */
  key?: CryptoKey;
}

/**
 * The device key, or `secret: null` when there is none (and `create` was false).
 *
 * @since 0.1.0
 */
export interface DeviceKeyResult extends Omit<KeyMaterial, 'secret'> {
  /** The 32 key bytes, base64; `null` when no device key exists. @since 0.1.0 */
  secret?: string | null;
}

/**
 * One atomic batch of storage changes.
 *
 * @since 0.1.0
 */
export interface StoreCommitOptions {
  /**
   * Compare-and-set precondition, checked in the same transaction as the writes: the stored text
   * at `key` must equal `value` exactly (`null`: no record). When it does not, nothing is written
   * and the result is `{ committed: false }`.
   *
   * @since 0.1.0
   */
  expect?: { key: string; value: string | null };
  /**
   * Every key starting with one of these strings is deleted (a plain string prefix, compared
   * code unit by code unit: not a pattern, not case-insensitive). Applied first.
   *
   * @since 0.1.0
   */
  deletePrefixes?: string[];
  /** Keys to delete, after `deletePrefixes`. @since 0.1.0 */
  delete?: string[];
  /** Records to write (replacing what is there), last. The value is opaque JSON text. @since 0.1.0 */
  put?: Array<{ key: string; value: string }>;
}

/**
 * Whether biometrics can release keys now.
 *
 * @since 0.1.0
 */
export interface BiometricAvailabilityResult {
  /** True when strong biometrics are enrolled and not locked out. @since 0.1.0 */
  available: boolean;
  /** `'faceID'`, `'touchID'` (any fingerprint reader), or `'none'`. @since 0.1.0 */
  type: BiometricType;
}

/** What a passcode prompt is for. @since 0.1.0 */
export type PasscodePurpose = 'unlock' | 'setup' | 'confirm';

/** An app lifecycle change. @since 0.1.0 */
export interface LifecycleChange {
  /** `'background'`: the app is no longer visible; `'foreground'`: it is visible again. @since 0.1.0 */
  state: 'background' | 'foreground';
}

/**
 * The native port. See `docs/native-contract.md` for errors, events and the iOS / Android mapping.
 *
 * @since 0.1.0
 */
export interface IdentityVaultPlugin {
  /**
   * The record stored at `key`, as the exact text that was put, or `null`.
   *
   * @since 0.1.0
   */
  storeGet(options: { key: string }): Promise<{ value: string | null }>;

  /**
   * Every stored key that starts with `prefix` (any order).
   *
   * @since 0.1.0
   */
  storeKeys(options: { prefix: string }): Promise<{ keys: string[] }>;

  /**
   * Whether any stored key starts with `prefix`.
   *
   * @since 0.1.0
   */
  storeHasPrefix(options: { prefix: string }): Promise<{ value: boolean }>;

  /**
   * Apply a batch in one durable transaction: all of it or none of it, even if the app is killed.
   *
   * @since 0.1.0
   */
  storeCommit(options: StoreCommitOptions): Promise<{ committed: boolean }>;

  /**
   * The device key (for vaults with neither passcode nor biometrics), created on first use when
   * `create` is true; `secret: null` when absent and not created. Never needs user interaction.
   *
   * @since 0.1.0
   */
  getDeviceKey(options: { create: boolean }): Promise<DeviceKeyResult>;

  /**
   * Deletes the device key (Keychain item / Keystore entry); resolves when there is none. Called
   * once no vault uses it, so an old copy of the app's storage cannot be opened with it.
   *
   * @since 0.2.0
   */
  deleteDeviceKey(): Promise<void>;

  /**
   * Whether biometrics are usable, and which.
   *
   * @since 0.1.0
   */
  getBiometricAvailability(): Promise<BiometricAvailabilityResult>;

  /**
   * Create a biometric-protected key for a vault and return it with an id to ask for it later.
   * May show the biometric prompt (Android must, to encrypt with an auth-bound key).
   *
   * @since 0.1.0
   */
  enrollBiometric(options: { vaultId: string; username: string }): Promise<KeyMaterial & { credentialId: string }>;

  /**
   * Release the key of `credentialId` after the user passes the biometric prompt. `purpose` says
   * why: `'unwrap'` to unlock, `'wrap'` to protect a new data key.
   *
   * @since 0.1.0
   */
  releaseBiometricKey(options: { credentialId: string; purpose: 'wrap' | 'unwrap' }): Promise<KeyMaterial>;

  /**
   * Delete the key of `credentialId` (no error when it is already gone).
   *
   * @since 0.1.0
   */
  removeBiometric(options: { credentialId: string }): Promise<void>;

  /**
   * Ask for a passcode with the platform's own secure text prompt; `passcode: null` when the
   * user cancelled.
   *
   * @since 0.1.0
   */
  promptPasscode(options: { purpose: PasscodePurpose; vaultId: string; username: string }): Promise<{ passcode: string | null }>;

  /**
   * Whether the app is in the background now.
   *
   * @since 0.1.0
   */
  getLifecycleState(): Promise<LifecycleChange>;

  /**
   * Cover the app in the app switcher and screenshots while `enabled` (iOS: a cover view on
   * resign-active; Android: `FLAG_SECURE`).
   *
   * @since 0.1.0
   */
  setPrivacyScreen(options: { enabled: boolean }): Promise<void>;

  /**
   * Optional, for the conformance suite only (debug builds): every record and file the plugin
   * persisted, as one text, so a test can scan it for plaintext secrets.
   *
   * @since 0.1.0
   */
  dumpStorage?(): Promise<{ text: string }>;

  /**
   * Listen for the app going to the background or coming back.
   *
   * @since 0.1.0
   */
  addListener(eventName: 'lifecycle', listener: (change: LifecycleChange) => void): Promise<PluginListenerHandle>;

  /**
   * Remove every listener of this plugin.
   *
   * @since 0.1.0
   */
  removeAllListeners(): Promise<void>;
}

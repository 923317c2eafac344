import type { VaultError } from './errors.js';

/**
 * The type of authentication the vault should be configured to allow. The numbers are Identity
 * Vault 4.x's (apps persist them), so a stored `0` still means `BiometricOnly`.
 */
export enum AuthMode {
  /** Only biometric authentication is allowed. */
  BiometricOnly = 0,
  /** Only passcode authentication is allowed. */
  PasscodeOnly = 1,
  /** Both biometric and passcode authentication are allowed: biometrics first, passcode on failure or cancel. */
  BiometricAndPasscode = 2,
  /**
   * Both biometric and passcode authentication are disabled. All data in the vault is cleared on
   * lock or when the app is closed: it is kept only in memory.
   */
  InMemoryOnly = 3,
  /**
   * Biometrics when the device has them, otherwise the passcode. Applied as `BiometricOnly` or
   * `PasscodeOnly` (whichever the device can do at that moment), so `getAuthMode()` reports that one.
   */
  BiometricOrPasscode = 4,
  /**
   * Neither passcode nor biometrics; data is persisted encrypted under a device-bound key and the
   * vault unlocks without asking the user.
   */
  SecureStorage = 5,
}

/**
 * The possible values returned by `getBiometricType`.
 * @deprecated Identity Vault 4.2 deprecated it in favour of {@link SupportedBiometricType} and `getAvailableHardware()`.
 */
export type BiometricType = 'touchID' | 'faceID' | 'none';

/**
 * The biometric hardware kinds `getAvailableHardware()` reports. Identity Vault 4.2 typed these
 * strings as a type alias, 5.x/6.x as this enum of the same strings; an enum member is assignable
 * to the strings, so 4.x code that names the type keeps compiling.
 */
export enum SupportedBiometricType {
  Fingerprint = 'fingerprint',
  Face = 'face',
  Iris = 'iris',
}

/**
 * The interface for the default session. Extend this interface to make a custom session.
 *
 * @example
 * ```ts
 * interface MyCustomSession extends DefaultSession {
 *   email: string;
 *   age: number;
 *   nicknames: string[];
 * }
 * ```
 */
export interface DefaultSession {
  token: string;
  username: string;
}

/** The values that uniquely identify a vault. */
export interface VaultDescriptor {
  /** The username for the vault you wish to access. */
  username: string;
  /** The vaultId for the vault you wish to access. */
  vaultId: string;
}

/** The lock event passed to `onLock` / `onVaultLocked`. */
export interface LockEvent {
  /** If the data was persisted to the device before lock (false for in-memory vaults: their data is gone). */
  saved: boolean;
  /** If the lock was due to a background timeout. */
  timeout: boolean;
}

/** The configuration returned by `getConfig` and passed to `onConfig` / `onUnlock`. */
export interface PluginConfiguration {
  /** The values that uniquely identify the vault. */
  descriptor: VaultDescriptor;
  /** Obscures the app when backgrounded. */
  hideScreenOnBackground: boolean;
  /** Whether biometric authentication is enabled for the vault. */
  isBiometricsEnabled: boolean;
  /** Whether passcode authentication is enabled for the vault. */
  isPasscodeEnabled: boolean;
  /** Whether a passcode needs to be set with `setPasscode`. */
  isPasscodeSetupNeeded: boolean;
  /** Milliseconds the app can be in the background until the vault locks (0 = never). */
  lockAfter: number;
  /**
   * Whether `AuthMode.SecureStorage` is on (neither passcode nor biometrics, data persisted under
   * the device key). Always filled in by identity-vault's own platforms; optional so that an app's
   * own `IdentityVault` (a browser fallback written for 3.x) still type-checks.
   */
  isSecureStorageModeEnabled?: boolean;
  /** Extension: whether the vault keeps its data only in memory (`AuthMode.InMemoryOnly`). Optional for third-party vaults. */
  isInMemoryOnly?: boolean;
}

/**
 * The prompt and failed-attempt options Identity Vault 4.1 added to {@link PluginOptions},
 * `VaultOptions` and {@link VaultConfig}. Where each one takes effect on which platform is in
 * docs/migration.md; on the web the three `androidPrompt*` texts are the passcode dialog's texts.
 */
export interface AuthPromptOptions {
  /**
   * If biometric auth fails, allow the system PIN as a fallback. The web and Node platforms have no
   * system PIN to fall back to: the option is accepted and reported back, and has no effect there.
   * @default false
   */
  allowSystemPinFallback?: boolean;
  /** The title of the authentication prompt (Android's biometric prompt; the web passcode dialog's heading). @default "Please Authenticate" */
  androidPromptTitle?: string;
  /** The subtitle of the authentication prompt (Android; the web passcode dialog shows it under the heading). */
  androidPromptSubtitle?: string;
  /** The description of the authentication prompt (Android; the web passcode dialog shows it as its explanation). */
  androidPromptDescription?: string;
  /** The cancel text of the Android biometric prompt. Not used on the web (the browser draws its own WebAuthn prompt). @default "Cancel" */
  androidPromptNegativeButtonText?: string;
  /** iOS's biometric prompt text (Identity Vault 4.3). Not used on the web (the browser draws its own WebAuthn prompt). */
  iosPromptText?: string;
  /**
   * After too many failed passcode attempts, should the vault be cleared? `false` keeps the data:
   * the passcode is refused (`TooManyFailedAttempts`) until the vault is unlocked another way
   * (biometrics) and a new passcode is set, or the vault is cleared.
   * @default true
   */
  shouldClearVaultAfterTooManyFailedAttempts?: boolean;
}

/** The options passed to `IonicNativeAuthPlugin.getVault`. */
export interface PluginOptions extends AuthPromptOptions {
  /** The username for the vault you wish to access. */
  username: string;
  /** The vaultId for the vault you wish to access. */
  vaultId: string;
  /** Obscures the app when backgrounded. @default false */
  hideScreenOnBackground?: boolean;
  /** Milliseconds the app can be in the background until the vault locks; 0 never locks. @default 0 */
  lockAfter?: number;
  /** Extension: failed passcode attempts before the vault is cleared. @default 5 */
  maxAttempts?: number;
  /** Called whenever the vault configuration changes. */
  onConfig?(event: PluginConfiguration): unknown;
  /** Called when there is an error during vault setup. */
  onError?(error: VaultError): unknown;
  /** Called whenever the vault is locked. */
  onLock?(event: LockEvent): unknown;
  /** Called when the vault is configured and available. */
  onReady?(vault: IdentityVault): unknown;
  /** Called whenever the vault is unlocked. */
  onUnlock?(event: PluginConfiguration): unknown;
}

/** The configuration passed to session-layer hooks such as `onVaultReady` and `onConfigChange`. */
export interface VaultConfig extends AuthPromptOptions {
  /** The AuthMode of the vault (for a new vault: the one it is configured with). */
  authMode?: AuthMode;
  /** Obscures the app when backgrounded. @default false */
  hideScreenOnBackground?: boolean;
  /** Whether a passcode needs to be set with `setPasscode`. */
  isPasscodeSetupNeeded: boolean;
  /** Milliseconds the app can be in the background until the vault locks; 0 never locks. @default 0 */
  lockAfter?: number;
}

/**
 * The lower-level vault API (Identity Vault 4.2's `IdentityVault`). Get one from
 * `IonicNativeAuthPlugin.getVault` or from `IonicIdentityVaultUser.getVault`; an app's own browser
 * fallback implements it too.
 *
 * Every method of identity-vault's own vaults returns a promise; every failure is a {@link VaultError}.
 */
export interface IdentityVault {
  /** The current configuration; stays current until {@link IdentityVault.unsubscribe} is called. */
  config?: PluginConfiguration;
  /** Clear all vault data including stored tokens, values and passcode. The vault is empty and unlocked after this. */
  clear(): Promise<void>;
  /** The biometric hardware the device has (enrolled or not): `[]` when none. (4.2) */
  getAvailableHardware(): Promise<SupportedBiometricType[]>;
  /**
   * The type of biometrics the device supports.
   * @deprecated Identity Vault 4.2: use {@link IdentityVault.getAvailableHardware}.
   */
  getBiometricType(): Promise<BiometricType>;
  /** The current configuration of the vault. */
  getConfig(): Promise<PluginConfiguration>;
  /** The keys that have a value stored. @throws VaultError `VaultLocked` (3.6) */
  getKeys(): Promise<string[]>;
  /**
   * Same as `getValue('token')`. Resolves `undefined` when no token is stored. Typed `Promise<any>`
   * as in Identity Vault, so a vault whose method says `Promise<string>` implements it.
   * @throws VaultError `VaultLocked`
   */
  getToken(): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Identity Vault 4.x's own type
  /** The username of the vault's descriptor. */
  getUsername(): Promise<string>;
  /**
   * The value stored under `key`; resolves `undefined` when nothing is stored there. Typed
   * `Promise<any>` as in Identity Vault (values are JSON data).
   * @throws VaultError `VaultLocked`, `InvalidArguments`
   */
  getValue(key: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Identity Vault 4.x's own type
  /** Whether biometrics are supported by the device and set up by its user. */
  isBiometricsAvailable(): Promise<boolean>;
  /** Whether biometrics are enabled on the vault. */
  isBiometricsEnabled(): Promise<boolean>;
  /** Whether the device has biometric hardware, whether or not its user set it up. (3.5) */
  isBiometricsSupported(): Promise<boolean>;
  /** Whether the vault has any values stored in it. */
  isInUse(): Promise<boolean>;
  /** Whether the vault is locked. */
  isLocked(): Promise<boolean>;
  /** Whether the device has locked its biometrics after too many failed attempts. (4.1) */
  isLockedOutOfBiometrics(): Promise<boolean>;
  /** Whether passcode authentication is enabled for the vault. */
  isPasscodeEnabled(): Promise<boolean>;
  /** Whether a passcode must be set with `setPasscode` before values can be stored. */
  isPasscodeSetupNeeded(): Promise<boolean>;
  /** Whether `AuthMode.SecureStorage` is on: no passcode, no biometrics, data persisted under the device key. (3.4) */
  isSecureStorageModeEnabled(): Promise<boolean>;
  /** Lock the vault, clearing its contents from memory. */
  lock(): Promise<void>;
  /** How many failed passcode attempts are left until the vault clears. */
  remainingAttempts(): Promise<number>;
  /** Removes the value stored under `key` (nothing happens when there is none). @throws VaultError `VaultLocked`, `InvalidArguments` (3.6) */
  removeValue(key: string): Promise<void>;
  /** Enable or disable biometrics. @throws VaultError `VaultLocked`, `SecurityNotAvailable` */
  setBiometricsEnabled(isBiometricsEnabled: boolean): Promise<void>;
  /** Set or change the passcode; without an argument the built-in prompt asks twice. */
  setPasscode(passcode?: string): Promise<void>;
  /** Enable or disable passcode authentication. @throws VaultError `VaultLocked` */
  setPasscodeEnabled(isPasscodeEnabled: boolean): Promise<void>;
  /**
   * `true` turns passcode, biometrics and in-memory off and keeps the data under the device key
   * (`AuthMode.SecureStorage`); `false` on a secure-storage vault leaves no unlock method, which is
   * `AuthMode.InMemoryOnly` (the data moves to memory and is deleted from storage). (3.4)
   * @throws VaultError `VaultLocked`
   */
  setSecureStorageModeEnabled(isSecureStorageModeEnabled: boolean): Promise<void>;
  /** Same as `storeValue('token', token)`. */
  storeToken(token: unknown): Promise<void>;
  /** Store `value` (any JSON-serialisable data) under `key`. */
  storeValue(key: string, value: unknown): Promise<void>;
  /** Unlock with the passcode (`usingPasscode` true) or biometrics. */
  unlock(usingPasscode?: boolean, passcode?: string): Promise<void>;
  /** Stop receiving events about the vault; `config` stops updating. */
  unsubscribe(): Promise<void>;
  /** Extension (for `AuthMode.InMemoryOnly`), optional: whether values are kept only in memory. */
  isInMemoryOnly?(): Promise<boolean>;
  /**
   * Extension (for `AuthMode.InMemoryOnly`), optional: `true` moves the values into memory and
   * deletes everything stored (passcode and biometrics are turned off); `false` persists them again
   * under the device key. A vault without it is put in `InMemoryOnly` with
   * `setSecureStorageModeEnabled(false)`. @throws VaultError `VaultLocked`
   */
  setInMemoryOnly?(enabled: boolean): Promise<void>;
}

/** The native plugin: hands out vaults. */
export interface IonicNativeAuthPlugin {
  getVault(config: PluginOptions): IdentityVault;
}

import type { VaultError } from './errors.js';

/** The type of authentication the vault should be configured to allow. */
export enum AuthMode {
  /**
   * Both biometric and passcode authentication are disabled. All data in the vault is cleared on
   * lock or when the app is closed: it is kept only in memory.
   */
  InMemoryOnly = 0,
  /** Only passcode authentication is allowed. */
  PasscodeOnly = 1,
  /** Only biometric authentication is allowed. */
  BiometricOnly = 2,
  /** Both biometric and passcode authentication are allowed: biometrics first, passcode on failure or cancel. */
  BiometricAndPasscode = 3,
  /**
   * Identity Vault 4.x: neither passcode nor biometrics; data is persisted encrypted under a
   * device-bound key and the vault unlocks without asking the user.
   */
  SecureStorage = 4,
}

/** The possible values returned by `getBiometricType`. */
export type BiometricType = 'touchID' | 'faceID' | 'none';

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
  /** Extension: whether the vault keeps its data only in memory (`AuthMode.InMemoryOnly`). */
  isInMemoryOnly: boolean;
}

/** The options passed to `IonicNativeAuthPlugin.getVault`. */
export interface PluginOptions {
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
export interface VaultConfig {
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
 * The lower-level vault API. Get one from `IonicNativeAuthPlugin.getVault` or from
 * `IonicIdentityVaultUser.getVault`.
 *
 * Every method returns a promise; every failure is a {@link VaultError}.
 */
export interface IdentityVault {
  /** The current configuration; stays current until {@link IdentityVault.unsubscribe} is called. */
  config?: PluginConfiguration;
  /** Clear all vault data including stored tokens, values and passcode. The vault is empty and unlocked after this. */
  clear(): Promise<void>;
  /** The type of biometrics the device supports. */
  getBiometricType(): Promise<BiometricType>;
  /** The current configuration of the vault. */
  getConfig(): Promise<PluginConfiguration>;
  /**
   * Same as `getValue('token')`. Resolves `undefined` when no token is stored.
   * The seed typed this `Promise<any>`; the type parameter keeps `const t: string = await vault.getToken()` compiling.
   * @throws VaultError `VaultLocked`
   */
  getToken<T = unknown>(): Promise<T>;
  /** The username of the vault's descriptor. */
  getUsername(): Promise<string>;
  /**
   * The value stored under `key`; resolves `undefined` when nothing is stored there.
   * @throws VaultError `VaultLocked`, `InvalidArguments`
   */
  getValue<T = unknown>(key: string): Promise<T>;
  /** Whether biometrics are supported by the device and set up by its user. */
  isBiometricsAvailable(): Promise<boolean>;
  /** Whether biometrics are enabled on the vault. */
  isBiometricsEnabled(): Promise<boolean>;
  /** Whether the vault has any values stored in it. */
  isInUse(): Promise<boolean>;
  /** Whether the vault is locked. */
  isLocked(): Promise<boolean>;
  /** Whether passcode authentication is enabled for the vault. */
  isPasscodeEnabled(): Promise<boolean>;
  /** Whether a passcode must be set with `setPasscode` before values can be stored. */
  isPasscodeSetupNeeded(): Promise<boolean>;
  /** Lock the vault, clearing its contents from memory. */
  lock(): Promise<void>;
  /** How many failed passcode attempts are left until the vault clears. */
  remainingAttempts(): Promise<number>;
  /** Enable or disable biometrics. @throws VaultError `VaultLocked`, `SecurityNotAvailable` */
  setBiometricsEnabled(isBiometricsEnabled: boolean): Promise<void>;
  /** Set or change the passcode; without an argument the built-in prompt asks twice. */
  setPasscode(passcode?: string): Promise<void>;
  /** Enable or disable passcode authentication. @throws VaultError `VaultLocked` */
  setPasscodeEnabled(isPasscodeEnabled: boolean): Promise<void>;
  /** Same as `storeValue('token', token)`. */
  storeToken(token: unknown): Promise<void>;
  /** Store `value` (any JSON-serialisable data) under `key`. */
  storeValue(key: string, value: unknown): Promise<void>;
  /** Unlock with the passcode (`usingPasscode` true) or biometrics. */
  unlock(usingPasscode?: boolean, passcode?: string): Promise<void>;
  /** Stop receiving events about the vault; `config` stops updating. */
  unsubscribe(): Promise<void>;
  /** Extension (for `AuthMode.InMemoryOnly`): whether values are kept only in memory. */
  isInMemoryOnly(): Promise<boolean>;
  /**
   * Extension (for `AuthMode.InMemoryOnly`): `true` moves the values into memory and deletes
   * everything stored (passcode and biometrics are turned off); `false` persists them again under
   * the device key. @throws VaultError `VaultLocked`
   */
  setInMemoryOnly(enabled: boolean): Promise<void>;
}

/** The native plugin: hands out vaults. */
export interface IonicNativeAuthPlugin {
  getVault(config: PluginOptions): IdentityVault;
}

/**
 * Identity Vault 4.x's `IdentityVaultUser` interface: what {@link IonicIdentityVaultUser} implements.
 *
 * @module
 */
import type { VaultError } from '../core/errors.js';
import type {
  AuthMode,
  BiometricType,
  DefaultSession,
  IdentityVault,
  IonicNativeAuthPlugin,
  LockEvent,
  SupportedBiometricType,
  VaultConfig,
} from '../core/types.js';
import type { IonicIdentityVaultUser } from './identity-vault-user.js';

/**
 * The main interface of the session layer: a user's session kept in an {@link IdentityVault}, and
 * the hooks an app overrides to follow the vault. `T` is the session type (default {@link DefaultSession}).
 * {@link IonicIdentityVaultUser} is the class to subclass.
 */
export interface IdentityVaultUser<T = DefaultSession> {
  /** The token of the session in memory; `undefined` when none is (locked, logged out). */
  token: string | undefined;
  /** The {@link AuthMode} of the vault, derived from its configuration. */
  getAuthMode(): Promise<AuthMode>;
  /** The biometric hardware the device has (4.2). */
  getAvailableHardware(): Promise<SupportedBiometricType[]>;
  /** The type of biometrics the device supports. @deprecated Identity Vault 4.2: use `getAvailableHardware`. */
  getBiometricType(): Promise<BiometricType>;
  /** The plugin that hands out the vault; override it to supply your own (3.2). */
  getPlugin(): IonicNativeAuthPlugin;
  /** The session in memory, without checking the vault (never prompts). */
  getSession(): Promise<T | undefined>;
  /** Raw access to the underlying vault. */
  getVault(): Promise<IdentityVault>;
  /** Whether a session is saved in the vault. */
  hasStoredSession(): Promise<boolean>;
  /** Whether biometrics are supported by the device and set up by its user. */
  isBiometricsAvailable(): Promise<boolean>;
  /** Whether biometrics are enabled on the vault. */
  isBiometricsEnabled(): Promise<boolean>;
  /** Whether the device has biometric hardware, set up or not (3.5). */
  isBiometricsSupported(): Promise<boolean>;
  /** Whether passcode authentication is enabled on the vault. */
  isPasscodeEnabled(): Promise<boolean>;
  /** Whether the vault is in `AuthMode.SecureStorage` (3.4). */
  isSecureStorageModeEnabled(): Promise<boolean>;
  /** Lock the user out without clearing their session from the vault. */
  lockOut(): Promise<void>;
  /** Clear the vault, put it in `authMode` (default: the configured one) and save `session` (3.1). */
  login(session: T, authMode?: AuthMode): Promise<void>;
  /** Log the user out entirely and forget the stored session. */
  logout(): Promise<void>;
  /** Called when the vault's configuration changed. */
  onConfigChange(state: VaultConfig): unknown;
  /** Called for a passcode: return it, or `undefined` to use the built-in prompt. */
  onPasscodeRequest(isPasscodeSetRequest: boolean): Promise<string | void>;
  /** Called when a session was restored from the vault. */
  onSessionRestored(session: T): unknown;
  /** Called when restoring the session at ready failed. */
  onSessionRestoreError(error: VaultError): unknown;
  /** Called when there is an error during vault setup. */
  onSetupError(error: VaultError): unknown;
  /** Called when unlocking at ready (`unlockOnReady`) failed. */
  onUnlockOnReadyError(error: VaultError): unknown;
  /** Called when the vault was locked. */
  onVaultLocked(event: LockEvent): unknown;
  /** Called when the vault is ready. */
  onVaultReady(state: VaultConfig): unknown;
  /** Called when the vault was unlocked. */
  onVaultUnlocked(state: VaultConfig): unknown;
  /** Resolves when the vault is set up and available; rejects with the setup error. */
  ready(): Promise<void>;
  /** Read the session from the vault. */
  restoreSession(): Promise<T | undefined>;
  /** Store the session in the vault. */
  saveSession(session: T): Promise<void>;
  /** Change the {@link AuthMode} of the unlocked vault. */
  setAuthMode(authMode: AuthMode): Promise<void>;
  /** Enable or disable biometric unlock. */
  setBiometricsEnabled(isBiometricsEnabled: boolean): Promise<void>;
  /** Set or change the passcode through `onPasscodeRequest(true)`. */
  setPasscode(): Promise<void>;
  /** Enable or disable passcode unlock, setting a passcode up when needed. */
  setPasscodeEnabled(isPasscodeEnabled: boolean): Promise<void>;
  /** Unlock the vault with its AuthMode or the one given. */
  unlock(authMode?: AuthMode): Promise<void>;
}

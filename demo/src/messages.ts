/** Vault errors and auth modes in words for the person using the app. */
import { AuthMode, isVaultError, VaultErrorCodes, type PluginConfiguration } from './vault-lib.js';

/** The name of each auth mode in the UI. */
export const AUTH_MODE_LABELS: Readonly<Record<AuthMode, string>> = {
  [AuthMode.PasscodeOnly]: 'Passcode only',
  [AuthMode.BiometricOnly]: 'Biometrics only',
  [AuthMode.BiometricAndPasscode]: 'Biometrics, passcode as fallback',
  [AuthMode.InMemoryOnly]: 'In memory only (nothing saved)',
  [AuthMode.BiometricOrPasscode]: 'Biometrics if available, else passcode',
  [AuthMode.SecureStorage]: 'Secure storage (no prompt)',
};

/** The order the settings list the modes in. */
export const AUTH_MODES: readonly AuthMode[] = [
  AuthMode.PasscodeOnly,
  AuthMode.BiometricAndPasscode,
  AuthMode.BiometricOnly,
  AuthMode.SecureStorage,
  AuthMode.InMemoryOnly,
];

/**
 * The auth mode a vault configuration amounts to (the library's rule: both switches →
 * BiometricAndPasscode, neither on a persisted vault → SecureStorage).
 */
export function authModeOf(config: Pick<PluginConfiguration, 'isPasscodeEnabled' | 'isBiometricsEnabled' | 'isInMemoryOnly'>): AuthMode {
  if (config.isInMemoryOnly === true) return AuthMode.InMemoryOnly;
  if (config.isPasscodeEnabled && config.isBiometricsEnabled) return AuthMode.BiometricAndPasscode;
  if (config.isPasscodeEnabled) return AuthMode.PasscodeOnly;
  if (config.isBiometricsEnabled) return AuthMode.BiometricOnly;
  return AuthMode.SecureStorage;
}

function attempts(n: number): string {
  return `${n} attempt${n === 1 ? '' : 's'}`;
}

/** "Wrong passcode. 4 attempts left before the vault is erased." */
export function wrongPasscode(remaining: number): string {
  return `Wrong passcode. ${attempts(remaining)} left before the vault is erased.`;
}

/**
 * What went wrong, for a person. `doing` names the action ("Unlock", "Changing the passcode").
 * Messages of unexpected errors are not shown (they are for developers); their code is.
 */
export function describeError(error: unknown, doing: string): string {
  if (!isVaultError(error)) {
    if (error instanceof TypeError) return `${doing} failed: the server could not be reached.`;
    return `${doing} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  switch (error.code) {
    case VaultErrorCodes.AuthFailed:
      return error.remainingAttempts !== undefined ? wrongPasscode(error.remainingAttempts) : `${doing} failed: the biometric check did not pass.`;
    case VaultErrorCodes.UserCanceledInteraction:
      return `${doing} was cancelled.`;
    case VaultErrorCodes.TooManyFailedAttempts:
      return 'Too many wrong passcodes: the vault was erased. Log in again.';
    case VaultErrorCodes.MismatchedPasscode:
      return `${doing} failed: the two passcodes did not match.`;
    case VaultErrorCodes.SecurityNotAvailable:
      return `${doing} failed: biometrics are not available on this device.`;
    case VaultErrorCodes.BiometricsNotEnabled:
      return `${doing} failed: biometric unlock is not enabled for this vault.`;
    case VaultErrorCodes.PasscodeNotEnabled:
      return `${doing} failed: passcode unlock is not enabled for this vault.`;
    case VaultErrorCodes.MissingPasscode:
      return `${doing} failed: no passcode is set yet.`;
    case VaultErrorCodes.VaultLocked:
      return `${doing} failed: the vault is locked. Unlock it first.`;
    case VaultErrorCodes.InvalidatedCredential:
    case VaultErrorCodes.KeyNotFound:
      return `${doing} failed: the biometric key is gone or no longer valid. Unlock with your passcode and turn biometrics on again.`;
    case VaultErrorCodes.InvalidArguments:
      return `${doing} failed: ${error.message}`;
    case VaultErrorCodes.VaultUnavailable:
      return `${doing} failed: this browser's storage could not be used (private mode or storage full?).`;
    default:
      return `${doing} failed (${error.codeName}).`;
  }
}

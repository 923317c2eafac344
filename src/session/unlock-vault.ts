/**
 * Unlocking a vault the way an {@link AuthMode} says: biometrics, passcode, or biometrics first
 * with the passcode as fallback.
 *
 * @module
 */
import { invalidAuthMode, isVaultError, VaultErrorCodes } from '../core/errors.js';
import { AuthMode, type IdentityVault } from '../core/types.js';

/**
 * Asks for the passcode to unlock with: a string is the passcode, `undefined` means "use the
 * platform's built-in prompt".
 */
export type PasscodeSource = () => Promise<string | void>;

/**
 * Biometric failures after which `BiometricAndPasscode` falls back to the passcode: the user failed
 * or cancelled, or the biometric key is gone or invalid (re-enrolled fingers or face) — the
 * passcode is exactly what rescues the data then. Anything else (storage trouble, too many
 * attempts) is not a reason to ask for the passcode and is thrown as it is.
 */
const FALLBACK_CODES: ReadonlySet<VaultErrorCodes> = new Set([
  VaultErrorCodes.AuthFailed,
  VaultErrorCodes.UserCanceledInteraction,
  VaultErrorCodes.InvalidatedCredential,
  VaultErrorCodes.KeyNotFound,
  VaultErrorCodes.SecurityNotAvailable,
  VaultErrorCodes.BiometricsNotEnabled,
]);

/**
 * Unlocks `vault` with `mode`. Does not check whether the vault is locked.
 *
 * - `BiometricOnly`: the biometric prompt.
 * - `PasscodeOnly`: `passcode()`, then `vault.unlock(true, passcode)` (built-in prompt for `undefined`).
 * - `BiometricAndPasscode`: biometrics when enabled on the vault; on a failure listed in
 *   {@link FALLBACK_CODES}, the passcode when it is enabled.
 * - `BiometricOrPasscode`: biometrics when they are enabled on the vault and available on the
 *   device, otherwise the passcode (no fallback after a biometric failure: that is `BiometricAndPasscode`).
 * - `SecureStorage` and `InMemoryOnly`: `vault.unlock()`, which needs no user.
 *
 * @throws VaultError from the vault (`AuthFailed`, `UserCanceledInteraction`, `TooManyFailedAttempts`, …);
 *   `InvalidAuthMode` for an unknown mode.
 */
export async function unlockVault(vault: IdentityVault, mode: AuthMode, passcode: PasscodeSource): Promise<void> {
  switch (mode) {
    case AuthMode.BiometricOnly:
      return vault.unlock(false);
    case AuthMode.PasscodeOnly:
      return unlockWithPasscode(vault, passcode);
    case AuthMode.BiometricAndPasscode:
      if (await vault.isBiometricsEnabled()) {
        try {
          return await vault.unlock(false);
        } catch (error) {
          if (!isVaultError(error) || !FALLBACK_CODES.has(error.code) || !(await vault.isPasscodeEnabled())) throw error;
        }
      }
      return unlockWithPasscode(vault, passcode);
    case AuthMode.BiometricOrPasscode:
      if ((await vault.isBiometricsEnabled()) && (await vault.isBiometricsAvailable())) return vault.unlock(false);
      return unlockWithPasscode(vault, passcode);
    case AuthMode.SecureStorage:
    case AuthMode.InMemoryOnly:
      return vault.unlock();
    default:
      throw invalidAuthMode(`${String(mode)} is not an AuthMode`);
  }
}

async function unlockWithPasscode(vault: IdentityVault, passcode: PasscodeSource): Promise<void> {
  const entered = await passcode();
  return typeof entered === 'string' ? vault.unlock(true, entered) : vault.unlock(true);
}

/**
 * The questions an {@link IonicIdentityVaultUser} answers straight from its vault (biometrics,
 * passcode, secure-storage mode), kept apart from the session logic.
 *
 * @module
 */
import type { BiometricType, IdentityVault, SupportedBiometricType } from '../core/types.js';
import type { IonicIdentityVaultUser } from './identity-vault-user.js';
import { VaultUserHooks } from './vault-user-hooks.js';

/**
 * The members of {@link IonicIdentityVaultUser} that ask its vault directly. Each goes through
 * {@link VaultUserQueries.getVault}, so a test that replaces `getVault` (as 4.x apps' specs do)
 * answers them too.
 */
export abstract class VaultUserQueries<T> extends VaultUserHooks<T> {
  /** Raw access to the underlying vault, for advanced workflows. */
  abstract getVault(): Promise<IdentityVault>;

  /**
   * The biometric hardware the device has, enrolled or not (Identity Vault 4.2).
   * @example
   * ```ts
   * const hasFace = (await user.getAvailableHardware()).includes('face');
   * ```
   */
  async getAvailableHardware(): Promise<SupportedBiometricType[]> {
    return (await this.getVault()).getAvailableHardware();
  }

  /**
   * The type of biometrics the device supports.
   * @deprecated Identity Vault 4.2: use {@link VaultUserQueries.getAvailableHardware}.
   * @example
   * ```ts
   * const label = (await user.getBiometricType()) === 'faceID' ? 'Face ID' : 'Touch ID';
   * ```
   */
  async getBiometricType(): Promise<BiometricType> {
    return (await this.getVault()).getBiometricType();
  }

  /**
   * Whether biometrics are supported by the device and set up by its user.
   * @example
   * ```ts
   * const canUseBiometrics = await user.isBiometricsAvailable();
   * ```
   */
  async isBiometricsAvailable(): Promise<boolean> {
    return (await this.getVault()).isBiometricsAvailable();
  }

  /**
   * Whether biometric unlock is enabled on the vault.
   * @example
   * ```ts
   * toggle.checked = await user.isBiometricsEnabled();
   * ```
   */
  async isBiometricsEnabled(): Promise<boolean> {
    return (await this.getVault()).isBiometricsEnabled();
  }

  /**
   * Whether the device has biometric hardware, whether or not its user set it up (Identity Vault 3.5).
   * @example
   * ```ts
   * if ((await user.isBiometricsSupported()) && !(await user.isBiometricsAvailable())) showEnrolHint();
   * ```
   */
  async isBiometricsSupported(): Promise<boolean> {
    return (await this.getVault()).isBiometricsSupported();
  }

  /**
   * Whether passcode unlock is enabled on the vault.
   * @example
   * ```ts
   * toggle.checked = await user.isPasscodeEnabled();
   * ```
   */
  async isPasscodeEnabled(): Promise<boolean> {
    return (await this.getVault()).isPasscodeEnabled();
  }

  /**
   * Whether the vault is in `AuthMode.SecureStorage` (Identity Vault 3.4).
   * @example
   * ```ts
   * this.useSecureStorageMode = await user.isSecureStorageModeEnabled();
   * ```
   */
  async isSecureStorageModeEnabled(): Promise<boolean> {
    return (await this.getVault()).isSecureStorageModeEnabled();
  }

  /**
   * Enables or disables biometric unlock.
   *
   * @throws VaultError `SecurityNotAvailable` when the device has no biometrics; `VaultLocked`.
   * @example
   * ```ts
   * if (await user.isBiometricsAvailable()) await user.setBiometricsEnabled(true);
   * ```
   */
  async setBiometricsEnabled(isBiometricsEnabled: boolean): Promise<void> {
    return (await this.getVault()).setBiometricsEnabled(isBiometricsEnabled);
  }
}

/**
 * AuthMode ⇄ vault switches. An {@link AuthMode} is not stored by the vault: it is a name for a
 * combination of three switches (passcode, biometrics, in-memory), so the session layer maps a
 * mode to switches when setting it and derives it back from the vault's configuration.
 *
 * @module
 */
import { VaultError, VaultErrorCodes } from '../core/errors.js';
import { AuthMode, type PluginConfiguration, type VaultConfig } from '../core/types.js';

/** The vault switches one {@link AuthMode} stands for. */
export interface AuthModeSwitches {
  readonly passcode: boolean;
  readonly biometrics: boolean;
  readonly inMemory: boolean;
}

const SWITCHES: Readonly<Record<AuthMode, AuthModeSwitches>> = {
  [AuthMode.InMemoryOnly]: { passcode: false, biometrics: false, inMemory: true },
  [AuthMode.PasscodeOnly]: { passcode: true, biometrics: false, inMemory: false },
  [AuthMode.BiometricOnly]: { passcode: false, biometrics: true, inMemory: false },
  [AuthMode.BiometricAndPasscode]: { passcode: true, biometrics: true, inMemory: false },
  [AuthMode.SecureStorage]: { passcode: false, biometrics: false, inMemory: false },
};

/**
 * The switches for `mode`.
 *
 * @throws VaultError `InvalidAuthMode` when `mode` is not an {@link AuthMode}.
 */
export function switchesFor(mode: AuthMode): AuthModeSwitches {
  const switches = Object.hasOwn(SWITCHES, mode) ? SWITCHES[mode] : undefined;
  if (switches === undefined) {
    throw new VaultError(VaultErrorCodes.InvalidAuthMode, `${String(mode)} is not an AuthMode`);
  }
  return switches;
}

/**
 * The {@link AuthMode} a vault configuration amounts to. Neither passcode nor biometrics on a
 * persisted vault is `AuthMode.SecureStorage` (Identity Vault 4.x).
 */
export function authModeOf(config: Pick<PluginConfiguration, 'isPasscodeEnabled' | 'isBiometricsEnabled' | 'isInMemoryOnly'>): AuthMode {
  if (config.isInMemoryOnly) return AuthMode.InMemoryOnly;
  if (config.isPasscodeEnabled && config.isBiometricsEnabled) return AuthMode.BiometricAndPasscode;
  if (config.isPasscodeEnabled) return AuthMode.PasscodeOnly;
  if (config.isBiometricsEnabled) return AuthMode.BiometricOnly;
  return AuthMode.SecureStorage;
}

/** The {@link VaultConfig} the session-layer hooks receive, from the vault's configuration. */
export function toVaultConfig(config: PluginConfiguration): VaultConfig {
  return {
    authMode: authModeOf(config),
    hideScreenOnBackground: config.hideScreenOnBackground,
    isPasscodeSetupNeeded: config.isPasscodeSetupNeeded,
    lockAfter: config.lockAfter,
  };
}

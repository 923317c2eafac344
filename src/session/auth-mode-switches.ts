/**
 * AuthMode ⇄ vault switches. An {@link AuthMode} is not stored by the vault: it is a name for a
 * combination of three switches (passcode, biometrics, in-memory), so the session layer maps a
 * mode to switches when setting it and derives it back from the vault's configuration. Nothing
 * persists an AuthMode number, which is why vaults written before the 4.x renumbering still open
 * with the mode they had (test/compat/v4/legacy-vault.test.ts).
 *
 * @module
 */
import { invalidAuthMode } from '../core/errors.js';
import { AuthMode, type AuthPromptOptions, type IdentityVault, type PluginConfiguration, type VaultConfig } from '../core/types.js';

/** The vault switches one {@link AuthMode} stands for. */
export interface AuthModeSwitches {
  readonly passcode: boolean;
  readonly biometrics: boolean;
  readonly inMemory: boolean;
}

/** The modes that name fixed switches; `BiometricOrPasscode` becomes one of them on the device at hand. */
export type SwitchedAuthMode = Exclude<AuthMode, AuthMode.BiometricOrPasscode>;

const SWITCHES: Readonly<Record<SwitchedAuthMode, AuthModeSwitches>> = {
  [AuthMode.BiometricOnly]: { passcode: false, biometrics: true, inMemory: false },
  [AuthMode.PasscodeOnly]: { passcode: true, biometrics: false, inMemory: false },
  [AuthMode.BiometricAndPasscode]: { passcode: true, biometrics: true, inMemory: false },
  [AuthMode.InMemoryOnly]: { passcode: false, biometrics: false, inMemory: true },
  [AuthMode.SecureStorage]: { passcode: false, biometrics: false, inMemory: false },
};

const MODES: ReadonlySet<unknown> = new Set(Object.values(AuthMode).filter((value) => typeof value === 'number'));

/**
 * `mode`, checked.
 * @throws VaultError `InvalidAuthMode` when `mode` is not an {@link AuthMode}.
 */
export function checkAuthMode(mode: unknown): AuthMode {
  if (!MODES.has(mode)) throw invalidAuthMode(`${String(mode)} is not an AuthMode`);
  return mode as AuthMode;
}

/** The switches for a mode with fixed switches. */
export function switchesFor(mode: SwitchedAuthMode): AuthModeSwitches {
  return SWITCHES[mode];
}

/**
 * The mode with fixed switches that `mode` means on `vault`'s device now: `BiometricOrPasscode` is
 * `BiometricOnly` when biometrics are available, else `PasscodeOnly` (Identity Vault 3.3: "use
 * biometrics if it is available, otherwise use passcode").
 * @throws VaultError `InvalidAuthMode`.
 */
export async function resolveAuthMode(vault: IdentityVault, mode: unknown): Promise<SwitchedAuthMode> {
  const checked = checkAuthMode(mode);
  if (checked !== AuthMode.BiometricOrPasscode) return checked;
  return (await vault.isBiometricsAvailable()) ? AuthMode.BiometricOnly : AuthMode.PasscodeOnly;
}

/**
 * Whether a configuration keeps its values only in memory. identity-vault's vaults say so
 * (`isInMemoryOnly`); a 4.x-style vault says it by having no unlock method and secure-storage
 * mode off, which is how Identity Vault 4.x defines `InMemoryOnly`.
 */
export function isInMemory(
  config: Pick<PluginConfiguration, 'isPasscodeEnabled' | 'isBiometricsEnabled' | 'isInMemoryOnly' | 'isSecureStorageModeEnabled'>,
): boolean {
  if (config.isInMemoryOnly !== undefined) return config.isInMemoryOnly;
  return !config.isPasscodeEnabled && !config.isBiometricsEnabled && config.isSecureStorageModeEnabled === false;
}

/**
 * The {@link AuthMode} a vault configuration amounts to. Neither passcode nor biometrics on a
 * persisted vault is `AuthMode.SecureStorage` (Identity Vault 4.x).
 */
export function authModeOf(
  config: Pick<PluginConfiguration, 'isPasscodeEnabled' | 'isBiometricsEnabled' | 'isInMemoryOnly' | 'isSecureStorageModeEnabled'>,
): AuthMode {
  if (isInMemory(config)) return AuthMode.InMemoryOnly;
  if (config.isPasscodeEnabled && config.isBiometricsEnabled) return AuthMode.BiometricAndPasscode;
  if (config.isPasscodeEnabled) return AuthMode.PasscodeOnly;
  if (config.isBiometricsEnabled) return AuthMode.BiometricOnly;
  return AuthMode.SecureStorage;
}

/** The {@link VaultConfig} the session-layer hooks receive: the vault's configuration and the prompt options the user was created with. */
export function toVaultConfig(config: PluginConfiguration, prompt: AuthPromptOptions = {}): VaultConfig {
  return {
    ...prompt,
    authMode: authModeOf(config),
    hideScreenOnBackground: config.hideScreenOnBackground,
    isPasscodeSetupNeeded: config.isPasscodeSetupNeeded,
    lockAfter: config.lockAfter,
  };
}

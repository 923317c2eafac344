/**
 * AuthMode ⇄ vault switches. An {@link AuthMode} is not stored by the vault: it is a name for a
 * combination of three switches (passcode, biometrics, in-memory), so the session layer maps a
 * mode to switches when setting it (apply-auth-mode.ts) and derives it back from the vault's
 * configuration (here). Nothing
 * persists an AuthMode number, which is why vaults written before the 4.x renumbering still open
 * with the mode they had (test/compat/v4/legacy-vault.test.ts).
 *
 * @module
 */
import { invalidAuthMode } from '../core/errors.js';
import { AuthMode, type AuthPromptOptions, type PluginConfiguration, type VaultConfig } from '../core/types.js';

const MODES: ReadonlySet<unknown> = new Set(Object.values(AuthMode).filter((value) => typeof value === 'number'));

/**
 * `mode`, checked.
 * @throws VaultError `InvalidAuthMode` when `mode` is not an {@link AuthMode}.
 */
export function checkAuthMode(mode: unknown): AuthMode {
  if (!MODES.has(mode)) throw invalidAuthMode(`${String(mode)} is not an AuthMode`);
  return mode as AuthMode;
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

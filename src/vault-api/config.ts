/**
 * The Identity Vault 5.x/6.x configuration: `VaultType`, `DeviceSecurityType`,
 * `IdentityVaultConfig`, and the rules that turn what an app passes into the config a vault runs
 * with (defaults, `DeviceSecurity` + `None`, validation).
 */
import { invalidArguments } from '../core/errors.js';
import { describeType } from '../core/validate.js';

/** The type of vault. */
export enum VaultType {
  /** No extra security in the app: data encrypted under a device-bound key, never locked. */
  SecureStorage = 'SecureStorage',
  /** Unlocked with the device's own user verification (biometrics and/or the system passcode). */
  DeviceSecurity = 'DeviceSecurity',
  /** Unlocked with a passcode the app collects from the user (`onPasscodeRequested`). */
  CustomPasscode = 'CustomPasscode',
  /** Data lives only in memory; locking (or closing the app) drops it. */
  InMemory = 'InMemory',
}

/** With `VaultType.DeviceSecurity`: which of the device's user verification methods unlock the vault. */
export enum DeviceSecurityType {
  /** The device's system passcode (PIN, password, pattern). */
  SystemPasscode = 'SystemPasscode',
  /** The device's biometrics. */
  Biometrics = 'Biometrics',
  /** Biometrics, with the system passcode as fallback. */
  Both = 'Both',
  /** No device security (the value for the other vault types). */
  None = 'None',
}

/** Android only: with `DeviceSecurity` + `Both`, which to prefer when both are not available. Recorded, no effect on the web. */
export enum AndroidBiometricCryptoPreference {
  StrongVault = 'StrongVault',
  SystemPasscode = 'SystemPasscode',
}

/** The configuration of a {@link Vault} (Identity Vault 5.x/6.x `IdentityVaultConfig`). */
export interface IdentityVaultConfig {
  /** Names the vault: two `Vault` objects with the same key are the same vault. */
  key: string;
  /** How the vault is secured. @default VaultType.SecureStorage */
  type?: VaultType | `${VaultType}`;
  /** With `DeviceSecurity`: which device security unlocks the vault. `None` becomes `Both` for `DeviceSecurity`. @default DeviceSecurityType.None */
  deviceSecurityType?: DeviceSecurityType | `${DeviceSecurityType}`;
  /** Milliseconds in the background after which the vault locks (no effect on `SecureStorage`). Unset: never. */
  lockAfterBackgrounded?: number;
  /** `CustomPasscode`: clear the vault after `customPasscodeInvalidUnlockAttempts` wrong passcodes. @default false */
  shouldClearVaultAfterTooManyFailedAttempts?: boolean;
  /** `CustomPasscode`: wrong passcodes allowed before the vault is cleared (when clearing is on). @default 5 */
  customPasscodeInvalidUnlockAttempts?: number;
  /** Unlock as soon as the vault is initialized (shows the prompt at start-up). @default false */
  unlockVaultOnLoad?: boolean;
  /** Android prompt title. Recorded; the web uses the browser's own prompt. @default "Please Authenticate" */
  androidBiometricsPromptTitle?: string;
  /** Android prompt subtitle. Recorded; no effect on the web. */
  androidBiometricsPromptSubtitle?: string;
  /** Android prompt description. Recorded; no effect on the web. */
  androidBiometricsPromptDescription?: string;
  /** Android prompt cancel button. Recorded; no effect on the web. @default "Cancel" */
  androidBiometricsNegativeButtonText?: string;
  /** Android only. Recorded; no effect on the web. @default AndroidBiometricCryptoPreference.StrongVault */
  androidBiometricsPreferStrongVaultOrSystemPasscode?: AndroidBiometricCryptoPreference | `${AndroidBiometricCryptoPreference}`;
  /** iOS reason shown in the Face ID / Touch ID prompt. Recorded; no effect on the web. */
  iosBiometricsLocalizedReason?: string;
  /** iOS cancel button title. Recorded; no effect on the web. */
  iosBiometricsLocalizedCancelTitle?: string;
  /** iOS fallback button title. Recorded; no effect on the web. */
  iosBiometricsLocalizedFallbackTitle?: string;
}

/** Identity Vault's defaults, filled in where the app leaves a field out. */
export const CONFIG_DEFAULTS = {
  type: VaultType.SecureStorage,
  deviceSecurityType: DeviceSecurityType.None,
  androidBiometricsPreferStrongVaultOrSystemPasscode: AndroidBiometricCryptoPreference.StrongVault,
  shouldClearVaultAfterTooManyFailedAttempts: false,
  customPasscodeInvalidUnlockAttempts: 5,
  unlockVaultOnLoad: false,
} as const satisfies Partial<IdentityVaultConfig>;

/** A config with every field the vault acts on resolved. */
export interface ResolvedConfig extends IdentityVaultConfig {
  type: VaultType;
  deviceSecurityType: DeviceSecurityType;
  shouldClearVaultAfterTooManyFailedAttempts: boolean;
  customPasscodeInvalidUnlockAttempts: number;
  unlockVaultOnLoad: boolean;
}

const STRING_FIELDS = [
  'androidBiometricsPromptTitle',
  'androidBiometricsPromptSubtitle',
  'androidBiometricsPromptDescription',
  'androidBiometricsNegativeButtonText',
  'iosBiometricsLocalizedReason',
  'iosBiometricsLocalizedCancelTitle',
  'iosBiometricsLocalizedFallbackTitle',
] as const;

function oneOf<T extends string>(values: Record<string, T>, value: unknown, name: string): T {
  if (typeof value === 'string' && (Object.values(values) as string[]).includes(value)) return value as T;
  throw invalidArguments(
    `${name} must be one of ${Object.values(values).join(', ')}, got ${typeof value === 'string' ? JSON.stringify(value) : describeType(value)}`,
  );
}

/**
 * Checks `config` and fills in the defaults. Follows Identity Vault's "sane defaults" rule:
 * `type: DeviceSecurity` with `deviceSecurityType: None` (or none given) becomes `Both`, since a
 * DeviceSecurity vault secured by nothing is not a choice the product offers.
 * @throws VaultError `InvalidArguments`
 */
export function resolveConfig(config: unknown): ResolvedConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw invalidArguments(`the vault config must be an object with at least a key, got ${describeType(config)}`);
  }
  const given = config as Record<string, unknown>;
  if (typeof given.key !== 'string' || given.key.length === 0) throw invalidArguments(`config.key must be a non-empty string, got ${describeType(given.key)}`);
  const type = given.type === undefined ? CONFIG_DEFAULTS.type : oneOf(VaultType, given.type, 'config.type');
  let deviceSecurityType =
    given.deviceSecurityType === undefined
      ? CONFIG_DEFAULTS.deviceSecurityType
      : oneOf(DeviceSecurityType, given.deviceSecurityType, 'config.deviceSecurityType');
  if (type === VaultType.DeviceSecurity && deviceSecurityType === DeviceSecurityType.None) deviceSecurityType = DeviceSecurityType.Both;
  const lock = given.lockAfterBackgrounded;
  if (lock !== undefined && lock !== null && (typeof lock !== 'number' || !Number.isFinite(lock) || lock < 0)) {
    throw invalidArguments(`config.lockAfterBackgrounded must be a number of milliseconds ≥ 0, got ${describeType(lock)}`);
  }
  const attempts = given.customPasscodeInvalidUnlockAttempts ?? CONFIG_DEFAULTS.customPasscodeInvalidUnlockAttempts;
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 1 || attempts > 1000) {
    throw invalidArguments(`config.customPasscodeInvalidUnlockAttempts must be a whole number from 1 to 1000, got ${describeType(attempts)}`);
  }
  for (const field of ['shouldClearVaultAfterTooManyFailedAttempts', 'unlockVaultOnLoad'] as const) {
    if (given[field] !== undefined && typeof given[field] !== 'boolean')
      throw invalidArguments(`config.${field} must be a boolean, got ${describeType(given[field])}`);
  }
  for (const field of STRING_FIELDS) {
    if (given[field] !== undefined && given[field] !== null && typeof given[field] !== 'string') {
      throw invalidArguments(`config.${field} must be a string, got ${describeType(given[field])}`);
    }
  }
  const preference =
    given.androidBiometricsPreferStrongVaultOrSystemPasscode === undefined
      ? CONFIG_DEFAULTS.androidBiometricsPreferStrongVaultOrSystemPasscode
      : oneOf(
          AndroidBiometricCryptoPreference,
          given.androidBiometricsPreferStrongVaultOrSystemPasscode,
          'config.androidBiometricsPreferStrongVaultOrSystemPasscode',
        );
  // Keep every field the app gave (including ones this version does not know), then the resolved ones.
  return {
    ...(given as unknown as IdentityVaultConfig),
    type,
    deviceSecurityType,
    androidBiometricsPreferStrongVaultOrSystemPasscode: preference,
    shouldClearVaultAfterTooManyFailedAttempts:
      (given.shouldClearVaultAfterTooManyFailedAttempts as boolean | undefined) ?? CONFIG_DEFAULTS.shouldClearVaultAfterTooManyFailedAttempts,
    customPasscodeInvalidUnlockAttempts: attempts,
    unlockVaultOnLoad: (given.unlockVaultOnLoad as boolean | undefined) ?? CONFIG_DEFAULTS.unlockVaultOnLoad,
  };
}

/** The engine's failed-attempt limit for a config: the engine always clears at its limit, so "never clear" is its ceiling. */
export function attemptLimitOf(config: ResolvedConfig): number {
  return config.type === VaultType.CustomPasscode && config.shouldClearVaultAfterTooManyFailedAttempts ? config.customPasscodeInvalidUnlockAttempts : 1000;
}

/** The engine's background lock delay: `SecureStorage` never locks; unset means never. */
export function lockAfterOf(config: ResolvedConfig): number {
  if (config.type === VaultType.SecureStorage) return 0;
  return typeof config.lockAfterBackgrounded === 'number' ? config.lockAfterBackgrounded : 0;
}

/** The config a `Vault` shows before `initialize` (its `config` is never `undefined`). */
export function unconfigured(): IdentityVaultConfig {
  return { key: '', ...CONFIG_DEFAULTS };
}

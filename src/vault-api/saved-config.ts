/**
 * The config a 5.x/6.x vault saves next to its values (under the device key, readable before
 * unlock), so a later `initialize` knows how the vault is secured: Identity Vault's "the saved
 * config wins" rule. Only known fields are saved, so the record is always JSON data.
 */
import type { ResolvedConfig } from './config.js';

/** The engine `vaultId` of the 5.x vault `key` (its own namespace: a 4.x vault can never collide). */
export function engineVaultIdOf(key: string): string {
  return `iv5/${key}`;
}

/** The engine vault (`username`) holding the values. */
export const VALUES_USER = 'vault';
/** The engine vault (`username`) holding the saved config, under the device key. */
export const CONFIG_USER = 'config';

/** The record name in the config vault. */
export const CONFIG_RECORD = 'config';

const SAVED_FIELDS = [
  'key',
  'type',
  'deviceSecurityType',
  'lockAfterBackgrounded',
  'shouldClearVaultAfterTooManyFailedAttempts',
  'customPasscodeInvalidUnlockAttempts',
  'unlockVaultOnLoad',
  'androidBiometricsPromptTitle',
  'androidBiometricsPromptSubtitle',
  'androidBiometricsPromptDescription',
  'androidBiometricsNegativeButtonText',
  'androidBiometricsPreferStrongVaultOrSystemPasscode',
  'iosBiometricsLocalizedReason',
  'iosBiometricsLocalizedCancelTitle',
  'iosBiometricsLocalizedFallbackTitle',
] as const;

/** The fields of `config` that are saved (unset ones left out). */
export function savedFields(config: ResolvedConfig): Record<string, unknown> {
  const saved: Record<string, unknown> = {};
  for (const field of SAVED_FIELDS) if (config[field] !== undefined && config[field] !== null) saved[field] = config[field];
  return saved;
}

/**
 * The two engine vaults behind a 5.x/6.x {@link Vault} (its values, and its saved config under the
 * device key), opened, re-made and closed here so vault.ts keeps only the API's rules.
 *
 * @module
 */
import { toVaultError, VaultErrorCodes, type VaultError } from '../core/errors.js';
import { engineOfVault } from '../core/identity-vault.js';
import type { IonicNativeAuthPlugin, LockEvent } from '../core/types.js';
import type { VaultEngine } from '../core/vault-engine.js';
import { attemptLimitOf, lockAfterOf, resolveConfig, type IdentityVaultConfig, type ResolvedConfig } from './config.js';
import { CONFIG_RECORD, CONFIG_USER, VALUES_USER, engineVaultIdOf } from './saved-config.js';
import type { VaultLockEvent } from './vault-interface.js';
import type { EngineVault } from './vault-security.js';

/** An opened vault: its engine vaults and what is known about it. */
export interface Opened {
  readonly plugin: IonicNativeAuthPlugin;
  readonly vaultId: string;
  readonly settings: EngineVault;
  values: EngineVault;
  engine: VaultEngine;
  exists: boolean;
  /** Why the vault could not be opened (a damaged config record); only `clear()` works until then. */
  failure: VaultError | undefined;
}

/** What the values' engine vault reports to the {@link Vault}. */
export interface ValueEvents {
  lock(event: VaultLockEvent): void;
  unlock(): void;
}

/**
 * Opens the vault named by `requested.key` on `plugin`. The config saved by the last
 * `updateConfig` wins over the one passed now (Identity Vault's rule). A saved config that cannot
 * be read is not thrown here: it is `opened.failure`, and the vault can still be cleared.
 */
export async function openHandles(
  plugin: IonicNativeAuthPlugin,
  requested: ResolvedConfig,
  events: ValueEvents,
): Promise<{ resolved: ResolvedConfig; opened: Opened }> {
  const vaultId = engineVaultIdOf(requested.key);
  const settings = plugin.getVault({ vaultId, username: CONFIG_USER }) as EngineVault;
  let saved: Partial<IdentityVaultConfig> | undefined;
  let failure: VaultError | undefined;
  try {
    if (await settings.isLocked()) await settings.unlock(); // device key: never asks anyone
    saved = (await settings.getValue(CONFIG_RECORD)) as Partial<IdentityVaultConfig> | undefined;
  } catch (error) {
    failure = toVaultError(error, VaultErrorCodes.VaultUnavailable, 'The saved vault config could not be read.');
  }
  const resolved = saved === undefined ? requested : resolveConfig({ ...requested, ...saved, key: requested.key });
  const values = valuesHandle(plugin, vaultId, resolved, events);
  return { resolved, opened: { plugin, vaultId, settings, values, engine: engineOfVault(values), exists: saved !== undefined, failure } };
}

/** A new engine handle carries changed settings (lockAfter, attempts); the old one stops listening. */
export function rehandle(opened: Opened, config: ResolvedConfig, events: ValueEvents): void {
  const old = opened.values;
  opened.values = valuesHandle(opened.plugin, opened.vaultId, config, events);
  opened.engine = engineOfVault(opened.values);
  void old.unsubscribe();
}

/** Stops listening to both engine vaults (before another `initialize`). */
export function closeHandles(opened: Opened | undefined): void {
  if (!opened) return;
  void opened.values.unsubscribe();
  void opened.settings.unsubscribe();
}

function valuesHandle(plugin: IonicNativeAuthPlugin, vaultId: string, config: ResolvedConfig, events: ValueEvents): EngineVault {
  return <EngineVault>plugin.getVault({
    vaultId,
    username: VALUES_USER,
    lockAfter: lockAfterOf(config),
    maxAttempts: attemptLimitOf(config),
    onLock: (event: LockEvent) => events.lock({ timeout: event.timeout, saved: event.saved }),
    onUnlock: () => events.unlock(),
  });
}

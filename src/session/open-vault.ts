/**
 * Opening the vault of a descriptor and waiting for it to be ready.
 *
 * @module
 */
import { toVaultError, VaultErrorCodes, type VaultError } from '../core/errors.js';
import type { AuthPromptOptions, IdentityVault, IonicNativeAuthPlugin, LockEvent, PluginConfiguration, PluginOptions, VaultDescriptor } from '../core/types.js';

/** The vault events the session layer listens to (the plugin's `on*` options, minus `onReady`). */
export interface VaultListeners {
  onLock(event: LockEvent): void;
  onUnlock(config: PluginConfiguration): void;
  onConfig(config: PluginConfiguration): void;
  /** An error the plugin reports after the vault was ready. */
  onLateError(error: VaultError): void;
}

/** What {@link openVault} passes on to the plugin besides the descriptor and listeners. */
export interface OpenVaultOptions {
  readonly descriptor: VaultDescriptor;
  readonly lockAfter: number;
  readonly hideScreenOnBackground: boolean;
  /** Identity Vault 4.1's prompt and attempt options, passed on as they were given. */
  readonly prompt?: AuthPromptOptions;
}

/**
 * Asks `plugin` for the vault and resolves once the plugin calls `onReady`, whether it does so
 * during `getVault` or later.
 *
 * @throws VaultError what the plugin reports through `onError` before it is ready, or what
 *   `getVault` throws (wrapped as `Unknown` when it is not a `VaultError`).
 */
export function openVault(plugin: IonicNativeAuthPlugin, options: OpenVaultOptions, listeners: VaultListeners): Promise<IdentityVault> {
  return new Promise<IdentityVault>((resolve, reject) => {
    let settled = false;
    let returned: IdentityVault | undefined;
    const pluginOptions: PluginOptions = {
      ...options.prompt,
      username: options.descriptor.username,
      vaultId: options.descriptor.vaultId,
      lockAfter: options.lockAfter,
      hideScreenOnBackground: options.hideScreenOnBackground,
      onReady: (vault) => {
        if (settled) return;
        const ready = vault ?? returned;
        if (ready === undefined) return;
        settled = true;
        resolve(ready);
      },
      onError: (error) => {
        if (settled) {
          listeners.onLateError(error);
          return;
        }
        settled = true;
        reject(error);
      },
      onLock: (event) => listeners.onLock(event),
      onUnlock: (config) => listeners.onUnlock(config),
      onConfig: (config) => listeners.onConfig(config),
    };
    try {
      returned = plugin.getVault(pluginOptions);
    } catch (error) {
      settled = true;
      reject(toVaultError(error, VaultErrorCodes.Unknown, 'the plugin could not open the vault'));
    }
  });
}

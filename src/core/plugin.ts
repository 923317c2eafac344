/**
 * `createPlugin(platform)`: the `IonicNativeAuthPlugin` of a platform. It owns one engine per
 * descriptor, forwards lifecycle events and messages from other tabs to them, and keeps the
 * privacy screen on while any vault asks for it.
 */
import { invalidArguments } from './errors.js';
import { checkKdfSettings } from './kdf-params.js';
import { Vault } from './identity-vault.js';
import type { Platform } from './ports.js';
import type { IdentityVault, IonicNativeAuthPlugin, PluginOptions } from './types.js';
import { checkAttemptLimit, checkMilliseconds, checkNonEmptyString, checkOptionalBoolean } from './validate.js';
import { VaultEngine } from './vault-engine.js';

/** Defaults for every vault of a plugin. */
export interface PluginDefaults {
  /** Failed passcode attempts before a vault is cleared. @default 5 */
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

const disposers = new WeakMap<IonicNativeAuthPlugin, () => void>();

/**
 * The plugin for `platform`.
 * @example
 * ```ts
 * const plugin = createPlugin(createWebPlatform());
 * const vault = plugin.getVault({ vaultId: 'my-app', username: 'alice' });
 * ```
 */
export function createPlugin(platform: Platform, defaults: PluginDefaults = {}): IonicNativeAuthPlugin {
  const defaultMaxAttempts = checkAttemptLimit(defaults.maxAttempts) ?? DEFAULT_MAX_ATTEMPTS;
  checkKdfSettings(platform.kdf);
  const engines = new Map<string, VaultEngine>();

  const updatePrivacyScreen = () => {
    const enabled = [...engines.values()].some((engine) => engine.wantsPrivacyScreen);
    platform.lifecycle.setPrivacyScreen({ enabled });
  };
  const stopLifecycle = platform.lifecycle.subscribe((event) => {
    for (const engine of engines.values()) engine.onLifecycle(event);
  });
  const stopPeers = platform.peers?.subscribe((message) => {
    for (const engine of engines.values()) if (engine.keys.prefix === message.vault) engine.onPeer(message);
  });
  const api: IonicNativeAuthPlugin = {
    getVault(options: PluginOptions): IdentityVault {
      if (typeof options !== 'object' || options === null) {
        throw invalidArguments('getVault needs an options object with vaultId and username.');
      }
      const vaultId = checkNonEmptyString(options.vaultId, 'vaultId');
      const username = checkNonEmptyString(options.username, 'username');
      const lockAfter = checkMilliseconds(options.lockAfter, 'lockAfter');
      const hideScreenOnBackground = checkOptionalBoolean(options.hideScreenOnBackground, 'hideScreenOnBackground');
      const maxAttempts = checkAttemptLimit(options.maxAttempts);
      const clearAfterTooMany = checkOptionalBoolean(options.shouldClearVaultAfterTooManyFailedAttempts, 'shouldClearVaultAfterTooManyFailedAttempts');
      const id = JSON.stringify([vaultId, username]);
      let engine = engines.get(id);
      if (!engine) {
        // A handle that unsubscribes may have been the last to ask for the privacy screen.
        const settings = { lockAfter: 0, hideScreenOnBackground: false, maxAttempts: defaultMaxAttempts };
        engine = new VaultEngine(platform, { vaultId, username }, settings, updatePrivacyScreen);
        engines.set(id, engine);
      }
      // The latest getVault that states a setting wins; unstated settings keep their value.
      engine.configure({
        ...(lockAfter !== undefined ? { lockAfter } : {}),
        ...(hideScreenOnBackground !== undefined ? { hideScreenOnBackground } : {}),
        ...(maxAttempts !== undefined ? { maxAttempts } : {}),
        ...(clearAfterTooMany !== undefined ? { clearAfterTooManyAttempts: clearAfterTooMany } : {}),
      });
      const vault = new Vault(engine, platform, options);
      updatePrivacyScreen();
      return vault;
    },
  };
  disposers.set(api, () => {
    stopLifecycle();
    stopPeers?.();
  });
  return api;
}

/** Stops a plugin listening to lifecycle events and other tabs (tests, simulated restarts). */
export function disposePlugin(plugin: IonicNativeAuthPlugin): void {
  disposers.get(plugin)?.();
  disposers.delete(plugin);
}

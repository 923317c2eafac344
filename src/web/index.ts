/**
 * `identity-vault/web`: the browser platform of identity-vault.
 *
 * @example
 * ```ts
 * import { webPlugin } from 'identity-vault/web';
 * const vault = webPlugin().getVault({ vaultId: 'my-app', username: 'ada', lockAfter: 5 * 60_000 });
 * await vault.storeToken('secret');
 * ```
 */
import { createPlugin, type PluginDefaults } from '../core/plugin.js';
import type { IonicNativeAuthPlugin } from '../core/types.js';
import { createWebPlatform, type WebPlatformOptions } from './platform.js';

export { createWebPlatform, type WebPlatform, type WebPlatformOptions } from './platform.js';
export { DEFAULT_PASSCODE_TEXTS, type PasscodeDialogOptions, type PasscodeDialogTexts, type PasscodeDialogWording } from '../ui/passcode-texts.js';
export type { WebAuthnBiometrics, WebAuthnBiometricsOptions } from './webauthn-biometrics.js';
export type { PasscodeDialog } from '../ui/passcode-dialog.js';
export type { PageLifecycle } from './page-lifecycle.js';

/** Options of {@link createWebPlugin}: the platform's, plus plugin defaults. */
export interface WebPluginOptions extends WebPlatformOptions {
  /** Failed passcode attempts before a vault is cleared, for every vault of the plugin. @default 5 */
  readonly maxAttempts?: number;
}

/**
 * A plugin on a new web platform. Most apps want the shared {@link webPlugin} instead; create
 * your own for another database name or settings.
 *
 * @example
 * ```ts
 * const plugin = createWebPlugin({ databaseName: 'other-vaults', maxAttempts: 10 });
 * ```
 */
export function createWebPlugin(options: WebPluginOptions = {}): IonicNativeAuthPlugin {
  const { maxAttempts, ...platformOptions } = options;
  const defaults: PluginDefaults = maxAttempts === undefined ? {} : { maxAttempts };
  return createPlugin(createWebPlatform(platformOptions), defaults);
}

let shared: IonicNativeAuthPlugin | undefined;

/**
 * The page's shared web plugin (default options), created on first call.
 *
 * @example
 * ```ts
 * const vault = webPlugin().getVault({ vaultId: 'my-app', username: 'ada' });
 * ```
 */
export function webPlugin(): IonicNativeAuthPlugin {
  shared ??= createWebPlugin();
  return shared;
}

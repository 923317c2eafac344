/**
 * `identity-vault/capacitor`: the `IdentityVault` Capacitor plugin and the platform that runs
 * the vault on it.
 *
 * On iOS and Android with a native implementation of `docs/native-contract.md` installed, vaults
 * use it (Keychain / Keystore, biometric prompts, the privacy screen). In a browser — and in a
 * native app whose native part is not installed — they use the web platform (IndexedDB,
 * WebCrypto, WebAuthn), which runs in the WebView too.
 *
 * @example
 * ```ts
 * import { createCapacitorPlugin } from 'identity-vault/capacitor';
 * const plugin = await createCapacitorPlugin();
 * const vault = plugin.getVault({ vaultId: 'my-app', username: 'ada', lockAfter: 5_000, hideScreenOnBackground: true });
 * ```
 */
import { Capacitor, registerPlugin } from '@capacitor/core';
import { createPlugin } from '../core/plugin.js';
import type { Platform } from '../core/ports.js';
import type { IonicNativeAuthPlugin } from '../core/types.js';
import type { WebPlatformOptions } from '../web/platform.js';
import { PLUGIN_NAME, type IdentityVaultPlugin } from './definitions.js';
import { createNativePlatform, type NativePlatformOptions } from './native-platform.js';

export * from './definitions.js';
export { createNativePlatform, type NativePlatform, type NativePlatformOptions } from './native-platform.js';

/**
 * The registered plugin: the native implementation on iOS/Android, `IdentityVaultWeb`
 * (loaded on first call) in a browser.
 *
 * @since 0.1.0
 */
export const IdentityVault = registerPlugin<IdentityVaultPlugin>(PLUGIN_NAME, {
  web: () => import('./web.js').then((m) => new m.IdentityVaultWeb()),
});

/** Options of {@link createCapacitorPlatform}. */
export interface CapacitorPlatformOptions {
  /** Options of the native platform (when the native plugin is installed). */
  readonly native?: NativePlatformOptions;
  /** Options of the web platform (in a browser, or when the native plugin is not installed). */
  readonly web?: WebPlatformOptions;
}

/** Whether the native `IdentityVault` implementation is installed in this app. */
export function isNativeAvailable(): boolean {
  return Capacitor.isNativePlatform() && Capacitor.isPluginAvailable(PLUGIN_NAME);
}

/**
 * The platform for this app: native when the native plugin is installed, else the web platform
 * (loaded lazily, so native builds do not pull it in).
 *
 * @example
 * ```ts
 * const platform = await createCapacitorPlatform({ web: { databaseName: 'my-app' } });
 * ```
 */
export async function createCapacitorPlatform(options: CapacitorPlatformOptions = {}): Promise<Platform> {
  if (isNativeAvailable()) return createNativePlatform(IdentityVault, options.native);
  const { createWebPlatform } = await import('../web/index.js');
  return createWebPlatform(options.web);
}

/** Options of {@link createCapacitorPlugin}. */
export interface CapacitorPluginOptions extends CapacitorPlatformOptions {
  /** Failed passcode attempts before a vault is cleared. @default 5 */
  readonly maxAttempts?: number;
}

/**
 * The vault plugin (`getVault`) on {@link createCapacitorPlatform}'s platform.
 *
 * @example
 * ```ts
 * const vault = (await createCapacitorPlugin()).getVault({ vaultId: 'my-app', username: 'ada' });
 * ```
 */
export async function createCapacitorPlugin(options: CapacitorPluginOptions = {}): Promise<IonicNativeAuthPlugin> {
  const { maxAttempts, ...platformOptions } = options;
  return createPlugin(await createCapacitorPlatform(platformOptions), maxAttempts === undefined ? {} : { maxAttempts });
}

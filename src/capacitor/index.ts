/**
 * `identity-vault/capacitor`: the `IdentityVault` Capacitor plugin and the platform that runs
 * the vault on it.
 *
 * On iOS and Android with the five maintained plugins installed (docs/native.md), vaults run on
 * them: SQLite records, Keychain / Keystore keys, crypto-bound biometrics, the privacy screen.
 * An app may instead install its own implementation of `docs/native-contract.md`. In a browser —
 * and in a native app without either — they use the web platform (IndexedDB, WebCrypto,
 * WebAuthn), which runs in the WebView too.
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
import { loadPluginPlatform, type PluginPlatformOptions } from './plugin-platform.js';

export * from './definitions.js';
export { createNativePlatform, type NativePlatform, type NativePlatformOptions } from './native-platform.js';
export { createPluginPlatform, loadPluginPlatform, type PluginPlatform, type PluginPlatformOptions } from './plugin-platform.js';
export {
  findMaintainedPlugins,
  PLUGIN_NAMES,
  type AppApi,
  type BiometricAvailableResult,
  type CapacitorRuntime,
  type CapacitorSqliteApi,
  type MaintainedPlugins,
  type NativeBiometricApi,
  type NativeOS,
  type PrivacyScreenApi,
  type SecureStorageApi,
  type SqliteStatement,
} from './plugin-apis.js';
export type { BiometricPromptTexts } from './plugin-biometrics.js';
export { runNativeDeviceCheck, type DeviceCheckOptions, type DeviceCheckSummary } from './device-check.js';

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
  /** Options of the native platform on the maintained plugins (iOS/Android with all five installed: docs/native.md). */
  readonly plugins?: PluginPlatformOptions;
  /** Options of the native platform (when an `IdentityVault` plugin of docs/native-contract.md is installed). */
  readonly native?: NativePlatformOptions;
  /** Options of the web platform (in a browser, or when the native plugin is not installed). */
  readonly web?: WebPlatformOptions;
}

/** Whether the native `IdentityVault` implementation is installed in this app. */
export function isNativeAvailable(): boolean {
  return Capacitor.isNativePlatform() && Capacitor.isPluginAvailable(PLUGIN_NAME);
}

/**
 * The platform for this app: on iOS/Android the native platform on the maintained plugins when
 * all five are installed (docs/native.md), else on an `IdentityVault` plugin when one is
 * installed, else the web platform (loaded lazily, so native builds do not pull it in).
 *
 * @example
 * ```ts
 * const platform = await createCapacitorPlatform({ web: { databaseName: 'my-app' } });
 * ```
 */
export async function createCapacitorPlatform(options: CapacitorPlatformOptions = {}): Promise<Platform> {
  const onPlugins = await loadPluginPlatform(options.plugins);
  if (onPlugins) return onPlugins;
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

/**
 * The native iOS / Android platform on maintained Capacitor plugins — no Swift or Kotlin of
 * identity-vault's own:
 *
 * | the core needs | held by |
 * | --- | --- |
 * | records (ciphertext, wraps, attempt counters): atomic, durable | `@capacitor-community/sqlite`, one transaction per commit |
 * | the device key; the install id; biometric markers | `@aparajita/capacitor-secure-storage`, `ThisDeviceOnly`, never synced |
 * | biometric key release | `@capgo/capacitor-native-biometric` `setData` / `getSecureData` with `BIOMETRY_CURRENT_SET` |
 * | lifecycle | `@capacitor/app` (`pause`/`resume` on iOS, `appStateChange` on Android) |
 * | privacy screen | `@capacitor/privacy-screen` |
 * | passcode prompt | the accessible `<dialog>` of src/ui/ (the web platform shows it too), unless the app supplies one |
 *
 * The platform touches no DOM (`window`, `document`, `indexedDB`, `localStorage`) except the
 * passcode dialog, loaded only when a prompt is shown and the app gave no `onPasscodeRequest`.
 * See docs/native.md.
 */
import type { ClockPort, CryptoPort, PasscodePromptPort, Platform } from '../core/ports.js';
import { createTimerClock } from '../shared/timer-clock.js';
import { createWebCrypto } from '../shared/web-crypto.js';
import { appLifecycle, type PrivacyScreenOptions } from './app-lifecycle.js';
import { keychainItems } from './keychain-items.js';
import { findMaintainedPlugins, type CapacitorRuntime, type MaintainedPlugins } from './plugin-apis.js';
import { pluginBiometrics, type BiometricPromptTexts } from './plugin-biometrics.js';
import { pluginDeviceKey } from './plugin-device-key.js';
import { sqliteStore } from './sqlite-store.js';

/** Options of {@link createPluginPlatform}. */
export interface PluginPlatformOptions {
  /** The passcode prompt; by default the accessible `<dialog>` (src/ui/, as on the web) inside the WebView. */
  readonly passcodePrompt?: PasscodePromptPort;
  /** Texts of the system biometric prompt. */
  readonly biometricPrompt?: BiometricPromptTexts;
  /** Passed to `PrivacyScreen.enable` (blur on iOS, dim or splash on Android). */
  readonly privacyScreen?: PrivacyScreenOptions;
  /** The SQLite database name. @default 'identityvault' */
  readonly database?: string;
  /** PBKDF2 iterations for new passcodes; never below 600,000. */
  readonly kdfIterations?: number;
  /** @default globalThis.crypto */
  readonly crypto?: CryptoPort;
  /** @default Date.now and setTimeout */
  readonly clock?: ClockPort;
}

/** The platform, plus a way to stop listening to the App plugin. */
export interface PluginPlatform extends Platform {
  readonly name: 'capacitor-ios' | 'capacitor-android';
  /** Remove the App listeners (tests, teardown). */
  dispose(): Promise<void>;
}

/**
 * The accessible `<dialog>` the web platform shows too (src/ui/, shared by both platforms: see
 * docs/architecture.md), loaded on the first prompt only (the choice for the native
 * passcode prompt): the only DOM this platform ever touches. Imported through the web platform's
 * first-use module, so a bundler keeps one chunk for the dialog (src/web/on-first-use.ts says why).
 */
class DialogPasscodePrompt implements PasscodePromptPort {
  #dialog: Promise<PasscodePromptPort> | undefined;

  async request(options: Parameters<PasscodePromptPort['request']>[0]): Promise<string | undefined> {
    this.#dialog ??= import('../web/on-first-use.js').then((m) => new m.PasscodeDialog());
    return (await this.#dialog).request(options);
  }
}

/**
 * The platform on the five plugins.
 *
 * @example
 * ```ts
 * import { Capacitor } from '@capacitor/core';
 * const plugins = findMaintainedPlugins(Capacitor);
 * if (plugins) createPlugin(createPluginPlatform(plugins, { biometricPrompt: { reason: 'Unlock Acme' } }));
 * ```
 */
export function createPluginPlatform(plugins: MaintainedPlugins, options: PluginPlatformOptions = {}): PluginPlatform {
  const crypto = options.crypto ?? createWebCrypto();
  const items = keychainItems(plugins.secureStorage);
  const lifecycle = appLifecycle({
    app: plugins.app,
    privacyScreen: plugins.privacyScreen,
    os: plugins.os,
    ...(options.privacyScreen ? { privacyScreenOptions: options.privacyScreen } : {}),
  });
  const store = sqliteStore({
    sqlite: plugins.sqlite,
    items,
    os: plugins.os,
    randomBytes: (n) => crypto.randomBytes(n),
    ...(options.database ? { database: options.database } : {}),
  });
  return {
    name: plugins.os === 'ios' ? 'capacitor-ios' : 'capacitor-android',
    store,
    crypto,
    deviceKey: pluginDeviceKey(items, crypto, store.deviceKeyCheck),
    biometrics: pluginBiometrics({
      plugin: plugins.biometric,
      items,
      crypto,
      os: plugins.os,
      ...(options.biometricPrompt ? { texts: options.biometricPrompt } : {}),
    }),
    passcodePrompt: options.passcodePrompt ?? new DialogPasscodePrompt(),
    lifecycle,
    clock: options.clock ?? createTimerClock(),
    // The app's WebView is the only writer of its database.
    cacheValues: true,
    // The database can be in a backup (Android Auto Backup includes databases/; docs/native.md),
    // the device key never is (Keychain ThisDeviceOnly, Keystore): sealing each passcode slot under
    // the device key leaves a backup copy nothing to test passcode guesses against, offline.
    bindPasscodeToDeviceKey: true,
    ...(options.kdfIterations !== undefined ? { kdf: { iterations: options.kdfIterations } } : {}),
    dispose: () => lifecycle.dispose(),
  };
}

/**
 * The plugin platform when this is a native iOS/Android app with all five plugins installed, else
 * `undefined`. `@capacitor/core` is imported only here, dynamically: web and Node users never
 * load it (it is an optional peer dependency).
 *
 * @example
 * ```ts
 * const platform = (await loadPluginPlatform()) ?? createWebPlatform();
 * ```
 */
export async function loadPluginPlatform(options: PluginPlatformOptions = {}): Promise<PluginPlatform | undefined> {
  let capacitor: CapacitorRuntime;
  try {
    capacitor = (await import('@capacitor/core')).Capacitor as unknown as CapacitorRuntime;
  } catch {
    return undefined; // not a Capacitor app
  }
  const plugins = findMaintainedPlugins(capacitor);
  return plugins ? createPluginPlatform(plugins, options) : undefined;
}

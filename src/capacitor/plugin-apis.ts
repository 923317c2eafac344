/**
 * The JavaScript surface of the maintained Capacitor plugins the native platform runs on, typed
 * from each plugin's published native source (the npm tarballs carry the Swift and Java/Kotlin
 * code). Only the methods identity-vault calls are listed; each is what the plugin's native class
 * registers (`CAPPluginMethod` on iOS, `@PluginMethod` on Android), so the bare proxy from
 * `registerPlugin(name)` reaches it without the plugin's own JavaScript package being bundled.
 *
 * Audited versions (an upgrade needs a new audit, see docs/native.md):
 * - `@capgo/capacitor-native-biometric` 8.6.11 (`NativeBiometric`)
 * - `@aparajita/capacitor-secure-storage` 8.0.1 (`SecureStorage`)
 * - `@capacitor-community/sqlite` 8.1.1 (`CapacitorSQLite`)
 * - `@capacitor/app` 8.1.1 (`App`)
 * - `@capacitor/privacy-screen` 2.0.1 (`PrivacyScreen`)
 */
import type { PluginListenerHandle } from '@capacitor/core';

/** The platforms these plugins run on. */
export type NativeOS = 'ios' | 'android';

/** The `jsName` each plugin registers natively. */
export const PLUGIN_NAMES = {
  biometric: 'NativeBiometric',
  secureStorage: 'SecureStorage',
  sqlite: 'CapacitorSQLite',
  app: 'App',
  privacyScreen: 'PrivacyScreen',
} as const;

/** `AccessControl.BIOMETRY_CURRENT_SET` of the biometric plugin: iOS `.biometryCurrentSet`, Android `setInvalidatedByBiometricEnrollment(true)`. */
export const BIOMETRY_CURRENT_SET = 1;

/**
 * `isAvailable()`'s result (NativeBiometricPlugin.swift `checkBiometryAvailability`,
 * NativeBiometric.java `checkBiometryAvailability`).
 */
export interface BiometricAvailableResult {
  isAvailable: boolean;
  /** 0 none, 1 strong, 2 weak (Android face unlock is often weak: it cannot release a Keystore key). */
  authenticationStrength?: number;
  /** 0 none, 1 Touch ID, 2 Face ID (and Optic ID), 3 fingerprint, 4 face, 5 iris, 6 multiple, 7 device credential. */
  biometryType?: number;
  deviceIsSecure?: boolean;
  /** True when a strong biometric (the only kind a crypto-bound key accepts) can authenticate. */
  strongBiometryIsAvailable?: boolean;
  /** `BiometricAuthError` when not available: 1 unavailable, 2 lockout, 3 not enrolled, 14 no passcode, … */
  errorCode?: number;
}

/** `NativeBiometric`: the methods identity-vault uses. `verifyIdentity` is deliberately absent: a boolean gate releases nothing. */
export interface NativeBiometricApi {
  isAvailable(options?: { useFallback: boolean }): Promise<BiometricAvailableResult>;
  setData(options: { key: string; value: string; accessControl: number; authValidityDuration: number }): Promise<void>;
  getSecureData(options: {
    key: string;
    reason?: string;
    title?: string;
    subtitle?: string;
    description?: string;
    negativeButtonText?: string;
  }): Promise<{ value: string }>;
  deleteData(options: { key: string }): Promise<void>;
}

/**
 * `SecureStorage`'s native methods (ios/Sources/SecureStoragePlugin/Plugin.swift, Android
 * SecureStorage.java). `access` is the iOS Keychain accessibility (1 = WhenUnlockedThisDeviceOnly);
 * `sync` false keeps the item out of iCloud Keychain.
 */
export interface SecureStorageApi {
  internalSetItem(options: { prefixedKey: string; data: string; sync: boolean; access: number }): Promise<void>;
  internalGetItem(options: { prefixedKey: string; sync: boolean }): Promise<{ data?: string | null }>;
  internalRemoveItem(options: { prefixedKey: string; sync: boolean }): Promise<{ success: boolean }>;
  /** Names starting with `prefix`: iOS the Keychain's items; Android the Keystore's aliases (SecureStorage.java `getKeysWithPrefix`). */
  internalGetPrefixedKeys(options: { prefix: string; sync: boolean }): Promise<{ keys?: string[] }>;
}

/** `KeychainAccess.whenUnlockedThisDeviceOnly` of the secure storage plugin. */
export const WHEN_UNLOCKED_THIS_DEVICE_ONLY = 1;

/** One statement of an `executeSet` batch. */
export interface SqliteStatement {
  statement: string;
  values: Array<string | number | null>;
}

/** `CapacitorSQLite`'s native methods (CapacitorSQLitePlugin.swift / .java). */
export interface CapacitorSqliteApi {
  createConnection(options: { database: string; version: number; encrypted: boolean; mode: string; readonly: boolean }): Promise<void>;
  open(options: { database: string; readonly: boolean }): Promise<void>;
  isDBOpen(options: { database: string; readonly: boolean }): Promise<{ result?: boolean }>;
  /** `file://` and the database file's path (Database.swift `getUrl`, Database.java `getUrl`). */
  getUrl(options: { database: string; readonly: boolean }): Promise<{ url?: string }>;
  execute(options: { database: string; statements: string; transaction: boolean; readonly: boolean }): Promise<{ changes?: { changes?: number } }>;
  executeSet(options: { database: string; set: SqliteStatement[]; transaction: boolean; readonly: boolean }): Promise<{ changes?: { changes?: number } }>;
  query(options: {
    database: string;
    statement: string;
    values: Array<string | number | null>;
    readonly: boolean;
  }): Promise<{ values?: Array<Record<string, unknown>> }>;
}

/** `App` (AppPlugin.swift / AppPlugin.java): the lifecycle events identity-vault listens to. */
export interface AppApi {
  getState(): Promise<{ isActive: boolean }>;
  addListener(eventName: 'pause' | 'resume', listener: () => void): Promise<PluginListenerHandle>;
  addListener(eventName: 'appStateChange', listener: (state: { isActive: boolean }) => void): Promise<PluginListenerHandle>;
}

/** `PrivacyScreen` (PrivacyScreenPlugin.swift / .kt). */
export interface PrivacyScreenApi {
  enable(config?: {
    android?: { dimBackground?: boolean; privacyModeOnActivityHidden?: 'none' | 'dim' | 'splash' };
    ios?: { blurEffect?: 'light' | 'dark' | 'none' };
  }): Promise<{ success: boolean }>;
  disable(): Promise<{ success: boolean }>;
}

/** The five plugins, as the native platform needs them. */
export interface MaintainedPlugins {
  readonly os: NativeOS;
  readonly biometric: NativeBiometricApi;
  readonly secureStorage: SecureStorageApi;
  readonly sqlite: CapacitorSqliteApi;
  readonly app: AppApi;
  readonly privacyScreen: PrivacyScreenApi;
}

/** What identity-vault needs of `@capacitor/core`'s `Capacitor` object. */
export interface CapacitorRuntime {
  isNativePlatform(): boolean;
  getPlatform(): string;
  isPluginAvailable(name: string): boolean;
  registerPlugin<T>(name: string): T;
  readonly Plugins?: Record<string, unknown>;
}

/**
 * The plugins through Capacitor, or `undefined` when this is not iOS/Android or one of them is
 * not installed natively (`npx cap sync` not run, or the app did not add it).
 */
export function findMaintainedPlugins(capacitor: CapacitorRuntime): MaintainedPlugins | undefined {
  if (!capacitor.isNativePlatform()) return undefined;
  const os = capacitor.getPlatform();
  if (os !== 'ios' && os !== 'android') return undefined;
  if (!Object.values(PLUGIN_NAMES).every((name) => capacitor.isPluginAvailable(name))) return undefined;
  // An app that imports a plugin's own package has registered it already: reuse that proxy
  // (registering a name twice only warns and returns the first one). Registration happens here,
  // when the platform is being built — never when this module is imported.
  const register: (name: string) => unknown = capacitor.registerPlugin;
  const proxy = <T>(name: string): T => (capacitor.Plugins?.[name] as T | undefined) ?? (register.call(capacitor, name) as T);
  return {
    os,
    biometric: proxy<NativeBiometricApi>(PLUGIN_NAMES.biometric),
    secureStorage: proxy<SecureStorageApi>(PLUGIN_NAMES.secureStorage),
    sqlite: proxy<CapacitorSqliteApi>(PLUGIN_NAMES.sqlite),
    app: proxy<AppApi>(PLUGIN_NAMES.app),
    privacyScreen: proxy<PrivacyScreenApi>(PLUGIN_NAMES.privacyScreen),
  };
}

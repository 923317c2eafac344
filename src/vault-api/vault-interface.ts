/** The shape shared by `Vault` and `BrowserVault` (Identity Vault 5.x/6.x `VaultInterface`). */
import type { VaultError } from '../core/errors.js';
import type { IdentityVaultConfig } from './config.js';
import type { PasscodeRequestCallback } from './passcode-requests.js';

/** Passed to `onLock` handlers. */
export interface VaultLockEvent {
  /** True when the vault locked because the app was in the background for `lockAfterBackgrounded`. */
  timeout: boolean;
  /** Whether the data is still stored (false for an `InMemory` vault: its data is gone). */
  saved: boolean;
}

/** Every method of a 5.x/6.x vault. Every failure rejects with a {@link VaultError} and also reaches `onError`. */
export interface VaultInterface {
  /** The vault's current configuration. Writable, as Identity Vault's is; assigning changes nothing in the vault (use `updateConfig`). */
  config: IdentityVaultConfig;
  /** Opens the vault named by `config.key`. A config saved by an earlier run (the last `updateConfig`) wins over `config`. */
  initialize(config: IdentityVaultConfig): Promise<void>;
  clear(): Promise<void>;
  doesVaultExist(): Promise<boolean>;
  /** Every key and value (values are JSON data; `any` as in Identity Vault's BrowserVault). */
  exportVault(): Promise<{ [key: string]: any }>;
  getKeys(): Promise<string[]>;
  /** Identity Vault's own signature: `T` defaults to `any`. A missing key gives `null`. */
  getValue<T = any>(key: string): Promise<T | null>;
  /** Replaces the whole content with `data`, atomically. */
  importVault(data: { [key: string]: unknown }): Promise<void>;
  isEmpty(): Promise<boolean>;
  isLocked(): Promise<boolean>;
  lock(): Promise<void>;
  removeValue(key: string): Promise<void>;
  setCustomPasscode(passcode: string): Promise<void>;
  setValue<T = any>(key: string, value: T): Promise<void>;
  unlock(): Promise<void>;
  updateConfig(config: IdentityVaultConfig): Promise<void>;
  onConfigChanged(callback: (config: IdentityVaultConfig) => void): void;
  onError(callback: (error: VaultError) => void): void;
  onLock(callback: (lockEvent: VaultLockEvent) => void): void;
  onPasscodeRequested(callback: PasscodeRequestCallback): void;
  onUnlock(callback: () => void): void;
}

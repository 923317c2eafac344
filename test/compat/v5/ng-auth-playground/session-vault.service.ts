/**
 * Pattern of ionic-enterprise/tutorials-and-demos-ng, demos/auth-playground/src/app/core/session-vault/session-vault.service.ts
 * (an Angular service), reproduced in our own code without Angular:
 * - two vaults from a factory service: a SecureStorage "preferences" vault initialized with only
 *   `{ key, type }`, and the session vault;
 * - `initialize()` memoised in a promise so concurrent callers share it;
 * - the unlock mode written to the preferences vault WITHOUT awaiting, then read back later
 *   (calls fired without await must land in order);
 * - `getValue<T>(key): Promise<T | null>` passed straight through;
 * - `onPasscodeRequested` presenting a PIN modal and answering `setCustomPasscode(data || '')`;
 * - `Device.isSystemPasscodeSet()` / `isBiometricsEnabled()` to pick the unlock mode on devices.
 */
import { Capacitor } from '@capacitor/core';
import { BiometricPermissionState, BrowserVault, Device, DeviceSecurityType, Vault, VaultType, type IdentityVaultConfig } from 'identity-vault';
import { PinDialog } from '../shell/app-shell.js';

export type UnlockMode = 'Device' | 'SystemPIN' | 'SessionPIN' | 'NeverLock' | 'ForceLogin';

/** The app's `VaultFactoryService`. */
export class VaultFactoryService {
  create(): Vault | BrowserVault {
    return Capacitor.isNativePlatform() ? new Vault() : new BrowserVault();
  }
}

export class SessionVaultService {
  private readonly vault: Vault | BrowserVault;
  private readonly preferencesVault: Vault | BrowserVault;
  private vaultReady: Promise<void> | undefined;
  private onLockCallback: (() => void) | undefined;
  readonly lockedEvents: boolean[] = [];

  constructor(
    vaultFactory: VaultFactoryService,
    private readonly pinDialog: PinDialog,
    private readonly isNative = () => Capacitor.isNativePlatform(),
  ) {
    this.preferencesVault = vaultFactory.create();
    this.vault = vaultFactory.create();
  }

  initialize(): Promise<void> {
    if (!this.vaultReady) {
      this.vaultReady = (async () => {
        await this.preferencesVault.initialize({ key: 'io.ionic.auth-playground-ng-preferences', type: VaultType.SecureStorage });
        try {
          await this.vault.initialize({
            key: 'io.ionic.auth-playground-ng',
            type: VaultType.SecureStorage,
            deviceSecurityType: DeviceSecurityType.None,
            lockAfterBackgrounded: 5000,
            shouldClearVaultAfterTooManyFailedAttempts: true,
            customPasscodeInvalidUnlockAttempts: 2,
            unlockVaultOnLoad: false,
          });
        } catch {
          await this.vault.clear();
          await this.setUnlockMode('NeverLock');
        }
        this.vault.onLock(() => {
          this.onLockCallback?.();
          this.lockedEvents.push(true);
        });
        this.vault.onUnlock(() => this.lockedEvents.push(false));
        this.vault.onError(() => undefined);
        this.vault.onPasscodeRequested(async (isPasscodeSetRequest: boolean) => this.onPasscodeRequest(isPasscodeSetRequest));
      })();
    }
    return this.vaultReady;
  }

  getConfig(): IdentityVaultConfig {
    return this.vault.config as IdentityVaultConfig;
  }

  getValue<T>(key: string): Promise<T | null> {
    return this.vault.getValue<T>(key);
  }

  setValue<T>(key: string, value: T): Promise<void> {
    return this.vault.setValue(key, value);
  }

  lock(): Promise<void> {
    return this.vault.lock();
  }

  unlock(): Promise<void> {
    return this.vault.unlock();
  }

  clear(): Promise<void> {
    return this.vault.clear();
  }

  onLock(callback: () => void): void {
    this.onLockCallback = callback;
  }

  async canUnlock(): Promise<boolean> {
    return !(await this.neverLock()) && !(await this.vault.isEmpty()) && (await this.vault.isLocked());
  }

  async initializeUnlockMode(): Promise<void> {
    if (this.isNative()) {
      if (await Device.isSystemPasscodeSet()) {
        await this.setUnlockMode((await Device.isBiometricsEnabled()) ? 'Device' : 'SystemPIN');
      } else await this.setUnlockMode('SessionPIN');
    }
  }

  async setUnlockMode(unlockMode: UnlockMode): Promise<void> {
    let type: VaultType;
    let deviceSecurityType: DeviceSecurityType;
    switch (unlockMode) {
      case 'Device':
        await this.provision();
        type = VaultType.DeviceSecurity;
        deviceSecurityType = DeviceSecurityType.Both;
        break;
      case 'SystemPIN':
        type = VaultType.DeviceSecurity;
        deviceSecurityType = DeviceSecurityType.SystemPasscode;
        break;
      case 'SessionPIN':
        type = VaultType.CustomPasscode;
        deviceSecurityType = DeviceSecurityType.None;
        break;
      case 'ForceLogin':
        type = VaultType.InMemory;
        deviceSecurityType = DeviceSecurityType.None;
        break;
      default:
        type = VaultType.SecureStorage;
        deviceSecurityType = DeviceSecurityType.None;
    }
    void this.setLastUnlockMode(unlockMode); // not awaited, as in the app
    return this.vault.updateConfig({ ...(this.vault.config as IdentityVaultConfig), type, deviceSecurityType });
  }

  private async onPasscodeRequest(isPasscodeSetRequest: boolean): Promise<void> {
    const { data } = await this.pinDialog.present(isPasscodeSetRequest);
    this.vault.setCustomPasscode(data || '');
  }

  private async provision(): Promise<void> {
    if ((await Device.isBiometricsAllowed()) === BiometricPermissionState.Prompt) {
      try {
        await Device.showBiometricPrompt({ iosBiometricsLocalizedReason: 'Please authenticate to continue' });
      } catch {
        // declined
      }
    }
  }

  private setLastUnlockMode(value: UnlockMode): Promise<void> {
    return this.preferencesVault.setValue('LastUnlockMode', value);
  }

  private async neverLock(): Promise<boolean> {
    return (await this.preferencesVault.getValue('LastUnlockMode')) === 'NeverLock';
  }
}

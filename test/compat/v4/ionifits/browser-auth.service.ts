/**
 * Pattern source: ionic-team/ionifits (Angular) src/app/services/browser-auth.service.ts and
 * browser-auth.plugin.ts at Identity Vault ^4.2.2 (commit c865832; first written for ^3.5.1 in
 * commit 720b726, when `removeValue`/`getKeys` were stubs and the 4.1/4.2 members were not there
 * yet). A browser vault over `@ionic/storage` written in the `Promise.resolve(...)` style: `clear()`
 * wipes the whole storage, `getValue` passes Ionic Storage's `null` for a missing key straight
 * through, and the plugin calls `onReady` before returning the vault. Written anew here; compiled
 * with that app's settings (not strict).
 */
import type { BiometricType, IdentityVault, IonicNativeAuthPlugin, PluginConfiguration, PluginOptions, SupportedBiometricType } from 'identity-vault';
import { AuthMode } from 'identity-vault';
import type { IonicStorageStandIn } from '../harness.js';

export class BrowserAuthService implements IdentityVault {
  constructor(private storage: IonicStorageStandIn) {}

  config = {
    authMode: AuthMode.SecureStorage,
    descriptor: { username: '', vaultId: '' },
    isBiometricsEnabled: false,
    isPasscodeEnabled: false,
    isPasscodeSetupNeeded: false,
    isSecureStorageModeEnabled: true,
    hideScreenOnBackground: false,
    lockAfter: 50000,
  };

  isLockedOutOfBiometrics(): Promise<boolean> {
    return Promise.resolve(false);
  }
  getAvailableHardware(): Promise<SupportedBiometricType[]> {
    return Promise.resolve([]);
  }
  unsubscribe(): Promise<void> {
    return Promise.resolve();
  }
  clear(): Promise<void> {
    return this.storage.clear();
  }
  lock(): Promise<void> {
    return Promise.resolve();
  }
  isLocked(): Promise<boolean> {
    return Promise.resolve(false);
  }
  async isInUse(): Promise<boolean> {
    return !!(await this.storage.get('session'));
  }
  getConfig(): Promise<PluginConfiguration> {
    return Promise.resolve(this.config);
  }
  remainingAttempts(): Promise<number> {
    return Promise.resolve(5);
  }
  getUsername(): Promise<string> {
    return Promise.resolve('browser');
  }
  storeToken(token: any): Promise<void> {
    return this.storeValue('token', token);
  }
  getToken(): Promise<any> {
    return this.getValue('token');
  }
  async storeValue(key: string, value: any): Promise<void> {
    await this.storage.set(key, value);
  }
  async getValue(key: string): Promise<any> {
    return this.storage.get(key);
  }
  getBiometricType(): Promise<BiometricType> {
    const none: BiometricType = 'none';
    return Promise.resolve(none);
  }
  setBiometricsEnabled(isBiometricsEnabled: boolean): Promise<void> {
    return Promise.resolve();
  }
  isBiometricsEnabled(): Promise<boolean> {
    return Promise.resolve(false);
  }
  isBiometricsAvailable(): Promise<boolean> {
    return Promise.resolve(false);
  }
  isBiometricsSupported(): Promise<boolean> {
    return Promise.resolve(false);
  }
  isPasscodeSetupNeeded(): Promise<boolean> {
    return Promise.resolve(false);
  }
  setPasscode(passcode?: string): Promise<void> {
    return Promise.resolve();
  }
  isPasscodeEnabled(): Promise<boolean> {
    return Promise.resolve(false);
  }
  isSecureStorageModeEnabled(): Promise<boolean> {
    return Promise.resolve(true);
  }
  setPasscodeEnabled(isPasscodeEnabled: boolean): Promise<void> {
    return Promise.resolve();
  }
  setSecureStorageModeEnabled(enabled: boolean): Promise<void> {
    return Promise.resolve();
  }
  unlock(usingPasscode?: boolean, passcode?: string): Promise<void> {
    return Promise.resolve();
  }
  async removeValue(key: string): Promise<void> {
    await this.storage.remove(key);
  }
  getKeys(): Promise<string[]> {
    return this.storage.keys();
  }
}

export class BrowserAuthPlugin implements IonicNativeAuthPlugin {
  constructor(private browserAuthService: BrowserAuthService) {}

  getVault(config: PluginOptions): IdentityVault {
    config.onReady(this.browserAuthService);
    return this.browserAuthService;
  }
}

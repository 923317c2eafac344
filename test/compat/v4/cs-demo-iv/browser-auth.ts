/**
 * Pattern source: ionic-team/cs-demo-iv (Angular, Identity Vault ~4.2.6, commit 1b5e361)
 * src/app/services/browser-auth/browser-auth.plugin.ts and browser-auth.service.ts — a browser
 * fallback that implements `IonicNativeAuthPlugin` and `IdentityVault` over `@ionic/storage`: the
 * plugin hands its one vault to `onReady` at once; the vault never locks, keeps the session under
 * `session`, and answers `null` for a missing key (Ionic Storage's behaviour). Written anew here;
 * compiled with that app's settings (Angular 10: not strict).
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

  async unsubscribe(): Promise<void> {}
  async clear(): Promise<void> {
    await this.storage.remove('session');
  }
  async lock(): Promise<void> {}
  async isLocked(): Promise<boolean> {
    return false;
  }
  async isInUse(): Promise<boolean> {
    return !!(await this.storage.get('session'));
  }
  async getConfig(): Promise<PluginConfiguration> {
    return this.config;
  }
  async remainingAttempts(): Promise<number> {
    return 5;
  }
  async getUsername(): Promise<string> {
    return 'browser-user';
  }
  async storeToken(token: any): Promise<void> {
    await this.storage.set('token', token);
  }
  async getToken(): Promise<any> {
    return this.storage.get('token');
  }
  async storeValue(key: string, value: any): Promise<void> {
    await this.storage.set(key, value);
  }
  getValue(key: string): Promise<any> {
    return this.storage.get(key);
  }
  async removeValue(key: string): Promise<void> {
    await this.storage.remove(key);
  }
  getKeys(): Promise<Array<string>> {
    return this.storage.keys();
  }
  async getBiometricType(): Promise<BiometricType> {
    return 'none';
  }
  async getAvailableHardware(): Promise<Array<SupportedBiometricType>> {
    return [];
  }
  async setBiometricsEnabled(isBiometricsEnabled: boolean): Promise<void> {}
  async isBiometricsEnabled(): Promise<boolean> {
    return false;
  }
  async isBiometricsAvailable(): Promise<boolean> {
    return false;
  }
  async isBiometricsSupported(): Promise<boolean> {
    return false;
  }
  async isLockedOutOfBiometrics(): Promise<boolean> {
    return false;
  }
  async isPasscodeSetupNeeded(): Promise<boolean> {
    return false;
  }
  async setPasscode(passcode?: string): Promise<void> {}
  async isPasscodeEnabled(): Promise<boolean> {
    return false;
  }
  async isSecureStorageModeEnabled(): Promise<boolean> {
    return true;
  }
  async setPasscodeEnabled(isPasscodeEnabled: boolean): Promise<void> {}
  async setSecureStorageModeEnabled(enabled: boolean): Promise<void> {}
  async unlock(usingPasscode?: boolean, passcode?: string): Promise<void> {}
}

export class BrowserAuthPlugin implements IonicNativeAuthPlugin {
  constructor(private browserAuthService: BrowserAuthService) {}

  getVault(config: PluginOptions): IdentityVault {
    config.onReady(this.browserAuthService);
    return this.browserAuthService;
  }
}

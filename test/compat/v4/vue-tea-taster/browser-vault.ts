/**
 * Pattern source: ionic-team/tea-taster-vue (Vue 3, Identity Vault ~4.2.7, commit ef0c4b8)
 * src/services/BrowserVaultService.ts and src/services/BrowserVaultPlugin.ts: a module-level
 * `browserVaultService` implementing `IdentityVault` over Capacitor Storage, whose `getValue`
 * answers `value && JSON.parse(value)` (so `null` for a missing key), and a plugin that calls
 * `onReady` through an `as any` cast. Written anew here; compiled strict, as that app was.
 */
import {
  AuthMode,
  type BiometricType,
  type IdentityVault,
  type IonicNativeAuthPlugin,
  type PluginConfiguration,
  type PluginOptions,
  type SupportedBiometricType,
} from 'identity-vault';
import { Plugins } from './ionic-vue.js';

export class BrowserVaultService implements IdentityVault {
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
    await Plugins.Storage.clear();
  }
  async lock(): Promise<void> {}
  async isLocked(): Promise<boolean> {
    return false;
  }
  async isInUse(): Promise<boolean> {
    return !!(await Plugins.Storage.get({ key: 'session' })).value;
  }
  async getConfig(): Promise<PluginConfiguration> {
    return this.config;
  }
  async remainingAttempts(): Promise<number> {
    return 5;
  }
  async getUsername(): Promise<string> {
    return 'browser';
  }
  async storeToken(token: any): Promise<void> {
    await this.storeValue('token', token);
  }
  async getToken(): Promise<any> {
    return this.getValue('token');
  }
  async storeValue(key: string, value: any): Promise<void> {
    await Plugins.Storage.set({ key, value: JSON.stringify(value) });
  }
  async getValue(key: string): Promise<any> {
    const { value } = await Plugins.Storage.get({ key });
    return value && JSON.parse(value);
  }
  async removeValue(key: string): Promise<void> {
    await Plugins.Storage.remove({ key });
  }
  async getKeys(): Promise<Array<string>> {
    return (await Plugins.Storage.keys()).keys;
  }
  async getBiometricType(): Promise<BiometricType> {
    return 'none';
  }
  async getAvailableHardware(): Promise<Array<SupportedBiometricType>> {
    return [];
  }
  async setBiometricsEnabled(_isBiometricsEnabled: boolean): Promise<void> {}
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
  async setPasscode(_passcode?: string): Promise<void> {}
  async isPasscodeEnabled(): Promise<boolean> {
    return false;
  }
  async isSecureStorageModeEnabled(): Promise<boolean> {
    return true;
  }
  async setPasscodeEnabled(_isPasscodeEnabled: boolean): Promise<void> {}
  async setSecureStorageModeEnabled(_enabled: boolean): Promise<void> {}
  async unlock(_usingPasscode?: boolean, _passcode?: string): Promise<void> {}
}

export const browserVaultService = new BrowserVaultService();

export class BrowserVaultPlugin implements IonicNativeAuthPlugin {
  getVault(config: PluginOptions): IdentityVault {
    (config as any).onReady(browserVaultService);
    return browserVaultService;
  }
}

export const browserVaultPlugin = new BrowserVaultPlugin();

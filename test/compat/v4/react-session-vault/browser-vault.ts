/**
 * Pattern source: eric-horodyski/cs-demo-ac-react-cap2 (React, Identity Vault ~4.2.7, commit
 * 8601367) src/vault/BrowserVault.ts and src/vault/BrowserVaultPlugin.ts — singletons
 * (`getInstance()`) implementing `IdentityVault` and `IonicNativeAuthPlugin` over Capacitor's
 * `Storage`. Values are JSON text; `getValue` parses whatever `Storage.get` gives, so a missing key
 * (`{ value: null }`) comes back as `null`. `onReady` is called through a non-null assertion, as
 * the strict React app had to. Written anew here; compiled strict, as that app was.
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
import { Plugins } from './ionic-react.js';

export class BrowserVault implements IdentityVault {
  private static instance: BrowserVault | undefined = undefined;

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

  private constructor() {}

  public static getInstance(): BrowserVault {
    if (!BrowserVault.instance) BrowserVault.instance = new BrowserVault();
    return BrowserVault.instance;
  }

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
    return JSON.parse(value!);
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

export class BrowserVaultPlugin implements IonicNativeAuthPlugin {
  private static instance: BrowserVaultPlugin | undefined = undefined;

  private constructor() {}

  public static getInstance(): BrowserVaultPlugin {
    if (!BrowserVaultPlugin.instance) BrowserVaultPlugin.instance = new BrowserVaultPlugin();
    return BrowserVaultPlugin.instance;
  }

  getVault(config: PluginOptions): IdentityVault {
    config.onReady!(BrowserVault.getInstance());
    return BrowserVault.getInstance();
  }
}

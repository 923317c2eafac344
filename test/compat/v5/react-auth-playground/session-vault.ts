/**
 * Pattern of ionic-enterprise/tutorials-and-demos-react, demos/auth-playground/src/utils/session-storage/session-vault.ts
 * (a React app's session vault module), reproduced in our own code:
 * - `initialize` in a try/catch that clears the vault and falls back to 'NeverLock' on failure;
 * - 5.x passcode hand-over: `onPasscodeRequested(async (isPasscodeSetRequest) => vault.setCustomPasscode(await ask(…)))`;
 * - unlock modes set by copying `vault.config` and changing `type` / `deviceSecurityType`;
 * - `initializeUnlockMode` choosing from `Device.isSystemPasscodeSet()` and `Device.isBiometricsEnabled()`;
 * - thin wrappers over `getKeys`, `getValue`, `setValue`, `clear`, `lock`, `unlock`.
 */
import { BiometricPermissionState, Device, DeviceSecurityType, VaultType, type IdentityVaultConfig } from 'identity-vault';
import { Preferences, platform } from '../shell/app-shell.js';
import { createVault } from './vault-factory.js';

interface InitializeOptions {
  onPasscodeRequested: (isPasscodeSetRequest: boolean) => Promise<string>;
  onLock: () => void;
}

export type UnlockMode = 'Device' | 'SystemPIN' | 'SessionPIN' | 'NeverLock' | 'ForceLogin';

export const preferences = new Preferences();
const modeKey = 'LastUnlockMode';
const vault = createVault();

export const initializeVault = async ({ onPasscodeRequested, onLock }: InitializeOptions): Promise<void> => {
  try {
    await vault.initialize({
      key: 'io.ionic.auth-playground-react',
      type: VaultType.SecureStorage,
      deviceSecurityType: DeviceSecurityType.None,
      lockAfterBackgrounded: 5000,
      shouldClearVaultAfterTooManyFailedAttempts: true,
      customPasscodeInvalidUnlockAttempts: 2,
      unlockVaultOnLoad: false,
    });
  } catch {
    await vault.clear();
    await setUnlockMode('NeverLock');
  }
  vault.onPasscodeRequested(async (isPasscodeSetRequest) => {
    const passcode = await onPasscodeRequested(isPasscodeSetRequest);
    vault.setCustomPasscode(passcode);
  });
  vault.onLock(() => onLock());
};

const provision = async (): Promise<void> => {
  if ((await Device.isBiometricsAllowed()) === BiometricPermissionState.Prompt) {
    try {
      await Device.showBiometricPrompt({ iosBiometricsLocalizedReason: 'Please authenticate to continue' });
    } catch {
      // declined: keep going
    }
  }
};

export const setUnlockMode = async (unlockMode: UnlockMode): Promise<void> => {
  const newConfig: IdentityVaultConfig = { ...(vault.config as IdentityVaultConfig) };
  switch (unlockMode) {
    case 'Device':
      await provision();
      newConfig.type = VaultType.DeviceSecurity;
      newConfig.deviceSecurityType = DeviceSecurityType.Both;
      break;
    case 'SystemPIN':
      newConfig.type = VaultType.DeviceSecurity;
      newConfig.deviceSecurityType = DeviceSecurityType.SystemPasscode;
      break;
    case 'SessionPIN':
      newConfig.type = VaultType.CustomPasscode;
      newConfig.deviceSecurityType = DeviceSecurityType.None;
      break;
    case 'ForceLogin':
      newConfig.type = VaultType.InMemory;
      newConfig.deviceSecurityType = DeviceSecurityType.None;
      break;
    default:
      newConfig.type = VaultType.SecureStorage;
      newConfig.deviceSecurityType = DeviceSecurityType.None;
  }
  await vault.updateConfig(newConfig);
  await preferences.set({ key: modeKey, value: unlockMode });
};

export const initializeUnlockMode = async (): Promise<void> => {
  if (platform.hybrid) {
    if (await Device.isSystemPasscodeSet()) {
      await setUnlockMode((await Device.isBiometricsEnabled()) ? 'Device' : 'SystemPIN');
    } else await setUnlockMode('SessionPIN');
  } else await setUnlockMode('NeverLock');
};

export const canUnlock = async (): Promise<boolean> => {
  const { value } = await preferences.get({ key: modeKey });
  return value !== 'NeverLock' && !(await vault.isEmpty()) && (await vault.isLocked());
};

export const getConfig = (): IdentityVaultConfig => vault.config as IdentityVaultConfig;
export const getKeys = (): Promise<string[]> => vault.getKeys();
export const getValue = <T>(key: string): Promise<T | null | undefined> => vault.getValue(key);
export const setValue = <T>(key: string, value: T): Promise<void> => vault.setValue(key, value);
export const clear = (): Promise<void> => vault.clear();
export const lock = (): Promise<void> => vault.lock();
export const unlock = (): Promise<void> => vault.unlock();

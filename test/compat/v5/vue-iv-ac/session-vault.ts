/**
 * Pattern of ionic-enterprise/tutorials-and-demos-vue, demos/iv-ac/src/composables/session-vault.ts
 * (a Vue composable around one module-level vault), reproduced in our own code:
 * - `initialize` with a full config, then `onLock` routes to /unlock and drops the cached session;
 * - 5.x custom passcode: `onPasscodeRequested(async (isPasscodeSetRequest) => …)` presents a PIN
 *   dialog and answers with `vault.setCustomPasscode(data || '')` (a dismissed dialog cancels);
 * - `Device.isBiometricsAllowed` / `showBiometricPrompt` to provision Face ID before switching to
 *   biometrics, `Device.isBiometricsEnabled` / `isSystemPasscodeSet` for what the device can do,
 *   `Device.setHideScreenOnBackground(value, true)`;
 * - unlock modes switched with `updateConfig({ ...vault.config, type, deviceSecurityType })`.
 */
import { BiometricPermissionState, Device, DeviceSecurityType, VaultType } from 'identity-vault';
import { PinDialog, Preferences, Router, platform } from '../shell/app-shell.js';
import { useVaultFactory } from './vault-factory.js';

export type UnlockMode = 'Biometrics' | 'BiometricsWithPasscode' | 'SystemPasscode' | 'CustomPasscode' | 'SecureStorage';

export interface Session {
  accessToken: string;
  refreshToken: string;
}

export const preferences = new Preferences();
export const router = new Router();
export const pinDialog = new PinDialog();

const sessionKey = 'session';
const modeKey = 'LastUnlockMode';
let session: Session | null | undefined;

const { createVault } = useVaultFactory();
const vault = createVault();

const initializeVault = async (): Promise<void> => {
  await vault.initialize({
    key: 'io.ionic.teatastervue',
    type: VaultType.SecureStorage,
    deviceSecurityType: DeviceSecurityType.None,
    lockAfterBackgrounded: 5000,
    shouldClearVaultAfterTooManyFailedAttempts: true,
    customPasscodeInvalidUnlockAttempts: 2,
    unlockVaultOnLoad: false,
  });
  vault.onLock(() => {
    session = undefined;
    router.replace('/unlock');
  });
  vault.onPasscodeRequested(async (isPasscodeSetRequest: boolean) => {
    const { data } = await pinDialog.present(isPasscodeSetRequest);
    vault.setCustomPasscode(data || '');
  });
};

const canUnlock = async (): Promise<boolean> => {
  const { value } = await preferences.get({ key: modeKey });
  return (value || 'SecureStorage') !== 'SecureStorage' && !(await vault.isEmpty()) && (await vault.isLocked());
};

const canUseBiometrics = async (): Promise<boolean> => platform.hybrid && (await Device.isBiometricsEnabled());
const canUseSystemPasscode = async (): Promise<boolean> => platform.hybrid && (await Device.isSystemPasscodeSet());

const getSession = async (): Promise<Session | null | undefined> => {
  if (!session) session = await vault.getValue<Session>(sessionKey);
  return session;
};

const setSession = async (s: Session): Promise<void> => {
  session = s;
  return vault.setValue(sessionKey, s);
};

const hideContentsInBackground = async (value: boolean): Promise<void> => {
  await Device.setHideScreenOnBackground(value, true);
  return preferences.set({ key: 'hide-in-background', value: JSON.stringify(value) });
};

const provision = async (): Promise<void> => {
  if ((await Device.isBiometricsAllowed()) === BiometricPermissionState.Prompt) {
    try {
      await Device.showBiometricPrompt({ iosBiometricsLocalizedReason: 'Please authenticate to continue' });
    } catch {
      // the user may decline; the mode is set anyway
    }
  }
};

const setUnlockMode = async (unlockMode: UnlockMode): Promise<void> => {
  let type: VaultType;
  let deviceSecurityType: DeviceSecurityType;
  switch (unlockMode) {
    case 'Biometrics':
      await provision();
      type = VaultType.DeviceSecurity;
      deviceSecurityType = DeviceSecurityType.Biometrics;
      break;
    case 'BiometricsWithPasscode':
      await provision();
      type = VaultType.DeviceSecurity;
      deviceSecurityType = DeviceSecurityType.Both;
      break;
    case 'SystemPasscode':
      type = VaultType.DeviceSecurity;
      deviceSecurityType = DeviceSecurityType.SystemPasscode;
      break;
    case 'CustomPasscode':
      type = VaultType.CustomPasscode;
      deviceSecurityType = DeviceSecurityType.None;
      break;
    default:
      type = VaultType.SecureStorage;
      deviceSecurityType = DeviceSecurityType.None;
  }
  await vault.updateConfig({ ...vault.config, type, deviceSecurityType });
  await preferences.set({ key: modeKey, value: unlockMode });
};

const clearSession = async (): Promise<void> => {
  session = undefined;
  await vault.clear();
  await setUnlockMode('SecureStorage');
};

const unlock = (): Promise<void> => vault.unlock();
const lock = (): Promise<void> => vault.lock();

export const useSessionVault = () => ({
  canUnlock,
  canUseBiometrics,
  canUseSystemPasscode,
  clearSession,
  getSession,
  hideContentsInBackground,
  initializeVault,
  lock,
  setSession,
  setUnlockMode,
  unlock,
});

/**
 * The page's session vault, written the way Identity Vault 5.x/6.x apps write theirs (see
 * test/compat/v5): one module-level vault from the usual factory, `initialize` with a config,
 * unlock modes through `updateConfig`, and the custom passcode asked by the app's own PIN form
 * through `onPasscodeRequested(isPasscodeSetRequest, onComplete)`.
 */
import { BrowserVault, Device, DeviceSecurityType, Vault, VaultType, type OnCompleteFunction } from './library.js';

export interface Session {
  readonly token: string;
  readonly username: string;
}

export type UnlockMode = 'CustomPasscode' | 'Biometrics' | 'SecureStorage';

const SESSION = 'session';
const isNativePlatform = false; // a Capacitor app: Capacitor.isNativePlatform()
const vault: Vault | BrowserVault = isNativePlatform ? new Vault() : new BrowserVault();

/** Wires the vault to the page: where to ask for the PIN, what to do when it locks. */
export async function initializeVault(ui: { askPasscode(isPasscodeSetRequest: boolean, onComplete: OnCompleteFunction): void; onLock(): void }): Promise<void> {
  await vault.initialize({
    key: 'io.identity-vault.demo-v5',
    type: VaultType.SecureStorage,
    deviceSecurityType: DeviceSecurityType.None,
    lockAfterBackgrounded: 5000,
    shouldClearVaultAfterTooManyFailedAttempts: true,
    customPasscodeInvalidUnlockAttempts: 5,
    unlockVaultOnLoad: false,
  });
  vault.onPasscodeRequested((isPasscodeSetRequest, onComplete) => ui.askPasscode(isPasscodeSetRequest, onComplete));
  vault.onLock(() => ui.onLock());
}

export const canUseBiometrics = (): Promise<boolean> => Device.isBiometricsEnabled();

export async function setUnlockMode(mode: UnlockMode): Promise<void> {
  const type = mode === 'Biometrics' ? VaultType.DeviceSecurity : mode === 'CustomPasscode' ? VaultType.CustomPasscode : VaultType.SecureStorage;
  const deviceSecurityType = mode === 'Biometrics' ? DeviceSecurityType.Biometrics : DeviceSecurityType.None;
  await vault.updateConfig({ ...vault.config, type, deviceSecurityType });
}

export const unlockMode = (): UnlockMode =>
  vault.config.type === VaultType.DeviceSecurity ? 'Biometrics' : vault.config.type === VaultType.CustomPasscode ? 'CustomPasscode' : 'SecureStorage';

export const storeSession = (session: Session): Promise<void> => vault.setValue(SESSION, session);
export const getSession = (): Promise<Session | null> => vault.getValue<Session>(SESSION);
export const hasSession = async (): Promise<boolean> => !(await vault.isEmpty());
export const isLocked = (): Promise<boolean> => vault.isLocked();
export const lock = (): Promise<void> => vault.lock();
export const unlock = (): Promise<void> => vault.unlock();

/** Log out: the vault is removed (and a new login starts from SecureStorage). */
export async function clearSession(): Promise<void> {
  await vault.clear();
  await vault.updateConfig({ ...vault.config, type: VaultType.SecureStorage, deviceSecurityType: DeviceSecurityType.None });
}

/**
 * The React auth-playground patterns (session-vault.ts, device-info.ts, custom-passcode-6x.ts)
 * run unchanged on identity-vault's built package and a SimulatedDevice.
 */
import { BrowserVault, DeviceSecurityType, setDefaultPlugin, VaultErrorCodes, VaultType } from 'identity-vault';
import { SimulatedDevice } from 'identity-vault/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { platform } from '../shell/app-shell.js';
import { canShowPrompt, loadDeviceInfo, showBiometricPrompt } from './device-info.js';
import { PinModal, wirePasscodeModal } from './custom-passcode-6x.js';

type SessionVault = typeof import('./session-vault.js');
let launches = 0;

/** A cold start of the app's session-vault module on `device`; `pins` answers its PIN prompts. */
async function launch(device: SimulatedDevice, pins: string[] = []): Promise<{ app: SessionVault; asked: boolean[]; locks: number[] }> {
  setDefaultPlugin(() => device.plugin);
  const app = (await import(/* @vite-ignore */ `./session-vault.js?launch=${++launches}`)) as SessionVault;
  const asked: boolean[] = [];
  const locks: number[] = [];
  await app.initializeVault({
    onPasscodeRequested: async (isPasscodeSetRequest) => {
      asked.push(isPasscodeSetRequest);
      return pins.shift() ?? '';
    },
    onLock: () => locks.push(Date.now()),
  });
  return { app, asked, locks };
}

afterEach(() => {
  setDefaultPlugin(undefined);
  platform.hybrid = false;
});

describe('React auth-playground session vault', () => {
  it('on the web it starts in NeverLock (SecureStorage) and stores through the BrowserVault', async () => {
    const device = new SimulatedDevice();
    const { app } = await launch(device);
    await app.initializeUnlockMode();
    expect(app.getConfig()).toMatchObject({ type: VaultType.SecureStorage, deviceSecurityType: DeviceSecurityType.None });
    await app.setValue('AuthResponse', { accessToken: 'tok-CANARY' });
    expect(await app.getKeys()).toEqual(['AuthResponse']);
    expect(await app.getValue('AuthResponse')).toEqual({ accessToken: 'tok-CANARY' });
    expect(await app.canUnlock()).toBe(false);
    expect(device.storage.dumpText()).not.toContain('tok-CANARY');
  });

  it('on a device with a screen lock and biometrics it picks Device (DeviceSecurity + Both)', async () => {
    platform.hybrid = true;
    const device = new SimulatedDevice({ biometricType: 'faceID' });
    const { app, locks } = await launch(device);
    await app.initializeUnlockMode();
    expect(app.getConfig()).toMatchObject({ type: VaultType.DeviceSecurity, deviceSecurityType: DeviceSecurityType.Both });
    await app.setValue('IdToken', 'id');
    await app.lock();
    expect(locks).toHaveLength(1);
    expect(await app.canUnlock()).toBe(true);
    await app.unlock();
    expect(device.biometrics.prompts).toBe(1);
  });

  it('SessionPIN: asks for a new PIN, then the PIN on unlock; a wrong PIN twice wipes the vault', async () => {
    const device = new SimulatedDevice({ biometricType: 'none' });
    const { app, asked } = await launch(device, ['1357']);
    await app.setValue('RefreshToken', 'r');
    await app.setUnlockMode('SessionPIN');
    expect(asked).toEqual([true]);
    await app.lock();
    const second = await launch(device, ['0000', '0000']);
    await expect(second.app.unlock()).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed });
    await expect(second.app.unlock()).rejects.toMatchObject({ code: VaultErrorCodes.TooManyFailedAttempts });
    expect(await second.app.getValue('RefreshToken')).toBeNull();
  });

  it('a failed initialize is handled the app’s way: clear, then NeverLock', async () => {
    const device = new SimulatedDevice();
    // A config record tampered with in storage makes initialize fail with VaultUnavailable.
    const first = await launch(device);
    await first.app.setValue('k', 'v');
    for (const key of await device.storage.keys('iv1/iv5%2Fio.ionic.auth-playground-react/config/v/')) {
      await device.storage.commit({ put: [[key, { v: 1, iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAA' }]] });
    }
    device.restart();
    const { app } = await launch(device);
    expect(app.getConfig().type).toBe(VaultType.SecureStorage);
    expect(await app.getValue('k')).toBeNull();
  });
});

describe('React auth-playground device info page', () => {
  it('shows what the simulated device has and runs the prompt', async () => {
    const device = new SimulatedDevice({ biometricType: 'touchID' });
    setDefaultPlugin(() => device.plugin);
    const info = await loadDeviceInfo();
    expect(info).toEqual({
      hasSecureHardware: true,
      biometricsSupported: true,
      biometricsEnabled: true,
      biometricsAllowed: 'granted',
      biometricStrength: 'strong',
      systemPasscode: true,
      lockedOut: false,
      availableHardware: ['fingerprint'],
    });
    expect(canShowPrompt(info, true)).toBe(true);
    expect(await showBiometricPrompt()).toBe('Success!!');
    device.biometrics.respondWith('cancel');
    expect(await showBiometricPrompt()).toBe('Failed. User likely cancelled the operation.');
  });
});

describe('Identity Vault 6.0 custom passcode with onComplete', () => {
  it('the modal sets the passcode, cancel rejects, the right passcode unlocks', async () => {
    const device = new SimulatedDevice();
    setDefaultPlugin(() => device.plugin);
    const vault = new BrowserVault({ key: 'io.ionic.passcode-6x', type: VaultType.CustomPasscode, deviceSecurityType: DeviceSecurityType.None });
    const modal = new PinModal();
    wirePasscodeModal(vault, modal);

    const storing = vault.setValue('session', 's');
    await vi.waitFor(() => expect(modal.isOpen).toBe(true));
    expect(modal.setPasscodeMode).toBe(true);
    modal.dismiss({ data: '2580', role: 'confirm' });
    await storing;

    await vault.lock();
    const reading = vault.getValue('session');
    await vi.waitFor(() => expect(modal.isOpen).toBe(true));
    expect(modal.setPasscodeMode).toBe(false);
    modal.dismiss({ role: 'cancel' });
    await expect(reading).rejects.toMatchObject({ code: VaultErrorCodes.UserCanceledInteraction });

    const again = vault.getValue('session');
    await vi.waitFor(() => expect(modal.isOpen).toBe(true));
    modal.dismiss({ data: '2580', role: 'confirm' });
    expect(await again).toBe('s');
  });
});

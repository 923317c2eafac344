/**
 * The Angular auth-playground's SessionVaultService (see session-vault.service.ts) on the built
 * package and a SimulatedDevice, plus spies on `Device` statics in the manner of the app's
 * Jasmine spec (demos/auth-playground/src/app/core/session-vault/session-vault.service.spec.ts:
 * `spyOn(Device, 'isSystemPasscodeSet').and.returnValue(Promise.resolve(true))`), here with
 * `vi.spyOn`, which needs the same thing: writable statics.
 */
import { Device, DeviceSecurityType, setDefaultPlugin, VaultType, BiometricPermissionState } from 'identity-vault';
import { SimulatedDevice } from 'identity-vault/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PinDialog } from '../shell/app-shell.js';
import { SessionVaultService, VaultFactoryService } from './session-vault.service.js';

let device: SimulatedDevice;
let pins: PinDialog;
let native = false;
const service = () => new SessionVaultService(new VaultFactoryService(), pins, () => native);

beforeEach(() => {
  device = new SimulatedDevice({ biometricType: 'faceID' });
  setDefaultPlugin(() => device.plugin);
  pins = new PinDialog();
  native = false;
});

afterEach(() => {
  vi.restoreAllMocks();
  setDefaultPlugin(undefined);
});

describe('Angular SessionVaultService', () => {
  it('concurrent initialize() calls share one set-up; fire-and-forget writes land in order', async () => {
    const s = service();
    await Promise.all([s.initialize(), s.initialize()]);
    await s.setValue('AuthResponse', { token: 't' });
    await s.setUnlockMode('ForceLogin');
    await s.setUnlockMode('NeverLock'); // both preference writes fired without await
    expect(await s.canUnlock()).toBe(false);
    expect(s.getConfig()).toMatchObject({ type: VaultType.SecureStorage });
  });

  it('SessionPIN through the PIN modal; the lock and unlock events reach the app', async () => {
    const s = service();
    await s.initialize();
    let locked = 0;
    s.onLock(() => locked++);
    await s.setValue('AuthResponse', { token: 't' });
    pins.answer('4321');
    await s.setUnlockMode('SessionPIN');
    await s.lock();
    expect(locked).toBe(1);
    expect(await s.canUnlock()).toBe(true);
    pins.answer('4321');
    expect(await s.getValue<{ token: string }>('AuthResponse')).toEqual({ token: 't' });
    expect(pins.shown).toEqual([true, false]);
    expect(s.lockedEvents).toEqual([true, false]);
  });

  it('initializeUnlockMode with spied Device statics picks each mode', async () => {
    native = true;
    const s = service();
    await s.initialize();
    vi.spyOn(Device, 'isSystemPasscodeSet').mockResolvedValue(true);
    vi.spyOn(Device, 'isBiometricsEnabled').mockResolvedValue(true);
    const allowed = vi.spyOn(Device, 'isBiometricsAllowed').mockResolvedValue(BiometricPermissionState.Prompt);
    const prompt = vi.spyOn(Device, 'showBiometricPrompt').mockResolvedValue();
    await s.initializeUnlockMode();
    expect(prompt).toHaveBeenCalledWith({ iosBiometricsLocalizedReason: 'Please authenticate to continue' });
    expect(s.getConfig()).toMatchObject({ type: VaultType.DeviceSecurity, deviceSecurityType: DeviceSecurityType.Both });

    allowed.mockResolvedValue(BiometricPermissionState.Denied);
    vi.spyOn(Device, 'isBiometricsEnabled').mockResolvedValue(false);
    await s.initializeUnlockMode();
    expect(s.getConfig()).toMatchObject({ type: VaultType.DeviceSecurity, deviceSecurityType: DeviceSecurityType.SystemPasscode });
    expect(prompt).toHaveBeenCalledTimes(1);
  });

  it('without spies, Device answers from the simulated device', async () => {
    native = true;
    const s = service();
    await s.initialize();
    await s.setValue('k', 1);
    await s.initializeUnlockMode(); // Face ID device: a screen lock and biometrics → Device
    expect(s.getConfig()).toMatchObject({ type: VaultType.DeviceSecurity, deviceSecurityType: DeviceSecurityType.Both });
    await s.lock();
    device.biometrics.respondWith('success');
    expect(await s.getValue('k')).toBe(1);
    expect(device.biometrics.prompts).toBe(1);
  });
});

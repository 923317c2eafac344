/**
 * `Device` (answered by the simulated platform, statics writable as specs need) and
 * `VaultMigrator` (moves a 3.x/4.x vault of this package into a 5.x vault).
 */
import { describe, expect, it, vi } from 'vitest';
import {
  AuthMode,
  BiometricPermissionState,
  BiometricSecurityStrength,
  Device,
  DeviceError,
  DeviceErrorCodes,
  IonicIdentityVaultUser,
  SupportedBiometricType,
  Vault,
  VaultErrorCodes,
  VaultMigrator,
  type DefaultSession,
} from 'identity-vault';
import { configFor, settle, useSimulatedDevice } from './helpers.js';

describe('Device', () => {
  it('answers from the platform: a Face ID device', async () => {
    useSimulatedDevice({ biometricType: 'faceID' });
    expect(await Device.getAvailableHardware()).toEqual([SupportedBiometricType.Face]);
    expect(await Device.isBiometricsSupported()).toBe(true);
    expect(await Device.isBiometricsEnabled()).toBe(true);
    expect(await Device.isBiometricsAllowed()).toBe(BiometricPermissionState.Granted);
    expect(await Device.hasSecureHardware()).toBe(true);
    expect(await Device.isSystemPasscodeSet()).toBe(true);
    expect(await Device.getBiometricStrengthLevel()).toBe(BiometricSecurityStrength.Strong);
    expect(await Device.isLockedOutOfBiometrics()).toBe(false);
  });

  it('answers from the platform: a device without biometrics', async () => {
    useSimulatedDevice({ biometricType: 'none' });
    expect(await Device.getAvailableHardware()).toEqual([]);
    expect(await Device.isBiometricsEnabled()).toBe(false);
    expect(await Device.getBiometricStrengthLevel()).toBe(BiometricSecurityStrength.Weak);
    await expect(Device.showBiometricPrompt({ iosBiometricsLocalizedReason: 'x' })).rejects.toMatchObject({ code: DeviceErrorCodes.BiometricsNotEnabled });
  });

  it('showBiometricPrompt asks the platform: success resolves, cancel and failure are DeviceErrors with 6.0 numbers', async () => {
    const device = useSimulatedDevice({ biometricType: 'touchID' });
    expect(await Device.getAvailableHardware()).toEqual([SupportedBiometricType.Fingerprint]);
    await Device.showBiometricPrompt({ iosBiometricsLocalizedReason: 'Please authenticate' });
    expect(device.biometrics.prompts).toBe(1);
    device.biometrics.respondWith('cancel');
    const cancelled = await Device.showBiometricPrompt().catch((e: unknown) => e);
    expect(cancelled).toBeInstanceOf(DeviceError);
    expect(cancelled).toMatchObject({ code: DeviceErrorCodes.UserCanceledInteraction });
    expect(DeviceErrorCodes.UserCanceledInteraction).toBe(2);
    device.biometrics.respondWith('fail');
    await expect(Device.showBiometricPrompt()).rejects.toMatchObject({ code: DeviceErrorCodes.AuthFailed });
    device.biometrics.respondWith('success');
    device.biometrics.reenroll(); // the old key is invalid: a new one is made, then the prompt shows
    await Device.showBiometricPrompt();
    expect(device.biometrics.prompts).toBe(4);
  });

  it('setHideScreenOnBackground covers the app in the background', async () => {
    const device = useSimulatedDevice();
    expect(await Device.isHideScreenOnBackgroundEnabled()).toBe(false);
    await Device.setHideScreenOnBackground(true, true);
    expect(await Device.isHideScreenOnBackgroundEnabled()).toBe(true);
    device.sendToBackground();
    expect(device.isScreenHidden).toBe(true);
    device.bringToForeground();
    await Device.setHideScreenOnBackground(false);
    device.sendToBackground();
    expect(device.isScreenHidden).toBe(false);
    await expect(Device.setHideScreenOnBackground('yes' as unknown as boolean)).rejects.toMatchObject({ code: DeviceErrorCodes.InvalidArguments });
  });

  it('its statics are plain writable functions: specs reassign them and spy on them', async () => {
    useSimulatedDevice();
    const original = Device.isBiometricsEnabled;
    try {
      Device.isBiometricsEnabled = vi.fn().mockResolvedValue(false);
      expect(await Device.isBiometricsEnabled()).toBe(false);
      const spy = vi.spyOn(Device, 'showBiometricPrompt').mockResolvedValue();
      await Device.showBiometricPrompt({ iosBiometricsLocalizedReason: 'r' });
      expect(spy).toHaveBeenCalledWith({ iosBiometricsLocalizedReason: 'r' });
      spy.mockRestore();
    } finally {
      Device.isBiometricsEnabled = original;
    }
    expect(await Device.isBiometricsEnabled()).toBe(true);
  });
});

class LegacyIdentity extends IonicIdentityVaultUser<DefaultSession> {
  passcode = '1234';
  override async onPasscodeRequest(): Promise<string> {
    return this.passcode;
  }
}

describe('VaultMigrator', () => {
  it('on an empty legacy vault fails as Identity Vault does: an Error without code saying "no data in legacy vault"', async () => {
    useSimulatedDevice();
    const migrator = new VaultMigrator({ unlockOnAccess: false, lockAfter: 5000, allowSystemPinFallback: false });
    const error = (await migrator.exportVault().catch((e: unknown) => e)) as Error & { code?: unknown };
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBeUndefined();
    expect(/no data in legacy vault/.test(error.message)).toBe(true);
  });

  it('moves a 4.x passcode vault into a 5.x vault and removes the legacy one', async () => {
    const device = useSimulatedDevice();
    const legacy = new LegacyIdentity({ ready: async () => undefined }, { authMode: AuthMode.PasscodeOnly, unlockOnAccess: true });
    await legacy.saveSession({ username: 'alice', token: 'legacy-token' });
    await (await legacy.getVault()).storeValue('extra', { a: 1 });
    await legacy.lockOut();
    device.restart();

    const asked: boolean[] = [];
    const migrator = new VaultMigrator({ authMode: AuthMode.PasscodeOnly }, async (isPasscodeSetRequest) => {
      asked.push(isPasscodeSetRequest);
      return '1234';
    });
    const data = await migrator.exportVault();
    expect(asked).toEqual([false]);
    expect(data.session).toEqual({ username: 'alice', token: 'legacy-token' });
    expect(data.extra).toEqual({ a: 1 });

    const vault = new Vault(configFor());
    await vault.importVault(data);
    await migrator.clear();
    expect(await vault.getValue('session')).toEqual({ username: 'alice', token: 'legacy-token' });
    const again = await new VaultMigrator().exportVault().catch((e: Error) => e.message);
    expect(again).toMatch(/no data in legacy vault/);
  });

  it('a wrong legacy passcode is AuthFailed and nothing is lost', async () => {
    const device = useSimulatedDevice();
    const legacy = new LegacyIdentity({ ready: async () => undefined }, { authMode: AuthMode.PasscodeOnly });
    await legacy.saveSession({ username: 'bob', token: 't' });
    await legacy.lockOut();
    device.restart();
    await expect(new VaultMigrator({}, async () => '0000').exportVault()).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed });
    await settle();
    expect((await new VaultMigrator({}, async () => '1234').exportVault()).session).toEqual({ username: 'bob', token: 't' });
  });
});

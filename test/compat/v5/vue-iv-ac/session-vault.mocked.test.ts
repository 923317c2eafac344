/**
 * A spec that mocks the vault, in the manner of ionic-enterprise/tutorials-and-demos-vue,
 * demos/iv-ac/src/composables/__tests__/session-vault.spec.ts (our own code): the vault factory
 * is replaced by `__mocks__/vault-factory.ts`, and `Device`'s statics are reassigned with
 * `vi.fn()` — which works because identity-vault's `Device` statics are plain writable functions.
 */
import { BiometricPermissionState, Device, DeviceSecurityType, VaultType } from 'identity-vault';
import { afterAll, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { useVaultFactory } from './vault-factory.js';
import { preferences, router, useSessionVault, type UnlockMode } from './session-vault.js';
import { platform } from '../shell/app-shell.js';

vi.mock('./vault-factory.js');

const originals = {
  isBiometricsAllowed: Device.isBiometricsAllowed,
  isBiometricsEnabled: Device.isBiometricsEnabled,
  showBiometricPrompt: Device.showBiometricPrompt,
  setHideScreenOnBackground: Device.setHideScreenOnBackground,
};
afterAll(() => Object.assign(Device, originals));

describe('useSessionVault with a mocked vault', () => {
  const mockVault = useVaultFactory().createVault();

  beforeEach(async () => {
    vi.clearAllMocks();
    await useSessionVault().initializeVault();
  });

  it('initializes the vault with the app config', () => {
    expect(mockVault.initialize).toHaveBeenCalledWith({
      key: 'io.ionic.teatastervue',
      type: VaultType.SecureStorage,
      deviceSecurityType: DeviceSecurityType.None,
      lockAfterBackgrounded: 5000,
      shouldClearVaultAfterTooManyFailedAttempts: true,
      customPasscodeInvalidUnlockAttempts: 2,
      unlockVaultOnLoad: false,
    });
  });

  it('canUseBiometrics follows Device.isBiometricsEnabled on devices', async () => {
    platform.hybrid = true;
    Device.isBiometricsEnabled = vi.fn().mockResolvedValue(false);
    expect(await useSessionVault().canUseBiometrics()).toBe(false);
    Device.isBiometricsEnabled = vi.fn().mockResolvedValue(true);
    expect(await useSessionVault().canUseBiometrics()).toBe(true);
    platform.hybrid = false;
  });

  it.each([
    [BiometricPermissionState.Prompt, 1],
    [BiometricPermissionState.Granted, 0],
    [BiometricPermissionState.Denied, 0],
  ])('with permission %s, provisioning shows %i prompt(s)', async (state, prompts) => {
    Device.isBiometricsAllowed = vi.fn().mockResolvedValue(state);
    Device.showBiometricPrompt = vi.fn();
    await useSessionVault().setUnlockMode('Biometrics');
    expect(Device.showBiometricPrompt).toHaveBeenCalledTimes(prompts);
  });

  it.each([
    ['BiometricsWithPasscode' as UnlockMode, VaultType.DeviceSecurity, DeviceSecurityType.Both],
    ['SystemPasscode' as UnlockMode, VaultType.DeviceSecurity, DeviceSecurityType.SystemPasscode],
    ['CustomPasscode' as UnlockMode, VaultType.CustomPasscode, DeviceSecurityType.None],
    ['SecureStorage' as UnlockMode, VaultType.SecureStorage, DeviceSecurityType.None],
  ])('setUnlockMode(%s) updates the config to %s / %s', async (mode, type, deviceSecurityType) => {
    Device.isBiometricsAllowed = vi.fn().mockResolvedValue(BiometricPermissionState.Granted);
    await useSessionVault().setUnlockMode(mode);
    expect(mockVault.updateConfig).toHaveBeenCalledWith({ ...mockVault.config, type, deviceSecurityType });
    expect((await preferences.get({ key: 'LastUnlockMode' })).value).toBe(mode);
  });

  it('hides the contents in the background through Device', async () => {
    Device.setHideScreenOnBackground = vi.fn();
    await useSessionVault().hideContentsInBackground(true);
    expect(Device.setHideScreenOnBackground).toHaveBeenCalledWith(true, true);
  });

  it('goes to /unlock when the vault locks', async () => {
    (mockVault.getValue as Mock).mockResolvedValue({ accessToken: 'a', refreshToken: 'r' });
    await mockVault.lock();
    expect(router.visited.at(-1)).toBe('/unlock');
  });

  it('spec assignments to vault.config type-check and stick', () => {
    mockVault.config = { ...mockVault.config, lockAfterBackgrounded: 10 };
    expect(mockVault.config.lockAfterBackgrounded).toBe(10);
  });
});

import { describe, expect, it } from 'vitest';
import { AuthMode, VaultErrorCodes } from 'identity-vault';
import { alice, newDevice, rejectionOf, userOn } from './helpers.js';

describe('onPasscodeRequest(true) when setting a passcode', () => {
  it('a returned string is the passcode: the built-in prompt is not shown', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
    user.passcode = '4321';
    await user.saveSession(alice);
    expect(user.argsOf('onPasscodeRequest')).toEqual([true]);
    expect(device.passcodePrompt.requests).toEqual([]);
    await user.lockOut();
    user.passcode = '4321';
    await user.unlock();
    expect(await user.restoreSession()).toEqual(alice);
  });

  it('undefined uses the built-in prompt, which asks twice', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
    device.passcodePrompt.respondWith('8642');
    await user.saveSession(alice);
    expect(device.passcodePrompt.requests).toEqual(['setup', 'confirm']);
    await user.lockOut();
    user.passcode = '8642';
    await user.unlock();
    expect(await user.restoreSession()).toEqual(alice);
  });

  it('two different entries in the built-in prompt are MismatchedPasscode, and nothing is saved', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
    device.passcodePrompt.queue('1111', '2222');
    const error = await rejectionOf(user.saveSession(alice));
    expect(error.code).toBe(VaultErrorCodes.MismatchedPasscode);
    expect(await user.hasStoredSession()).toBe(false);
    expect(await user.getSession()).toBeUndefined();
    expect((await (await user.getVault()).getConfig()).isPasscodeSetupNeeded).toBe(true);
  });

  it('cancelling the built-in prompt is UserCanceledInteraction', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
    device.passcodePrompt.respondWith(undefined);
    expect((await rejectionOf(user.saveSession(alice))).code).toBe(VaultErrorCodes.UserCanceledInteraction);
  });

  it('an empty passcode is InvalidArguments', async () => {
    const user = userOn(newDevice(), { authMode: AuthMode.PasscodeOnly });
    user.passcode = '';
    expect((await rejectionOf(user.saveSession(alice))).code).toBe(VaultErrorCodes.InvalidArguments);
  });
});

describe('setPasscode', () => {
  it('changes the passcode through onPasscodeRequest(true); the old one stops working', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1234';
    await user.saveSession(alice);
    user.passcode = '9999';
    await user.setPasscode();
    expect(user.argsOf('onPasscodeRequest')).toEqual([true, true]);
    await user.lockOut();
    user.passcode = '1234';
    expect((await rejectionOf(user.unlock())).code).toBe(VaultErrorCodes.AuthFailed);
    user.passcode = '9999';
    await user.unlock();
    expect(await user.restoreSession()).toEqual(alice);
  });

  it('with the built-in prompt: MismatchedPasscode keeps the old passcode', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1234';
    await user.saveSession(alice);
    user.passcode = undefined;
    device.passcodePrompt.queue('5555', '6666');
    expect((await rejectionOf(user.setPasscode())).code).toBe(VaultErrorCodes.MismatchedPasscode);
    await user.lockOut();
    user.passcode = '1234';
    await user.unlock();
    expect(await user.restoreSession()).toEqual(alice);
  });

  it('throws PasscodeNotEnabled when passcode is off', async () => {
    const user = userOn(newDevice(), { authMode: AuthMode.BiometricOnly });
    user.passcode = '1234';
    expect((await rejectionOf(user.setPasscode())).code).toBe(VaultErrorCodes.PasscodeNotEnabled);
  });

  it('throws VaultLocked when the vault is locked', async () => {
    const user = userOn(newDevice(), { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.lockOut();
    expect((await rejectionOf(user.setPasscode())).code).toBe(VaultErrorCodes.VaultLocked);
  });
});

describe('setPasscodeEnabled', () => {
  it('enabling asks for a passcode when none is set, then unlock can use it', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.BiometricOnly });
    await user.saveSession(alice);
    user.passcode = '1111';
    await user.setPasscodeEnabled(true);
    expect(user.argsOf('onPasscodeRequest')).toEqual([true]);
    expect(await user.isPasscodeEnabled()).toBe(true);
    expect(await user.getAuthMode()).toBe(AuthMode.BiometricAndPasscode);
    await user.lockOut();
    device.biometrics.respondWith('fail');
    await user.unlock();
    expect(await user.restoreSession()).toEqual(alice);
  });

  it('enabling when already set up asks nothing', async () => {
    const user = userOn(newDevice(), { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1111';
    await user.saveSession(alice);
    await user.setPasscodeEnabled(true);
    expect(user.argsOf('onPasscodeRequest')).toEqual([true]);
  });

  it('a failed setup leaves passcode off', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.BiometricOnly });
    await user.saveSession(alice);
    device.passcodePrompt.queue('1111', '2222');
    expect((await rejectionOf(user.setPasscodeEnabled(true))).code).toBe(VaultErrorCodes.MismatchedPasscode);
    expect(await user.isPasscodeEnabled()).toBe(false);
    expect(await user.getAuthMode()).toBe(AuthMode.BiometricOnly);
  });

  it('disabling leaves biometrics only; disabling both is SecureStorage', async () => {
    const device = newDevice();
    const user = userOn(device);
    user.passcode = '1111';
    await user.saveSession(alice);
    await user.setPasscodeEnabled(false);
    expect(await user.getAuthMode()).toBe(AuthMode.BiometricOnly);
    await user.setBiometricsEnabled(false);
    expect(await user.isBiometricsEnabled()).toBe(false);
    expect(await user.getAuthMode()).toBe(AuthMode.SecureStorage);
    await user.lockOut();
    expect(await user.restoreSession()).toEqual(alice);
    expect(device.biometrics.prompts).toBe(0);
  });

  it('throws VaultLocked when the vault is locked', async () => {
    const user = userOn(newDevice(), { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.lockOut();
    expect((await rejectionOf(user.setPasscodeEnabled(false))).code).toBe(VaultErrorCodes.VaultLocked);
  });
});

describe('setBiometricsEnabled', () => {
  it('enabling on a passcode vault makes biometrics the first unlock', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.setBiometricsEnabled(true);
    expect(await user.isBiometricsEnabled()).toBe(true);
    await user.lockOut();
    await user.unlock();
    expect(device.biometrics.prompts).toBe(1);
    expect(user.argsOf('onPasscodeRequest')).toEqual([true]);
  });

  it('throws SecurityNotAvailable on a device without biometrics', async () => {
    const user = userOn(newDevice({ biometricType: 'none' }), { authMode: AuthMode.PasscodeOnly });
    expect((await rejectionOf(user.setBiometricsEnabled(true))).code).toBe(VaultErrorCodes.SecurityNotAvailable);
  });

  it('throws VaultLocked when the vault is locked', async () => {
    const user = userOn(newDevice(), { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.lockOut();
    expect((await rejectionOf(user.setBiometricsEnabled(true))).code).toBe(VaultErrorCodes.VaultLocked);
  });

  it('getBiometricType and isBiometricsAvailable report the device', async () => {
    const touch = userOn(newDevice({ biometricType: 'touchID' }));
    expect(await touch.getBiometricType()).toBe('touchID');
    expect(await touch.isBiometricsAvailable()).toBe(true);
    const face = userOn(newDevice({ biometricType: 'faceID' }));
    expect(await face.getBiometricType()).toBe('faceID');
  });
});

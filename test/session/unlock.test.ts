import { describe, expect, it } from 'vitest';
import { AuthMode, VaultErrorCodes } from 'identity-vault';
import { alice, newDevice, rejectionOf, userOn } from './helpers.js';

/** A user with alice's session saved under passcode 1234, then locked out. */
async function lockedUser(mode: AuthMode, options: { unlockOnAccess?: boolean; biometricType?: 'faceID' | 'none' } = {}) {
  const device = newDevice(options.biometricType ? { biometricType: options.biometricType } : {});
  const user = userOn(device, { authMode: mode, unlockOnAccess: options.unlockOnAccess ?? false });
  user.passcode = '1234';
  await user.saveSession(alice);
  await user.lockOut();
  user.calls.length = 0;
  user.passcode = undefined;
  return { device, user, vault: await user.getVault() };
}

describe('unlock with BiometricAndPasscode', () => {
  it('uses biometrics first and does not ask for the passcode when they succeed', async () => {
    const { device, user, vault } = await lockedUser(AuthMode.BiometricAndPasscode);
    await user.unlock();
    expect(await vault.isLocked()).toBe(false);
    expect(device.biometrics.prompts).toBe(1);
    expect(user.argsOf('onPasscodeRequest')).toEqual([]);
  });

  it.each(['fail', 'cancel'] as const)('falls back to the passcode when biometrics %s (custom prompt)', async (outcome) => {
    const { device, user, vault } = await lockedUser(AuthMode.BiometricAndPasscode);
    device.biometrics.respondWith(outcome);
    user.passcode = '1234';
    await user.unlock();
    expect(await vault.isLocked()).toBe(false);
    expect(device.biometrics.prompts).toBe(1);
    expect(user.argsOf('onPasscodeRequest')).toEqual([false]);
    expect(device.passcodePrompt.requests).toEqual([]);
  });

  it.each(['fail', 'cancel'] as const)('falls back to the built-in prompt when biometrics %s and onPasscodeRequest returns undefined', async (outcome) => {
    const { device, user, vault } = await lockedUser(AuthMode.BiometricAndPasscode);
    device.biometrics.respondWith(outcome);
    device.passcodePrompt.respondWith('1234');
    await user.unlock();
    expect(await vault.isLocked()).toBe(false);
    expect(device.passcodePrompt.requests).toEqual(['unlock']);
  });

  it('falls back to the passcode after biometrics were re-enrolled (InvalidatedCredential)', async () => {
    const { device, user, vault } = await lockedUser(AuthMode.BiometricAndPasscode);
    device.biometrics.reenroll();
    user.passcode = '1234';
    await user.unlock();
    expect(await vault.isLocked()).toBe(false);
    expect(await user.restoreSession()).toEqual(alice);
  });

  it('a wrong fallback passcode is AuthFailed with remainingAttempts; the vault stays locked', async () => {
    const { device, user, vault } = await lockedUser(AuthMode.BiometricAndPasscode);
    device.biometrics.respondWith('cancel');
    user.passcode = '0000';
    const error = await rejectionOf(user.unlock());
    expect(error.code).toBe(VaultErrorCodes.AuthFailed);
    expect(error.remainingAttempts).toBe(4);
    expect(await vault.isLocked()).toBe(true);
  });

  it('the passcode skips biometrics with unlock(AuthMode.PasscodeOnly)', async () => {
    const { device, user, vault } = await lockedUser(AuthMode.BiometricAndPasscode);
    user.passcode = '1234';
    await user.unlock(AuthMode.PasscodeOnly);
    expect(await vault.isLocked()).toBe(false);
    expect(device.biometrics.prompts).toBe(0);
  });

  it('unlock(AuthMode.BiometricOnly) does not fall back', async () => {
    const { device, user } = await lockedUser(AuthMode.BiometricAndPasscode);
    device.biometrics.respondWith('cancel');
    const error = await rejectionOf(user.unlock(AuthMode.BiometricOnly));
    expect(error.code).toBe(VaultErrorCodes.UserCanceledInteraction);
    expect(user.argsOf('onPasscodeRequest')).toEqual([]);
  });
});

describe('unlock with other modes', () => {
  it('PasscodeOnly with a passcode from onPasscodeRequest', async () => {
    const { device, user, vault } = await lockedUser(AuthMode.PasscodeOnly);
    user.passcode = '1234';
    await user.unlock();
    expect(await vault.isLocked()).toBe(false);
    expect(user.argsOf('onPasscodeRequest')).toEqual([false]);
    expect(device.passcodePrompt.requests).toEqual([]);
    expect(device.biometrics.prompts).toBe(0);
  });

  it('PasscodeOnly with the built-in prompt (onPasscodeRequest returns undefined)', async () => {
    const { device, user, vault } = await lockedUser(AuthMode.PasscodeOnly);
    device.passcodePrompt.respondWith('1234');
    await user.unlock();
    expect(await vault.isLocked()).toBe(false);
    expect(device.passcodePrompt.requests).toEqual(['unlock']);
  });

  it('PasscodeOnly: cancelling the built-in prompt is UserCanceledInteraction', async () => {
    const { device, user } = await lockedUser(AuthMode.PasscodeOnly);
    device.passcodePrompt.respondWith(undefined);
    expect((await rejectionOf(user.unlock())).code).toBe(VaultErrorCodes.UserCanceledInteraction);
  });

  it('PasscodeOnly: too many wrong passcodes clear the vault (TooManyFailedAttempts) and the session is gone', async () => {
    const { user, vault } = await lockedUser(AuthMode.PasscodeOnly);
    user.passcode = '0000';
    const remaining: Array<number | undefined> = [];
    for (let i = 0; i < 4; i++) remaining.push((await rejectionOf(user.unlock())).remainingAttempts);
    expect(remaining).toEqual([4, 3, 2, 1]);
    expect((await rejectionOf(user.unlock())).code).toBe(VaultErrorCodes.TooManyFailedAttempts);
    expect(await vault.isLocked()).toBe(false);
    expect(await user.hasStoredSession()).toBe(false);
    expect(await user.getSession()).toBeUndefined();
  });

  it('BiometricOnly: a cancel is UserCanceledInteraction and no passcode is asked', async () => {
    const { device, user } = await lockedUser(AuthMode.BiometricOnly);
    device.biometrics.respondWith('cancel');
    expect((await rejectionOf(user.unlock())).code).toBe(VaultErrorCodes.UserCanceledInteraction);
    expect(user.argsOf('onPasscodeRequest')).toEqual([]);
    device.biometrics.respondWith('success');
    await user.unlock();
    expect(await user.restoreSession()).toEqual(alice);
  });

  it('BiometricOnly after re-enrolment is InvalidatedCredential', async () => {
    const { device, user } = await lockedUser(AuthMode.BiometricOnly);
    device.biometrics.reenroll();
    expect((await rejectionOf(user.unlock())).code).toBe(VaultErrorCodes.InvalidatedCredential);
  });

  it('unlock() of an unlocked vault does nothing', async () => {
    const device = newDevice();
    const user = userOn(device);
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.unlock();
    expect(device.biometrics.prompts).toBe(0);
    expect(user.argsOf('onVaultUnlocked')).toEqual([]);
  });

  it('unlock with an unknown AuthMode is InvalidAuthMode', async () => {
    const { user } = await lockedUser(AuthMode.PasscodeOnly);
    expect((await rejectionOf(user.unlock(99 as AuthMode))).code).toBe(VaultErrorCodes.InvalidAuthMode);
  });

  it('onVaultUnlocked receives the VaultConfig', async () => {
    const { user } = await lockedUser(AuthMode.BiometricAndPasscode);
    await user.unlock();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(user.argsOf('onVaultUnlocked')).toEqual([
      { authMode: AuthMode.BiometricAndPasscode, hideScreenOnBackground: false, isPasscodeSetupNeeded: false, lockAfter: 0 },
    ]);
  });
});

describe('unlockOnReady and restoreSessionOnReady across a restart', () => {
  async function storedThenRestart(mode = AuthMode.BiometricAndPasscode) {
    const device = newDevice();
    const user = userOn(device, { authMode: mode });
    user.passcode = '1234';
    await user.saveSession(alice);
    device.restart();
    return device;
  }

  it('without either option, ready asks nothing and the vault stays locked', async () => {
    const device = await storedThenRestart();
    const user = userOn(device);
    await user.ready();
    expect(await (await user.getVault()).isLocked()).toBe(true);
    expect(device.biometrics.prompts).toBe(0);
    expect(await user.getSession()).toBeUndefined();
    expect(await user.hasStoredSession()).toBe(true);
    await user.unlock();
    expect(await user.restoreSession()).toEqual(alice);
  });

  it('restoreSessionOnReady alone does not prompt: the session stays locked away', async () => {
    const device = await storedThenRestart();
    const user = userOn(device, { restoreSessionOnReady: true });
    await user.ready();
    expect(device.biometrics.prompts).toBe(0);
    expect(await user.getSession()).toBeUndefined();
    expect(user.argsOf('onSessionRestored')).toEqual([]);
  });

  it('restoreSessionOnReady + unlockOnAccess unlocks and restores at ready', async () => {
    const device = await storedThenRestart();
    const user = userOn(device, { restoreSessionOnReady: true, unlockOnAccess: true });
    await user.ready();
    expect(device.biometrics.prompts).toBe(1);
    expect(user.argsOf('onSessionRestored')).toEqual([alice]);
    expect(await user.getSession()).toEqual(alice);
    expect(user.hooks().filter((h) => h !== 'onConfigChange')).toEqual(['onVaultReady', 'onVaultUnlocked', 'onSessionRestored']);
  });

  it('getSession called before ready joins the ready-time restore: one prompt', async () => {
    const device = await storedThenRestart();
    const user = userOn(device, { restoreSessionOnReady: true, unlockOnAccess: true });
    const [session] = await Promise.all([user.getSession(), user.restoreSession(), user.ready()]);
    expect(session).toEqual(alice);
    expect(device.biometrics.prompts).toBe(1);
  });

  it('unlockOnReady prompts at ready without restoring; restoreSession then reads without asking', async () => {
    const device = await storedThenRestart(AuthMode.PasscodeOnly);
    const user = userOn(device, { unlockOnReady: true });
    user.passcode = '1234';
    await user.ready();
    expect(user.argsOf('onPasscodeRequest')).toEqual([false]);
    expect(user.argsOf('onSessionRestored')).toEqual([]);
    expect(await (await user.getVault()).isLocked()).toBe(false);
    expect(await user.getSession()).toBeUndefined();
    expect(await user.restoreSession()).toEqual(alice);
    expect(user.argsOf('onPasscodeRequest')).toEqual([false]);
  });

  it('a failed restore at ready goes to onSessionRestoreError (4.x); ready still resolves with the vault locked', async () => {
    const device = await storedThenRestart(AuthMode.BiometricOnly);
    device.biometrics.respondWith('cancel');
    const user = userOn(device, { unlockOnReady: true, restoreSessionOnReady: true });
    await user.ready();
    const [error] = user.argsOf('onSessionRestoreError') as Array<{ code: VaultErrorCodes }>;
    expect(error?.code).toBe(VaultErrorCodes.UserCanceledInteraction);
    expect(user.argsOf('onSetupError')).toEqual([]);
    expect(user.argsOf('onUnlockOnReadyError')).toEqual([]);
    expect(await (await user.getVault()).isLocked()).toBe(true);
    device.biometrics.respondWith('success');
    await user.unlock();
    expect(await user.restoreSession()).toEqual(alice);
  });

  it('a failed unlock at ready (unlockOnReady alone) goes to onUnlockOnReadyError (4.x)', async () => {
    const device = await storedThenRestart(AuthMode.BiometricOnly);
    device.biometrics.respondWith('cancel');
    const user = userOn(device, { unlockOnReady: true });
    await user.ready();
    const [error] = user.argsOf('onUnlockOnReadyError') as Array<{ code: VaultErrorCodes }>;
    expect(error?.code).toBe(VaultErrorCodes.UserCanceledInteraction);
    expect(user.argsOf('onSessionRestoreError')).toEqual([]);
    expect(user.argsOf('onSetupError')).toEqual([]);
    expect(await (await user.getVault()).isLocked()).toBe(true);
  });

  it('unlockOnReady on a vault with nothing stored asks nothing', async () => {
    const device = newDevice();
    const user = userOn(device, { unlockOnReady: true, restoreSessionOnReady: true, unlockOnAccess: true });
    await user.ready();
    expect(device.biometrics.prompts).toBe(0);
    expect(user.argsOf('onPasscodeRequest')).toEqual([]);
  });
});

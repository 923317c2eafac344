import { describe, expect, it } from 'vitest';
import { AuthMode } from 'identity-vault';
import { alice, newDevice, settle, userOn } from './helpers.js';

async function signedIn(options: Parameters<typeof userOn>[1]) {
  const device = newDevice();
  const user = userOn(device, options);
  user.passcode = '1234';
  await user.saveSession(alice);
  return { device, user, vault: await user.getVault() };
}

describe('lockAfter', () => {
  it('locks after at least lockAfter ms in the background (timer while backgrounded): onVaultLocked timeout true', async () => {
    const { device, user, vault } = await signedIn({ lockAfter: 5000 });
    device.sendToBackground();
    device.advanceTime(5000);
    await settle(user);
    expect(await vault.isLocked()).toBe(true);
    expect(user.argsOf('onVaultLocked')).toEqual([{ saved: true, timeout: true }]);
    device.bringToForeground();
    expect(await user.getSession()).toBeUndefined(); // the in-memory copy went with the lock
  });

  it('locks on return when the background lasted longer than lockAfter', async () => {
    const { device, user, vault } = await signedIn({ lockAfter: 5000, unlockOnAccess: true });
    device.sendToBackground();
    device.advanceTime(60_000);
    device.bringToForeground();
    await settle(user);
    expect(await vault.isLocked()).toBe(true);
    expect(await user.getSession()).toBeUndefined(); // memory only: the copy went with the lock
    expect(await user.restoreSession()).toEqual(alice); // unlockOnAccess: biometrics asked once
    expect(device.biometrics.prompts).toBe(1);
  });

  it('stays unlocked when the background was shorter than lockAfter', async () => {
    const { device, user, vault } = await signedIn({ lockAfter: 5000 });
    device.sendToBackground();
    device.advanceTime(4999);
    device.bringToForeground();
    device.advanceTime(60_000); // in the foreground time does not count
    await settle(user);
    expect(await vault.isLocked()).toBe(false);
    expect(user.argsOf('onVaultLocked')).toEqual([]);
    expect(await user.getSession()).toEqual(alice);
  });

  it('lockAfter 0 (the default) never locks in the background', async () => {
    const { device, user, vault } = await signedIn({});
    device.sendToBackground();
    device.advanceTime(24 * 3600 * 1000);
    device.bringToForeground();
    await settle(user);
    expect(await vault.isLocked()).toBe(false);
    expect((await vault.getConfig()).lockAfter).toBe(0);
  });

  it('an InMemoryOnly vault loses the session on a background lock (saved: false)', async () => {
    const { device, user } = await signedIn({ authMode: AuthMode.InMemoryOnly, lockAfter: 1000 });
    device.sendToBackground();
    device.advanceTime(1000);
    device.bringToForeground();
    await settle(user);
    expect(user.argsOf('onVaultLocked')).toEqual([{ saved: false, timeout: true }]);
    expect(await user.restoreSession()).toBeUndefined();
  });

  it('the VaultConfig given to hooks carries lockAfter and hideScreenOnBackground', async () => {
    const { user } = await signedIn({ lockAfter: 5000, hideScreenOnBackground: true });
    expect(user.argsOf('onVaultReady')).toEqual([
      { authMode: AuthMode.BiometricAndPasscode, hideScreenOnBackground: true, isPasscodeSetupNeeded: true, lockAfter: 5000 },
    ]);
  });
});

describe('hideScreenOnBackground', () => {
  it('covers the app while it is in the background', async () => {
    const { device } = await signedIn({ hideScreenOnBackground: true });
    expect(device.isScreenHidden).toBe(false);
    device.sendToBackground();
    expect(device.isScreenHidden).toBe(true);
    device.bringToForeground();
    expect(device.isScreenHidden).toBe(false);
  });

  it('is off by default', async () => {
    const { device } = await signedIn({});
    device.sendToBackground();
    expect(device.isScreenHidden).toBe(false);
  });
});

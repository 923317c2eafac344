import { describe, expect, it } from 'vitest';
import { AuthMode, VaultErrorCodes } from 'identity-vault';
import { alice, bob, newDevice, rejectionOf, settle, storageContains, userOn } from './helpers.js';

describe('saveSession / getSession / restoreSession', () => {
  it('saves a session into a new BiometricAndPasscode vault, asking for the passcode once', async () => {
    const device = newDevice();
    const user = userOn(device);
    user.passcode = '1234';
    await user.saveSession(alice);
    expect(user.argsOf('onPasscodeRequest')).toEqual([true]);
    expect(await user.getSession()).toEqual(alice);
    expect(await user.hasStoredSession()).toBe(true);
    expect(storageContains(device, alice.token)).toBe(false);
    expect(storageContains(device, alice.email)).toBe(false);
  });

  it('getSession returns the in-memory copy without touching the vault', async () => {
    const device = newDevice();
    const user = userOn(device);
    user.passcode = '1234';
    await user.saveSession(alice);
    const prompts = device.biometrics.prompts;
    expect(await user.getSession()).toBe(await user.getSession());
    expect(device.biometrics.prompts).toBe(prompts);
  });

  it('restoreSession reads the session back, keeps it in memory and calls onSessionRestored', async () => {
    const device = newDevice();
    const user = userOn(device);
    user.passcode = '1234';
    await user.saveSession(alice);
    expect(await user.restoreSession()).toEqual(alice);
    expect(user.argsOf('onSessionRestored')).toEqual([alice]);
  });

  it('restoreSession resolves undefined when nothing is stored', async () => {
    const user = userOn(newDevice());
    expect(await user.restoreSession()).toBeUndefined();
    expect(await user.getSession()).toBeUndefined();
    expect(await user.hasStoredSession()).toBe(false);
    expect(user.argsOf('onSessionRestored')).toEqual([]);
  });

  it('a second saveSession replaces the first without asking for a passcode again', async () => {
    const device = newDevice();
    const user = userOn(device);
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.saveSession(bob);
    expect(user.argsOf('onPasscodeRequest')).toEqual([true]);
    expect(await user.restoreSession()).toEqual(bob);
  });

  it('saveSession refuses something that is not a session object', async () => {
    const user = userOn(newDevice());
    const error = await rejectionOf(user.saveSession(null as never));
    expect(error.code).toBe(VaultErrorCodes.InvalidArguments);
  });

  it('saveSession refuses a session that is not JSON data, and stores nothing', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.SecureStorage });
    const error = await rejectionOf(user.saveSession({ ...alice, created: new Date() } as never));
    expect(error.code).toBe(VaultErrorCodes.InvalidArguments);
    expect(await user.hasStoredSession()).toBe(false);
    expect(await user.getSession()).toBeUndefined();
  });
});

describe('lockOut vs logout', () => {
  it('lockOut locks the vault, drops the in-memory session and keeps the stored one', async () => {
    const device = newDevice();
    const user = userOn(device);
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.lockOut();
    await settle(user);
    expect(await (await user.getVault()).isLocked()).toBe(true);
    expect(await user.getSession()).toBeUndefined(); // the copy in memory went with the lock
    expect(user.token).toBeUndefined();
    expect((await rejectionOf(user.restoreSession())).code).toBe(VaultErrorCodes.VaultLocked); // unlockOnAccess is off
    expect(await user.hasStoredSession()).toBe(true);
    expect(user.argsOf('onVaultLocked')).toEqual([{ saved: true, timeout: false }]);
    await user.unlock();
    expect(await user.getSession()).toBeUndefined(); // unlocking does not read the session
    expect(await user.restoreSession()).toEqual(alice);
    expect(await user.getSession()).toEqual(alice);
    expect(user.token).toBe(alice.token);
  });

  it('logout clears the vault and forgets the session; the next save asks for a new passcode', async () => {
    const device = newDevice();
    const user = userOn(device);
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.logout();
    expect(await user.getSession()).toBeUndefined();
    expect(await user.restoreSession()).toBeUndefined();
    expect(await user.hasStoredSession()).toBe(false);
    expect(await (await user.getVault()).isLocked()).toBe(false);
    expect(storageContains(device, 'alice')).toBe(false);
    expect(await user.getAuthMode()).toBe(AuthMode.BiometricAndPasscode);
    user.passcode = '5678';
    await user.saveSession(bob);
    expect(user.argsOf('onPasscodeRequest')).toEqual([true, true]);
    await user.lockOut();
    device.biometrics.respondWith('cancel');
    await user.unlock(); // falls back to the new passcode
    expect(await user.restoreSession()).toEqual(bob);
  });

  it('logout puts a vault whose mode was changed back to the configured authMode', async () => {
    const user = userOn(newDevice(), { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.setAuthMode(AuthMode.SecureStorage);
    expect(await user.getAuthMode()).toBe(AuthMode.SecureStorage);
    await user.logout();
    expect(await user.getAuthMode()).toBe(AuthMode.PasscodeOnly);
  });
});

describe('restoreSession when locked', () => {
  it('throws VaultLocked without unlockOnAccess', async () => {
    const device = newDevice();
    const user = userOn(device);
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.lockOut();
    const error = await rejectionOf(user.restoreSession());
    expect(error.code).toBe(VaultErrorCodes.VaultLocked);
  });

  it('saveSession into a locked vault throws VaultLocked without unlockOnAccess', async () => {
    const device = newDevice();
    const user = userOn(device);
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.lockOut();
    const error = await rejectionOf(user.saveSession(bob));
    expect(error.code).toBe(VaultErrorCodes.VaultLocked);
  });
});

describe('unlockOnAccess', () => {
  it('restoreSession of a locked vault unlocks first (biometrics); getSession never does', async () => {
    const device = newDevice();
    const user = userOn(device, { unlockOnAccess: true });
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.lockOut();
    const prompts = device.biometrics.prompts;
    expect(await user.getSession()).toBeUndefined();
    expect(device.biometrics.prompts).toBe(prompts);
    expect(await user.restoreSession()).toEqual(alice);
    expect(device.biometrics.prompts).toBe(prompts + 1);
    expect(user.argsOf('onSessionRestored')).toEqual([alice]);
    expect(user.argsOf('onVaultUnlocked')).toHaveLength(1);
  });

  it('restoreSession of a locked vault unlocks first (passcode vault, built-in prompt)', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly, unlockOnAccess: true });
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.lockOut();
    user.passcode = undefined;
    device.passcodePrompt.respondWith('1234');
    expect(await user.restoreSession()).toEqual(alice);
    expect(device.passcodePrompt.requests).toEqual(['unlock']);
    expect(user.argsOf('onPasscodeRequest')).toEqual([true, false]);
  });

  it('saveSession into a locked vault unlocks first', async () => {
    const device = newDevice();
    const user = userOn(device, { unlockOnAccess: true });
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.lockOut();
    await user.saveSession(bob);
    expect(device.biometrics.prompts).toBe(1);
    expect(await user.restoreSession()).toEqual(bob);
  });

  it('a cancelled unlock on access rejects the read and leaves the vault locked', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.BiometricOnly, unlockOnAccess: true });
    await user.saveSession(alice);
    await user.lockOut();
    device.biometrics.respondWith('cancel');
    const error = await rejectionOf(user.restoreSession());
    expect(error.code).toBe(VaultErrorCodes.UserCanceledInteraction);
    expect(await (await user.getVault()).isLocked()).toBe(true);
  });

  it('does not prompt for a vault that holds nothing', async () => {
    const device = newDevice();
    const user = userOn(device, { unlockOnAccess: true });
    expect(await user.getSession()).toBeUndefined();
    expect(await user.restoreSession()).toBeUndefined();
    expect(device.biometrics.prompts).toBe(0);
    expect(user.argsOf('onPasscodeRequest')).toEqual([]);
  });
});

describe('concurrency', () => {
  it('two concurrent restoreSession calls prompt once and get the same session', async () => {
    const device = newDevice();
    const user = userOn(device, { unlockOnAccess: true });
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.lockOut();
    const [a, b] = await Promise.all([user.restoreSession(), user.restoreSession()]);
    expect(a).toEqual(alice);
    expect(b).toBe(a);
    expect(device.biometrics.prompts).toBe(1);
    expect(user.argsOf('onSessionRestored')).toHaveLength(1);
  });

  it('concurrent restoreSession calls and unlock prompt once (passcode prompt)', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly, unlockOnAccess: true });
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.lockOut();
    const [a, b] = await Promise.all([user.restoreSession(), user.restoreSession(), user.unlock()]);
    expect(a).toEqual(alice);
    expect(b).toEqual(alice);
    expect(user.argsOf('onPasscodeRequest')).toEqual([true, false]);
  });

  it('calls made before ready() resolves wait for it', async () => {
    const device = newDevice();
    let release: (value: string) => void = () => undefined;
    const platform = { ready: () => new Promise<string>((resolve) => (release = resolve)) };
    const { RecordingUser } = await import('./helpers.js');
    const user = new RecordingUser(platform, { plugin: device.plugin, authMode: AuthMode.SecureStorage });
    const order: string[] = [];
    const saved = user.saveSession(alice).then(() => order.push('saved'));
    const read = user.getSession().then((session) => order.push(`read:${session?.username}`));
    const ready = user.ready().then(() => order.push('ready'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual([]);
    expect(user.hooks()).toEqual([]);
    release('dom');
    await Promise.all([saved, read, ready]);
    expect(order).toContain('ready');
    expect(order).toContain('saved');
    expect(await user.getSession()).toEqual(alice);
  });

  it('ready() resolves the same promise for every caller and onVaultReady fires once', async () => {
    const user = userOn(newDevice());
    const results = await Promise.all([user.ready(), user.ready(), user.ready()]);
    expect(results).toEqual([undefined, undefined, undefined]);
    expect(user.ready()).toBe(user.ready());
    expect(user.argsOf('onVaultReady')).toHaveLength(1);
  });
});

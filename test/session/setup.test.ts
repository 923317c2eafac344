import { describe, expect, it } from 'vitest';
import { AuthMode, IonicIdentityVaultUser, VaultErrorCodes, type DefaultSession } from 'identity-vault';
import { alice, bob, newDevice, readyPlatform, rejectionOf, RecordingUser, settle, userOn } from './helpers.js';

describe('construction and ready()', () => {
  it('waits for platform.ready() before opening the vault', async () => {
    const device = newDevice();
    let release: () => void = () => undefined;
    const platform = { ready: () => new Promise<void>((resolve) => (release = resolve)) };
    const user = new RecordingUser(platform, { plugin: device.plugin });
    let ready = false;
    void user.ready().then(() => (ready = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ready).toBe(false);
    expect(device.storage.writes).toBe(0);
    release();
    await user.ready();
    expect(ready).toBe(true);
  });

  it('a rejected platform.ready() is a setup error', async () => {
    const device = newDevice();
    const user = new RecordingUser({ ready: () => Promise.reject(new Error('cordova failed')) }, { plugin: device.plugin });
    const error = await rejectionOf(user.ready());
    expect(error.code).toBe(VaultErrorCodes.Unknown);
    expect(user.argsOf('onSetupError')).toEqual([error]);
  });

  it('without a plugin under Node, ready() rejects with VaultUnavailable and onSetupError is called', async () => {
    const user = new RecordingUser(readyPlatform, {});
    const error = await rejectionOf(user.ready());
    expect(error.code).toBe(VaultErrorCodes.VaultUnavailable);
    expect(user.argsOf('onSetupError')).toEqual([error]);
    expect((await rejectionOf(user.getSession())).code).toBe(VaultErrorCodes.VaultUnavailable);
  });

  it('bad options (negative lockAfter) are a setup error (InvalidArguments)', async () => {
    const user = userOn(newDevice(), { lockAfter: -1 });
    expect((await rejectionOf(user.ready())).code).toBe(VaultErrorCodes.InvalidArguments);
  });

  it('an unobserved setup failure is not an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    new RecordingUser(readyPlatform, {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', listener);
    expect(unhandled).toEqual([]);
  });

  it('the base class works without a subclass (default hooks; undefined passcode = built-in prompt)', async () => {
    const device = newDevice();
    const user = new IonicIdentityVaultUser<DefaultSession>(readyPlatform, { plugin: device.plugin, authMode: AuthMode.PasscodeOnly });
    device.passcodePrompt.respondWith('2580');
    await user.saveSession({ username: 'u', token: 't' });
    expect(device.passcodePrompt.requests).toEqual(['setup', 'confirm']);
    await user.lockOut();
    await user.unlock();
    expect(await user.restoreSession()).toEqual({ username: 'u', token: 't' });
  });
});

describe('descriptors', () => {
  it('the default descriptor is { username: "_lastUser", vaultId: "default" }', async () => {
    const user = userOn(newDevice());
    const vault = await user.getVault();
    expect(await vault.getUsername()).toBe('_lastUser');
    expect((await vault.getConfig()).descriptor).toEqual({ username: '_lastUser', vaultId: 'default' });
  });

  it('another descriptor is a separate vault (multi-tenant)', async () => {
    const device = newDevice();
    const first = userOn(device, { authMode: AuthMode.SecureStorage }, { username: 'alice', vaultId: 'tenant-a' });
    const second = userOn(device, { authMode: AuthMode.PasscodeOnly }, { username: 'bob', vaultId: 'tenant-b' });
    await first.saveSession(alice);
    second.passcode = '1234';
    await second.saveSession(bob);
    await second.lockOut();
    await settle(first);
    expect(await (await first.getVault()).isLocked()).toBe(false);
    expect(await first.getSession()).toEqual(alice);
    expect(await first.getAuthMode()).toBe(AuthMode.SecureStorage);
    await first.logout();
    await second.unlock();
    expect(await second.restoreSession()).toEqual(bob);
  });

  it('two users on one descriptor share the vault: a lock through one locks the other', async () => {
    const device = newDevice();
    const a = userOn(device, { authMode: AuthMode.PasscodeOnly });
    a.passcode = '1234';
    await a.saveSession(alice);
    const b = userOn(device, { authMode: AuthMode.PasscodeOnly });
    expect(await b.restoreSession()).toEqual(alice);
    await a.lockOut();
    await settle(b);
    expect(b.argsOf('onVaultLocked')).toEqual([{ saved: true, timeout: false }]);
    expect(await b.getSession()).toBeUndefined();
  });
});

describe('getVault', () => {
  it('gives the raw vault, which sees the stored session under "session"', async () => {
    const user = userOn(newDevice(), { authMode: AuthMode.SecureStorage });
    await user.saveSession(alice);
    const vault = await user.getVault();
    expect(await vault.getValue('session')).toEqual(alice);
    expect(await user.getVault()).toBe(vault);
  });

  it('hasStoredSession is false when the vault holds other values but no session (unlocked)', async () => {
    const user = userOn(newDevice(), { authMode: AuthMode.SecureStorage });
    await (await user.getVault()).storeValue('other', 1);
    expect(await user.hasStoredSession()).toBe(false);
  });
});

/**
 * The Identity Vault 4.x members the 3.0 reference did not have, on the real core (SimulatedDevice):
 * `login`, `token`, `getPlugin`, `BiometricOrPasscode`, `removeValue`/`getKeys`, secure-storage
 * mode, `getAvailableHardware`/`isBiometricsSupported`/`isLockedOutOfBiometrics`, the 4.1 prompt
 * texts and `shouldClearVaultAfterTooManyFailedAttempts`, and their bad input.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthMode,
  IonicIdentityVaultUser,
  setDefaultPlugin,
  VaultErrorCodes,
  type IdentityVault,
  type IonicNativeAuthPlugin,
  type PluginOptions,
} from 'identity-vault';
import { SimulatedDevice } from 'identity-vault/testing';
import { alice, bob, newDevice, readyPlatform, rejectionOf, settle, storageContains, userOn } from './helpers.js';

const global = globalThis as { IonicNativeAuth?: unknown };

afterEach(() => {
  delete global.IonicNativeAuth;
  setDefaultPlugin(undefined);
});

describe('login(session, authMode?)', () => {
  it('clears the previous session and passcode, applies the mode, asks for a new passcode and saves', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1111';
    await user.login(alice);
    await (await user.getVault()).storeValue('extra', 1);
    user.passcode = '2222';
    await user.login(bob, AuthMode.PasscodeOnly);
    expect(user.argsOf('onPasscodeRequest')).toEqual([true, true]); // "clear the vault & any stored PIN"
    expect(await (await user.getVault()).getKeys()).toEqual(['session']);
    await user.lockOut();
    await (await user.getVault()).unlock(true, '2222');
    expect(
      (
        await rejectionOf(
          (async () => {
            await user.lockOut();
            await (await user.getVault()).unlock(true, '1111');
          })(),
        )
      ).code,
    ).toBe(VaultErrorCodes.AuthFailed);
  });

  it('BiometricOrPasscode is biometrics on a device that has them, the passcode on one that does not', async () => {
    const withFace = userOn(newDevice({ biometricType: 'faceID' }));
    await withFace.login(alice, AuthMode.BiometricOrPasscode);
    expect(await withFace.getAuthMode()).toBe(AuthMode.BiometricOnly);
    const without = userOn(newDevice({ biometricType: 'none' }));
    without.passcode = '1234';
    await without.login(alice, AuthMode.BiometricOrPasscode);
    expect(await without.getAuthMode()).toBe(AuthMode.PasscodeOnly);
    await without.lockOut();
    await without.unlock(AuthMode.BiometricOrPasscode);
    expect(without.argsOf('onPasscodeRequest')).toEqual([true, false]);
  });

  it('refuses a session that is not an object and a mode that is not an AuthMode, changing nothing', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.SecureStorage });
    await user.saveSession(alice);
    expect((await rejectionOf(user.login(null as never))).code).toBe(VaultErrorCodes.InvalidArguments);
    expect((await rejectionOf(user.login(bob, 42 as AuthMode))).code).toBe(VaultErrorCodes.InvalidAuthMode);
    expect((await rejectionOf(user.unlock('PasscodeOnly' as unknown as AuthMode))).code).toBe(VaultErrorCodes.InvalidAuthMode);
    expect(await user.restoreSession()).toEqual(alice);
  });

  it('BiometricOnly on a device without biometrics fails with SecurityNotAvailable', async () => {
    const user = userOn(newDevice({ biometricType: 'none' }));
    expect((await rejectionOf(user.login(alice, AuthMode.BiometricOnly))).code).toBe(VaultErrorCodes.SecurityNotAvailable);
    expect(await user.hasStoredSession()).toBe(false);
  });
});

describe('token', () => {
  it('follows the session in memory: save, lock, restore, too many attempts, logout', async () => {
    const device = newDevice({ biometricType: 'none', maxAttempts: 2 });
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly, lockAfter: 1000, unlockOnAccess: true });
    user.passcode = '1234';
    expect(user.token).toBeUndefined();
    await user.saveSession(alice);
    expect(user.token).toBe(alice.token);
    device.sendToBackground();
    device.advanceTime(1000);
    device.bringToForeground();
    await settle(user);
    expect(user.token).toBeUndefined();
    await user.restoreSession();
    expect(user.token).toBe(alice.token);
    await user.lockOut();
    user.passcode = '0000';
    await rejectionOf(user.restoreSession());
    expect((await rejectionOf(user.restoreSession())).code).toBe(VaultErrorCodes.TooManyFailedAttempts);
    expect(user.token).toBeUndefined();
    user.passcode = '1234';
    await user.saveSession(bob);
    expect(user.token).toBe(bob.token);
    await user.logout();
    expect(user.token).toBeUndefined();
  });

  it('is undefined for a session type without a string token', async () => {
    const device = newDevice();
    const user = new IonicIdentityVaultUser<{ user: string; token?: number }>(readyPlatform, { authMode: AuthMode.SecureStorage, plugin: device.plugin });
    await user.saveSession({ user: 'x', token: 5 });
    expect(user.token).toBeUndefined();
    expect(await user.getSession()).toEqual({ user: 'x', token: 5 });
  });
});

describe('getPlugin()', () => {
  it('the default is options.plugin, then setDefaultPlugin, then a global IonicNativeAuth', async () => {
    const a = newDevice();
    const b = newDevice();
    const c = newDevice();
    global.IonicNativeAuth = c.plugin;
    expect(new IonicIdentityVaultUser(readyPlatform, {}).getPlugin()).toBe(c.plugin);
    setDefaultPlugin(() => b.plugin);
    expect(new IonicIdentityVaultUser(readyPlatform, {}).getPlugin()).toBe(b.plugin);
    expect(new IonicIdentityVaultUser(readyPlatform, { plugin: a.plugin }).getPlugin()).toBe(a.plugin);
  });

  it('an override is asked after platform.ready(), so a subclass field set in its constructor is there', async () => {
    const device = newDevice();
    class Service extends IonicIdentityVaultUser {
      readonly asked: unknown[] = [];
      constructor(private readonly mine: IonicNativeAuthPlugin) {
        super(readyPlatform, { authMode: AuthMode.SecureStorage });
      }
      override getPlugin(): IonicNativeAuthPlugin {
        this.asked.push(this.mine);
        return this.mine;
      }
    }
    const service = new Service(device.plugin);
    await service.ready();
    expect(service.asked).toEqual([device.plugin]);
    await service.saveSession(alice);
    expect(storageContains(device, 'iv1/')).toBe(true);
  });

  it('with nothing to use under Node, setup fails with VaultUnavailable (onSetupError), never a throw from the constructor', async () => {
    const user = new IonicIdentityVaultUser(readyPlatform, {});
    expect((await rejectionOf(user.ready())).code).toBe(VaultErrorCodes.VaultUnavailable);
  });

  it('a getPlugin that throws is a setup error', async () => {
    class Broken extends IonicIdentityVaultUser {
      override getPlugin(): IonicNativeAuthPlugin {
        throw new Error('no plugin today');
      }
    }
    expect((await rejectionOf(new Broken(readyPlatform, {}).ready())).code).toBe(VaultErrorCodes.Unknown);
  });
});

describe('an app vault that answers null for a missing key', () => {
  it('hasStoredSession and restoreSession treat null as no session', async () => {
    const device = newDevice();
    const plugin: IonicNativeAuthPlugin = {
      getVault(options: PluginOptions): IdentityVault {
        const real = device.plugin.getVault(options);
        const nulling = Object.create(real) as IdentityVault;
        nulling.getValue = async (key: string) => (await real.getValue(key)) ?? null;
        return nulling;
      },
    };
    const user = new IonicIdentityVaultUser(readyPlatform, { authMode: AuthMode.SecureStorage, plugin });
    await (await user.getVault()).storeValue('other', 1);
    expect(await user.hasStoredSession()).toBe(false);
    expect(await user.restoreSession()).toBeUndefined();
  });
});

describe('IdentityVault 3.4–4.2 members', () => {
  it('removeValue and getKeys need the vault unlocked, and validate the key', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1234';
    await user.saveSession(alice);
    const vault = await user.getVault();
    await vault.storeValue('a', 1);
    await vault.storeValue('b', 2);
    expect((await vault.getKeys()).sort()).toEqual(['a', 'b', 'session']);
    await vault.removeValue('a');
    await vault.removeValue('not-there');
    expect((await vault.getKeys()).sort()).toEqual(['b', 'session']);
    expect(await vault.getValue('a')).toBeUndefined();
    expect((await rejectionOf(vault.removeValue(''))).code).toBe(VaultErrorCodes.InvalidArguments);
    expect((await rejectionOf(vault.removeValue(7 as never))).code).toBe(VaultErrorCodes.InvalidArguments);
    await vault.lock();
    expect((await rejectionOf(vault.getKeys())).code).toBe(VaultErrorCodes.VaultLocked);
    expect((await rejectionOf(vault.removeValue('b'))).code).toBe(VaultErrorCodes.VaultLocked);
    await vault.unlock(true, '1234');
    expect(await vault.getValue('b')).toBe(2); // nothing was lost by the refused calls
  });

  it('removeValue and getKeys work on an InMemoryOnly vault', async () => {
    const user = userOn(newDevice(), { authMode: AuthMode.InMemoryOnly });
    const vault = await user.getVault();
    await vault.storeValue('a', 1);
    expect(await vault.getKeys()).toEqual(['a']);
    await vault.removeValue('a');
    expect(await vault.getKeys()).toEqual([]);
    expect(await vault.isInUse()).toBe(false);
  });

  it('secure-storage mode: true moves a passcode vault to SecureStorage keeping the data; false makes it InMemoryOnly', async () => {
    const device = newDevice({ biometricType: 'none' });
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1234';
    await user.saveSession(alice);
    const vault = await user.getVault();
    expect(await vault.isSecureStorageModeEnabled()).toBe(false);
    await vault.setSecureStorageModeEnabled(false); // not in secure-storage mode: nothing changes
    expect(await user.getAuthMode()).toBe(AuthMode.PasscodeOnly);
    await vault.setSecureStorageModeEnabled(true);
    expect(await user.isSecureStorageModeEnabled()).toBe(true);
    expect(await user.getAuthMode()).toBe(AuthMode.SecureStorage);
    expect((await vault.getConfig()).isSecureStorageModeEnabled).toBe(true);
    await vault.lock();
    await vault.unlock(); // device key: no user needed
    expect(await user.restoreSession()).toEqual(alice);
    await vault.setSecureStorageModeEnabled(false);
    expect(await user.getAuthMode()).toBe(AuthMode.InMemoryOnly);
    expect(Object.keys(device.storage.dump()).filter((key) => key.startsWith('iv1/default/'))).toEqual([]); // nothing stored any more
    expect(await vault.getValue('session')).toEqual(alice);
    expect((await rejectionOf(vault.setSecureStorageModeEnabled('yes' as never))).code).toBe(VaultErrorCodes.InvalidArguments);
  });

  it('getAvailableHardware / isBiometricsSupported / isLockedOutOfBiometrics follow the device', async () => {
    const cases = [
      ['faceID', ['face'], true],
      ['touchID', ['fingerprint'], true],
      ['none', [], false],
    ] as const;
    for (const [type, hardware, supported] of cases) {
      const user = userOn(new SimulatedDevice({ biometricType: type }), { authMode: AuthMode.SecureStorage });
      expect(await user.getAvailableHardware()).toEqual(hardware);
      expect(await user.isBiometricsSupported()).toBe(supported);
      expect(await (await user.getVault()).isLockedOutOfBiometrics()).toBe(false);
    }
  });
});

describe('the 4.1 prompt and attempt options', () => {
  it('androidPrompt* word the built-in unlock prompt, not the passcode set-up prompts', async () => {
    const device = newDevice({ biometricType: 'none' });
    const user = userOn(device, {
      authMode: AuthMode.PasscodeOnly,
      androidPromptTitle: 'Tea time',
      androidPromptSubtitle: 'Your teas are locked',
      androidPromptDescription: 'Enter your PIN',
      androidPromptNegativeButtonText: 'Not now',
      allowSystemPinFallback: true,
    });
    device.passcodePrompt.respondWith('1234');
    await user.saveSession(alice);
    await user.lockOut();
    await user.unlock();
    expect(device.passcodePrompt.requests).toEqual(['setup', 'confirm', 'unlock']);
    expect(device.passcodePrompt.texts.at(-1)).toEqual({ title: 'Tea time', subtitle: 'Your teas are locked', description: 'Enter your PIN' });
    const [ready] = user.argsOf('onVaultReady') as Array<Record<string, unknown>>;
    expect(ready).toMatchObject({ androidPromptTitle: 'Tea time', allowSystemPinFallback: true, androidPromptNegativeButtonText: 'Not now' });
  });

  it('a prompt text that is not a string is a setup error (InvalidArguments)', async () => {
    const user = userOn(newDevice(), { androidPromptTitle: 5 as never });
    expect((await rejectionOf(user.ready())).code).toBe(VaultErrorCodes.InvalidArguments);
  });

  it('shouldClearVaultAfterTooManyFailedAttempts: false keeps the data, refuses even the right passcode, and biometrics + a new passcode recover it', async () => {
    const device = newDevice({ biometricType: 'faceID', maxAttempts: 3 });
    const user = userOn(device, { authMode: AuthMode.BiometricAndPasscode, shouldClearVaultAfterTooManyFailedAttempts: false });
    user.passcode = '1234';
    await user.saveSession(alice);
    const vault = await user.getVault();
    await vault.lock();
    const codes: VaultErrorCodes[] = [];
    for (const guess of ['1', '2', '3', '1234']) codes.push((await rejectionOf(vault.unlock(true, guess))).code);
    expect(codes).toEqual([
      VaultErrorCodes.AuthFailed,
      VaultErrorCodes.AuthFailed,
      VaultErrorCodes.TooManyFailedAttempts,
      VaultErrorCodes.TooManyFailedAttempts,
    ]);
    expect(await vault.isInUse()).toBe(true);
    await vault.unlock(false); // Face ID still opens it
    expect(await user.restoreSession()).toEqual(alice);
    user.passcode = '5678';
    await user.setPasscode();
    await vault.lock();
    await vault.unlock(true, '5678');
    expect(await vault.remainingAttempts()).toBe(3);
  });

  it('shouldClearVaultAfterTooManyFailedAttempts: true (the default) clears the vault', async () => {
    const device = newDevice({ biometricType: 'none', maxAttempts: 2 });
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1234';
    await user.saveSession(alice);
    const vault = await user.getVault();
    await vault.lock();
    await rejectionOf(vault.unlock(true, '0'));
    expect((await rejectionOf(vault.unlock(true, '0'))).code).toBe(VaultErrorCodes.TooManyFailedAttempts);
    expect(await vault.isInUse()).toBe(false);
  });
});

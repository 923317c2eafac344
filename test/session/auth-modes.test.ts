import { describe, expect, it } from 'vitest';
import { AuthMode, VaultErrorCodes } from 'identity-vault';
import { alice, bob, newDevice, rejectionOf, settle, storageContains, userOn } from './helpers.js';

async function switches(user: ReturnType<typeof userOn>) {
  const vault = await user.getVault();
  const config = await vault.getConfig();
  return { passcode: config.isPasscodeEnabled, biometrics: config.isBiometricsEnabled, inMemory: config.isInMemoryOnly };
}

describe('authMode of a new vault', () => {
  it('defaults to BiometricAndPasscode', async () => {
    const user = userOn(newDevice());
    expect(await user.getAuthMode()).toBe(AuthMode.BiometricAndPasscode);
    expect(await switches(user)).toEqual({ passcode: true, biometrics: true, inMemory: false });
    expect(await user.isPasscodeEnabled()).toBe(true);
    expect(await user.isBiometricsEnabled()).toBe(true);
  });

  it.each([
    [AuthMode.PasscodeOnly, { passcode: true, biometrics: false, inMemory: false }],
    [AuthMode.BiometricOnly, { passcode: false, biometrics: true, inMemory: false }],
    [AuthMode.BiometricAndPasscode, { passcode: true, biometrics: true, inMemory: false }],
    [AuthMode.InMemoryOnly, { passcode: false, biometrics: false, inMemory: true }],
    [AuthMode.SecureStorage, { passcode: false, biometrics: false, inMemory: false }],
  ])('configures AuthMode %i', async (mode, expected) => {
    const user = userOn(newDevice(), { authMode: mode });
    expect(await user.getAuthMode()).toBe(mode);
    expect(await switches(user)).toEqual(expected);
    expect(user.argsOf('onVaultReady')).toEqual([{ authMode: mode, hideScreenOnBackground: false, isPasscodeSetupNeeded: expected.passcode, lockAfter: 0 }]);
    // Configuring asks the user nothing: the passcode is asked for when the first session is saved.
    expect(user.argsOf('onPasscodeRequest')).toEqual([]);
  });

  it('BiometricAndPasscode on a device without biometrics becomes passcode-only', async () => {
    const user = userOn(newDevice({ biometricType: 'none' }));
    expect(await user.getAuthMode()).toBe(AuthMode.PasscodeOnly);
    expect(await user.isBiometricsAvailable()).toBe(false);
    expect(await user.getBiometricType()).toBe('none');
  });

  it('BiometricOnly on a device without biometrics is a setup error', async () => {
    const user = userOn(newDevice({ biometricType: 'none' }), { authMode: AuthMode.BiometricOnly });
    const error = await rejectionOf(user.ready());
    expect(error.code).toBe(VaultErrorCodes.SecurityNotAvailable);
    expect(user.argsOf('onSetupError')).toEqual([error]);
    expect((await rejectionOf(user.getSession())).code).toBe(VaultErrorCodes.SecurityNotAvailable);
  });

  it('an unknown authMode is a setup error (InvalidAuthMode)', async () => {
    const user = userOn(newDevice(), { authMode: 42 as AuthMode });
    expect((await rejectionOf(user.ready())).code).toBe(VaultErrorCodes.InvalidAuthMode);
  });

  it('only a new vault takes the configured authMode: a vault in use keeps its own', async () => {
    const device = newDevice();
    const first = userOn(device, { authMode: AuthMode.PasscodeOnly });
    first.passcode = '1234';
    await first.saveSession(alice);
    device.restart();
    const second = userOn(device, { authMode: AuthMode.BiometricOnly });
    await second.ready();
    expect(await second.getAuthMode()).toBe(AuthMode.PasscodeOnly);
    expect(await (await second.getVault()).isLocked()).toBe(true);
  });

  it('a new vault that came back locked (its key made, nothing stored) is reset and configured', async () => {
    const device = newDevice();
    await userOn(device).ready(); // BiometricAndPasscode: enabling biometrics makes a data key
    device.restart();
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
    await user.ready();
    expect(await (await user.getVault()).isLocked()).toBe(false);
    expect(await user.getAuthMode()).toBe(AuthMode.PasscodeOnly);
    user.passcode = '1234';
    await user.saveSession(alice); // no VaultLocked: the empty vault did not need unlocking
    expect(await user.getSession()).toEqual(alice);
  });
});

describe('setAuthMode', () => {
  async function unlockedUser(mode: AuthMode) {
    const device = newDevice();
    const user = userOn(device, { authMode: mode });
    user.passcode = '1234';
    await user.saveSession(alice);
    return { device, user };
  }

  it('throws VaultLocked when the vault is locked, and changes nothing', async () => {
    const { user } = await unlockedUser(AuthMode.BiometricAndPasscode);
    await user.lockOut();
    const error = await rejectionOf(user.setAuthMode(AuthMode.PasscodeOnly));
    expect(error.code).toBe(VaultErrorCodes.VaultLocked);
    expect(await user.getAuthMode()).toBe(AuthMode.BiometricAndPasscode);
  });

  it.each([AuthMode.BiometricOnly, AuthMode.BiometricAndPasscode])('throws SecurityNotAvailable for %s without biometrics', async (mode) => {
    const device = newDevice({ biometricType: 'none' });
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1234';
    await user.saveSession(alice);
    const error = await rejectionOf(user.setAuthMode(mode));
    expect(error.code).toBe(VaultErrorCodes.SecurityNotAvailable);
    expect(await user.getAuthMode()).toBe(AuthMode.PasscodeOnly);
  });

  it('throws InvalidAuthMode for an unknown mode', async () => {
    const { user } = await unlockedUser(AuthMode.PasscodeOnly);
    expect((await rejectionOf(user.setAuthMode(7 as AuthMode))).code).toBe(VaultErrorCodes.InvalidAuthMode);
  });

  it('BiometricAndPasscode → BiometricOnly: passcode off, session kept, unlocks with biometrics only', async () => {
    const { device, user } = await unlockedUser(AuthMode.BiometricAndPasscode);
    await user.setAuthMode(AuthMode.BiometricOnly);
    expect(await switches(user)).toEqual({ passcode: false, biometrics: true, inMemory: false });
    await user.lockOut();
    await user.unlock();
    expect(device.biometrics.prompts).toBe(1);
    expect(await user.restoreSession()).toEqual(alice);
  });

  it('BiometricOnly → PasscodeOnly asks for a new passcode through onPasscodeRequest(true)', async () => {
    const { user } = await unlockedUser(AuthMode.BiometricOnly);
    expect(user.argsOf('onPasscodeRequest')).toEqual([]);
    user.passcode = '2468';
    await user.setAuthMode(AuthMode.PasscodeOnly);
    expect(user.argsOf('onPasscodeRequest')).toEqual([true]);
    expect(await switches(user)).toEqual({ passcode: true, biometrics: false, inMemory: false });
    await user.lockOut();
    await user.unlock();
    expect(user.argsOf('onPasscodeRequest')).toEqual([true, false]);
    expect(await user.restoreSession()).toEqual(alice);
  });

  it('a cancelled passcode setup leaves the mode as it was', async () => {
    const { device, user } = await unlockedUser(AuthMode.BiometricOnly);
    user.passcode = undefined;
    device.passcodePrompt.respondWith(undefined);
    const error = await rejectionOf(user.setAuthMode(AuthMode.PasscodeOnly));
    expect(error.code).toBe(VaultErrorCodes.UserCanceledInteraction);
    expect(await user.getAuthMode()).toBe(AuthMode.BiometricOnly);
    expect(await user.restoreSession()).toEqual(alice);
  });

  it('PasscodeOnly → SecureStorage: persisted under the device key, unlocks without asking', async () => {
    const { device, user } = await unlockedUser(AuthMode.PasscodeOnly);
    await user.setAuthMode(AuthMode.SecureStorage);
    expect(await user.getAuthMode()).toBe(AuthMode.SecureStorage);
    await user.lockOut();
    const asked = user.argsOf('onPasscodeRequest').length;
    expect(await user.restoreSession()).toEqual(alice); // no unlockOnAccess needed: nobody is asked
    expect(user.argsOf('onPasscodeRequest')).toHaveLength(asked);
    expect(device.biometrics.prompts).toBe(0);
    expect(device.passcodePrompt.requests).toEqual([]);
  });

  it('→ InMemoryOnly deletes what is stored and keeps the session in memory', async () => {
    const { device, user } = await unlockedUser(AuthMode.BiometricAndPasscode);
    expect(Object.keys(device.storage.dump()).length).toBeGreaterThan(0);
    await user.setAuthMode(AuthMode.InMemoryOnly);
    expect(device.storage.dump()).toEqual({});
    expect(await user.getAuthMode()).toBe(AuthMode.InMemoryOnly);
    expect(await user.restoreSession()).toEqual(alice);
  });

  it('InMemoryOnly → PasscodeOnly persists the session under the new passcode', async () => {
    const { device, user } = await unlockedUser(AuthMode.InMemoryOnly);
    expect(device.storage.dump()).toEqual({});
    user.passcode = '1357';
    await user.setAuthMode(AuthMode.PasscodeOnly);
    expect(await switches(user)).toEqual({ passcode: true, biometrics: false, inMemory: false });
    expect(storageContains(device, alice.token)).toBe(false);
    device.restart();
    const again = userOn(device, { unlockOnAccess: true });
    again.passcode = '1357';
    expect(await again.restoreSession()).toEqual(alice);
  });

  it('setting the current mode changes nothing and emits no config change', async () => {
    const { user } = await unlockedUser(AuthMode.PasscodeOnly);
    await settle(user);
    const before = user.argsOf('onConfigChange').length;
    await user.setAuthMode(AuthMode.PasscodeOnly);
    await settle(user);
    expect(user.argsOf('onConfigChange')).toHaveLength(before);
  });

  it('onConfigChange reports the new mode', async () => {
    const { user } = await unlockedUser(AuthMode.BiometricAndPasscode);
    await user.setAuthMode(AuthMode.BiometricOnly);
    await settle(user);
    const last = user.argsOf('onConfigChange').at(-1);
    expect(last).toMatchObject({ authMode: AuthMode.BiometricOnly, isPasscodeSetupNeeded: false });
  });
});

describe('InMemoryOnly', () => {
  it('nothing is persisted', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.InMemoryOnly });
    await user.saveSession(alice);
    expect(device.storage.dump()).toEqual({});
    expect(user.argsOf('onPasscodeRequest')).toEqual([]);
    expect(await user.getSession()).toEqual(alice);
  });

  it('lock loses the session (LockEvent saved: false) and the vault stays usable', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.InMemoryOnly, unlockOnAccess: true });
    await user.saveSession(alice);
    await user.lockOut();
    await settle(user);
    expect(user.argsOf('onVaultLocked')).toEqual([{ saved: false, timeout: false }]);
    expect(await user.getSession()).toBeUndefined();
    expect(await user.restoreSession()).toBeUndefined();
    expect(await user.hasStoredSession()).toBe(false);
    await user.saveSession(bob);
    expect(await user.getSession()).toEqual(bob);
  });

  it('restart loses the session', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.InMemoryOnly });
    await user.saveSession(alice);
    device.restart();
    const again = userOn(device, { authMode: AuthMode.InMemoryOnly, restoreSessionOnReady: true, unlockOnAccess: true });
    await again.ready();
    expect(await again.getSession()).toBeUndefined();
    expect(await again.hasStoredSession()).toBe(false);
    expect(await again.getAuthMode()).toBe(AuthMode.InMemoryOnly);
  });
});

describe('SecureStorage', () => {
  it('persists without passcode or biometrics and restores after restart without asking', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.SecureStorage });
    await user.saveSession(alice);
    expect(storageContains(device, alice.token)).toBe(false);
    device.restart();
    const again = userOn(device, { authMode: AuthMode.SecureStorage, restoreSessionOnReady: true });
    await again.ready();
    expect(await again.getSession()).toEqual(alice);
    expect(again.argsOf('onPasscodeRequest')).toEqual([]);
    expect(device.biometrics.prompts).toBe(0);
  });
});

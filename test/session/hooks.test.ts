import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthMode } from 'identity-vault';
import { alice, newDevice, RecordingUser, settle, userOn } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('hook order and payloads', () => {
  it('a sign-in, lock and unlock call the hooks in order with their payloads', async () => {
    const device = newDevice();
    const user = userOn(device, { authMode: AuthMode.PasscodeOnly, unlockOnAccess: true });
    user.passcode = '1234';
    await user.saveSession(alice);
    await user.lockOut();
    await user.restoreSession();
    await settle(user);
    expect(user.hooks()).toEqual([
      'onVaultReady',
      'onPasscodeRequest', // set up: true
      'onConfigChange', // passcode set
      'onVaultLocked',
      'onPasscodeRequest', // unlock: false
      'onVaultUnlocked',
      'onSessionRestored',
    ]);
    expect(user.argsOf('onPasscodeRequest')).toEqual([true, false]);
    expect(user.argsOf('onConfigChange')).toEqual([
      { authMode: AuthMode.PasscodeOnly, hideScreenOnBackground: false, isPasscodeSetupNeeded: false, lockAfter: 0 },
    ]);
    expect(user.argsOf('onSessionRestored')).toEqual([alice]);
  });

  it('onConfigChange fires when the vault is cleared by logout', async () => {
    const user = userOn(newDevice(), { authMode: AuthMode.PasscodeOnly });
    user.passcode = '1234';
    await user.saveSession(alice);
    await settle(user);
    const before = user.argsOf('onConfigChange').length;
    await user.logout();
    await settle(user);
    const after = user.argsOf('onConfigChange');
    expect(after.length).toBeGreaterThan(before);
    expect(after.at(-1)).toMatchObject({ isPasscodeSetupNeeded: true });
  });
});

describe('hooks cannot break the vault', () => {
  class ThrowingUser extends RecordingUser {
    override onVaultLocked(): void {
      throw new Error('app bug in onVaultLocked');
    }
    override async onSessionRestored(): Promise<void> {
      throw new Error('app bug in onSessionRestored');
    }
  }

  it('a throwing or rejecting hook is reported and the operation goes on', async () => {
    const device = newDevice();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const user = new ThrowingUser({ ready: async () => undefined }, { plugin: device.plugin, authMode: AuthMode.SecureStorage });
    await user.saveSession(alice);
    await user.lockOut();
    expect(await user.restoreSession()).toEqual(alice);
    await settle(user);
    const messages = errors.mock.calls.map((call) => String(call[1]));
    expect(messages).toContain('Error: app bug in onVaultLocked');
    expect(messages).toContain('Error: app bug in onSessionRestored');
  });

  it('a hook may call the user back without deadlocking setup', async () => {
    const device = newDevice();
    const seen: unknown[] = [];
    class CallingBack extends RecordingUser {
      override onVaultReady(): void {
        void this.getAuthMode().then((mode) => seen.push(mode));
      }
    }
    const user = new CallingBack({ ready: async () => undefined }, { plugin: device.plugin, authMode: AuthMode.PasscodeOnly });
    await user.ready();
    await settle(user);
    expect(seen).toEqual([AuthMode.PasscodeOnly]);
  });

  it('onPasscodeRequest may ask the user object for state while the ready-time unlock waits for it', async () => {
    const device = newDevice();
    const first = userOn(device, { authMode: AuthMode.PasscodeOnly });
    first.passcode = '1234';
    await first.saveSession(alice);
    device.restart();
    class Asking extends RecordingUser {
      override async onPasscodeRequest(): Promise<string> {
        await this.getBiometricType();
        await this.isPasscodeEnabled();
        return '1234';
      }
    }
    const user = new Asking({ ready: async () => undefined }, { plugin: device.plugin, restoreSessionOnReady: true, unlockOnAccess: true });
    await user.ready();
    expect(await user.getSession()).toEqual(alice);
  });
});

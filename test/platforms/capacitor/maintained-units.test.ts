/**
 * The native plugin platform, piece by piece: the error mapping of each OS's codes, the
 * lifecycle filter, what is asked of each plugin (one `getSecureData` per unlock, the Keychain
 * options), invalidation the way each OS does it, the store's atomicity and install binding.
 * Fakes: test/platforms/capacitor/maintained/ (written from the plugins' native sources).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VaultErrorCodes } from 'identity-vault';
import { createPlugin } from 'identity-vault/platform';
import { biometricErrorCode, fromBiometricError, unavailableError } from '../../../src/capacitor/biometric-errors.js';
import { lifecycleFilter, type RawAppEvent } from '../../../src/capacitor/app-lifecycle.js';
import type { NativeOS, PluginPlatform } from 'identity-vault/capacitor';
import { createPluginPlatform } from '../../../src/capacitor/plugin-platform.js';
import { SimulatedClock } from 'identity-vault/testing';
import { FakeMaintainedDevice } from './maintained/fake-device.js';

const rejection = (code: string | number | undefined, message = 'native message') => Object.assign(new Error(message), code === undefined ? {} : { code });
const descriptor = { vaultId: 'units', username: 'ada' };
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

async function phone(os: NativeOS) {
  const device = await FakeMaintainedDevice.create(os);
  const clock = new SimulatedClock(Date.now());
  let platform: PluginPlatform = createPluginPlatform(device.plugins(), { passcodePrompt: device.passcodePrompt, clock });
  const relaunch = async (kill: { beforeApplyReachedDisk?: boolean } = {}) => {
    await platform.dispose();
    device.killApp(kill);
    platform = createPluginPlatform(device.plugins(), { passcodePrompt: device.passcodePrompt, clock });
    return platform;
  };
  return { device, clock, platform: () => platform, relaunch };
}

async function biometricVault(os: NativeOS) {
  const p = await phone(os);
  const vault = createPlugin(p.platform()).getVault(descriptor);
  await vault.setPasscodeEnabled(true);
  await vault.setPasscode('1234');
  await vault.setBiometricsEnabled(true);
  await vault.storeValue('session', { token: 't' });
  await vault.lock();
  return { ...p, vault };
}

describe('biometric error mapping (each OS, each code)', () => {
  const cases: Array<[string, NativeOS, string | number | undefined, string, boolean, VaultErrorCodes]> = [
    ['iOS user cancel (errSecUserCanceled)', 'ios', '16', 'User canceled biometric authentication', false, VaultErrorCodes.UserCanceledInteraction],
    ['iOS app cancel', 'ios', '11', 'x', false, VaultErrorCodes.UserCanceledInteraction],
    ['iOS user fallback', 'ios', '17', 'x', false, VaultErrorCodes.UserCanceledInteraction],
    ['Android system cancel / timeout', 'android', '15', 'Timeout', false, VaultErrorCodes.UserCanceledInteraction],
    ['Android negative button', 'android', '16', 'Use passcode', false, VaultErrorCodes.UserCanceledInteraction],
    ['a numeric code', 'android', 16, 'x', false, VaultErrorCodes.UserCanceledInteraction],
    ['iOS not recognised (errSecAuthFailed)', 'ios', '10', 'Biometric authentication failed', false, VaultErrorCodes.AuthFailed],
    ['Android one unrecognised finger (maxAttempts 1)', 'android', '4', 'Too many failed attempts', false, VaultErrorCodes.AuthFailed],
    ['Android temporary lockout', 'android', '4', 'Too many attempts. Try again later.', false, VaultErrorCodes.AuthFailed],
    ['Android permanent lockout', 'android', '2', 'Too many attempts. Use screen lock instead.', false, VaultErrorCodes.AuthFailed],
    ['iOS lockout', 'ios', '2', 'x', false, VaultErrorCodes.AuthFailed],
    ['no hardware', 'android', '1', 'x', false, VaultErrorCodes.SecurityNotAvailable],
    ['none enrolled', 'android', '3', 'x', false, VaultErrorCodes.SecurityNotAvailable],
    ['no device passcode', 'ios', '14', 'x', false, VaultErrorCodes.SecurityNotAvailable],
    ['iOS not interactive', 'ios', '13', 'x', false, VaultErrorCodes.SecurityNotAvailable],
    ['not found, never stored', 'ios', '21', 'No protected data found for key', false, VaultErrorCodes.KeyNotFound],
    ['iOS not found, but stored: re-enrolment', 'ios', '21', 'No protected data found for key', true, VaultErrorCodes.InvalidatedCredential],
    ['Android not found after the invalidation cleanup', 'android', '21', 'No protected data found', true, VaultErrorCodes.InvalidatedCredential],
    ['Android re-enrolment ("0" + message)', 'android', '0', 'Biometric enrollment changed', false, VaultErrorCodes.InvalidatedCredential],
    ['iOS other OSStatus', 'ios', '0', 'Failed to retrieve data: -25308', false, VaultErrorCodes.SecurityNotAvailable],
    ['Android crypto object unavailable', 'android', '0', 'Biometric crypto object unavailable', false, VaultErrorCodes.SecurityNotAvailable],
    ['no code at all (activity lost)', 'android', undefined, 'Authentication failed', false, VaultErrorCodes.SecurityNotAvailable],
    ['an unknown code', 'ios', '99', 'x', false, VaultErrorCodes.SecurityNotAvailable],
  ];
  for (const [name, os, code, message, itemWasStored, expected] of cases) {
    it(`${name} → ${VaultErrorCodes[expected]}`, () => {
      expect(biometricErrorCode(rejection(code, message), { itemWasStored })).toBe(expected);
      const error = fromBiometricError(rejection(code, message), { os, itemWasStored, action: 'Biometric unlock' });
      expect(error.code).toBe(expected);
      expect(error.message).toContain(`${os} code ${code ?? 'none'}`);
      // The plugin's text rides along as cause, never in our message (core/errors.ts).
      if (message !== 'x') expect(error.message).not.toContain(message);
      expect((error.cause as Error).message).toBe(message);
    });
  }
  it('lockout messages say which lockout it was', () => {
    expect(fromBiometricError(rejection('2'), { os: 'android', action: 'a' }).message).toContain('permanent lockout');
    expect(fromBiometricError(rejection('4'), { os: 'android', action: 'a' }).message).toContain('temporary lockout');
  });
  it('isAvailable() reasons: lockout is AuthFailed (use the passcode), the rest SecurityNotAvailable', () => {
    expect(unavailableError(2, 'ios', 'a').code).toBe(VaultErrorCodes.AuthFailed);
    expect(unavailableError(4, 'android', 'a').code).toBe(VaultErrorCodes.AuthFailed);
    for (const code of [1, 3, 14, 0, undefined]) expect(unavailableError(code, 'ios', 'a').code).toBe(VaultErrorCodes.SecurityNotAvailable);
  });
});

describe('lifecycle filter', () => {
  const run = (os: NativeOS, events: RawAppEvent[]) => {
    const filter = lifecycleFilter(os);
    return events.map((event) => filter.accept(event)).filter((e) => e !== undefined);
  };
  const pause = { name: 'pause' } as const;
  const resume = { name: 'resume' } as const;
  const active = (isActive: boolean) => ({ name: 'appStateChange', isActive }) as const;

  it('iOS: background and foreground from pause/resume in their real order; resign active ignored, become active a repeat', () => {
    expect(run('ios', [active(false), pause, resume, active(true)])).toEqual(['background', 'foreground']);
  });
  it('iOS: the Face ID sheet (resign/become active only) is not backgrounding', () => {
    expect(run('ios', [active(false), active(true), active(false), active(true)])).toEqual([]);
  });
  it('iOS: an app that started inactive (getState false) is in front once it becomes active, though no resume follows', () => {
    const filter = lifecycleFilter('ios', true);
    expect(filter.accept(active(true))).toBe('foreground');
    expect(filter.background).toBe(false);
  });
  it('Android: the biometric prompt activity (pause, then isActive true + resume) is not backgrounding', () => {
    expect(run('android', [pause, active(true), resume])).toEqual([]);
  });
  it('Android: onPause then onStop is one background; onResume is one foreground', () => {
    expect(run('android', [pause, active(false), active(true), resume])).toEqual(['background', 'foreground']);
  });
  it('repeated events are dropped on both', () => {
    expect(run('ios', [pause, pause, resume, resume, pause])).toEqual(['background', 'foreground', 'background']);
    expect(run('android', [active(false), active(false), active(true), active(true)])).toEqual(['background', 'foreground']);
  });
  it('malformed appStateChange payloads are ignored', () => {
    expect(
      run('android', [
        { name: 'appStateChange', isActive: 'no' },
        { name: 'appStateChange', isActive: undefined },
      ]),
    ).toEqual([]);
  });
});

for (const os of ['ios', 'android'] as const) {
  describe(`the plugin platform on ${os} fakes`, () => {
    it('each unlock asks isAvailable() first and makes exactly one getSecureData; verifyIdentity is never used', async () => {
      const { device, vault } = await biometricVault(os);
      const setData = device.biometric.calls.find((c) => c.method === 'setData');
      expect(setData?.options).toMatchObject({ accessControl: 1, authValidityDuration: 0 });
      device.biometric.calls.length = 0;
      await vault.unlock(false);
      expect(await vault.getValue('session')).toEqual({ token: 't' });
      const methods = device.biometric.calls.map((c) => c.method);
      expect(methods.filter((m) => m === 'getSecureData')).toHaveLength(1);
      expect(methods.indexOf('isAvailable')).toBeLessThan(methods.indexOf('getSecureData'));
      expect(methods).not.toContain('verifyIdentity');
    });

    it('the system prompt does not count as backgrounding (no lock timer, no event)', async () => {
      const { device, vault, platform } = await biometricVault(os);
      const seen: string[] = [];
      platform().lifecycle.subscribe((event) => seen.push(event));
      device.app.sent.length = 0;
      await vault.unlock(false);
      expect(device.app.sent.length).toBeGreaterThan(0); // the prompt did fire App events
      expect(device.app.sent).toContain(os === 'ios' ? 'appStateChange:{"isActive":false}' : 'pause');
      expect(seen).toEqual([]);
      expect(platform().lifecycle.isInBackground()).toBe(false);
    });

    it('re-enrolment invalidates the credential the way the OS does; the passcode still opens the vault', async () => {
      const { device, vault } = await biometricVault(os);
      device.reenroll();
      await expect(vault.unlock(false)).rejects.toMatchObject({ code: VaultErrorCodes.InvalidatedCredential });
      // Android deleted the item after reporting "0"; iOS still answers "not found": both stay invalidated.
      expect(device.biometric.items.size).toBe(os === 'android' ? 0 : 1);
      await expect(vault.unlock(false)).rejects.toMatchObject({ code: VaultErrorCodes.InvalidatedCredential });
      await vault.unlock(true, '1234');
      expect(await vault.getValue('session')).toEqual({ token: 't' });
    });

    it('a credential that never existed (or was removed) is KeyNotFound', async () => {
      const { platform } = await phone(os);
      const { credential } = await platform().biometrics.enroll(descriptor);
      await platform().biometrics.remove({ credential });
      await expect(platform().biometrics.keyForUnwrap({ credential })).rejects.toMatchObject({ code: VaultErrorCodes.KeyNotFound });
      await expect(platform().biometrics.keyForUnwrap({ credential: { kind: 'other', key: 'x' } })).rejects.toMatchObject({
        code: VaultErrorCodes.KeyNotFound,
      });
    });

    it('no hardware and no enrolment are SecurityNotAvailable, found by isAvailable() before any prompt', async () => {
      const { device, vault } = await biometricVault(os);
      for (const change of [() => (device.biometric.hardware = false), () => (device.biometric.enrolled = false)]) {
        device.biometric.hardware = true;
        device.biometric.enrolled = true;
        change();
        device.biometric.calls.length = 0;
        await expect(vault.unlock(false)).rejects.toMatchObject({ code: VaultErrorCodes.SecurityNotAvailable });
        expect(device.biometric.calls.map((c) => c.method)).not.toContain('getSecureData');
        expect(await vault.isBiometricsAvailable()).toBe(false);
      }
    });

    it('lockout after 5 failures is AuthFailed and the passcode still works', async () => {
      const { device, vault } = await biometricVault(os);
      device.respondWith('fail');
      for (let i = 0; i < 5; i++) await expect(vault.unlock(false)).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed });
      const locked = await vault.unlock(false).catch((e: unknown) => e);
      expect(locked).toMatchObject({ code: VaultErrorCodes.AuthFailed });
      expect((locked as Error).message).toMatch(/lock/);
      if (os === 'android') {
        device.biometric.permanentLockout = true;
        const permanent = await vault.unlock(false).catch((e: unknown) => e);
        expect(permanent).toMatchObject({ code: VaultErrorCodes.AuthFailed });
        expect((permanent as Error).message).toContain('permanent lockout');
      }
      await vault.unlock(true, '1234');
      expect(await vault.isLocked()).toBe(false);
    });

    it('Keychain/Keystore items are ThisDeviceOnly and never synchronised', async () => {
      const { device, vault } = await biometricVault(os);
      await vault.unlock(true, '1234');
      await vault.setPasscodeEnabled(false); // device key
      await vault.setBiometricsEnabled(false);
      const names = [...device.secureStorage.items.keys()];
      expect(names.some((n) => n.endsWith('device-key'))).toBe(true);
      expect(names.some((n) => n.endsWith('install-id'))).toBe(true);
      for (const item of device.secureStorage.items.values()) {
        expect(item.sync).toBe(false);
        if (os === 'ios') expect(item.access).toBe(1); // kSecAttrAccessibleWhenUnlockedThisDeviceOnly
      }
    });

    it('a commit is all or nothing: a failure in the middle writes nothing', async () => {
      const { device, platform } = await phone(os);
      const store = platform().store;
      await store.commit({ put: [['a', { v: 1 }]] });
      device.sqlite.failAfterStatements = 1;
      await expect(store.commit({ delete: ['a'], put: [['b', { v: 2 }]] })).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
      expect(await store.get('a')).toEqual({ v: 1 });
      expect(await store.get('b')).toBeUndefined();
    });

    it('prefixes are literal and case-sensitive (never LIKE)', async () => {
      const { platform } = await phone(os);
      const store = platform().store;
      await store.commit({
        put: [
          ['a%1', { v: 1 }],
          ['ab', { v: 2 }],
          ['A_c', { v: 3 }],
          ['a_c', { v: 4 }],
        ],
      });
      expect((await store.keys('a%')).sort()).toEqual(['a%1']);
      expect((await store.keys('a_')).sort()).toEqual(['a_c']);
      expect(await store.hasPrefix('A')).toBe(true);
      await store.commit({ deletePrefixes: ['a_'] });
      expect((await store.keys('')).sort()).toEqual(['A_c', 'a%1', 'ab']);
    });

    it('a WebView reload finds the native connection still open and carries on', async () => {
      const { device, platform } = await phone(os);
      await platform().store.commit({ put: [['k', { v: 1 }]] });
      const again = createPluginPlatform(device.plugins(), { passcodePrompt: device.passcodePrompt });
      expect(await again.store.get('k')).toEqual({ v: 1 });
      await again.dispose();
    });

    it('a database restored from a backup (another device, or after a reinstall) is discarded, not trusted', async () => {
      const { device, relaunch } = await biometricVault(os);
      device.secureStorage.restoreElsewhere();
      const platform = await relaunch();
      expect(await platform.store.keys('')).toEqual([]);
      const fresh = createPlugin(platform).getVault(descriptor);
      expect(await fresh.getValue('session')).toBeUndefined();
    });

    it('the privacy screen is enabled while in the foreground, so the app-switcher snapshot is covered', async () => {
      const { device, platform } = await phone(os);
      const vault = createPlugin(platform()).getVault({ ...descriptor, hideScreenOnBackground: true });
      await vault.isLocked();
      await tick();
      expect(device.privacyScreen.calls).toEqual(['enable']);
      expect(device.app.active).toBe(true);
      device.app.background();
      expect(device.privacyScreen.snapshots).toEqual([true]);
    });
  });
}

describe('what each OS does that the other does not', () => {
  it('iOS: with the privacy screen on, the Face ID sheet covers the app too (a known limit)', async () => {
    const { device, vault, platform } = await biometricVault('ios');
    createPlugin(platform()).getVault({ ...descriptor, vaultId: 'cover', hideScreenOnBackground: true });
    await vault.isLocked();
    await tick();
    let coveredDuringPrompt = false;
    const original = device.app.overlayShown.bind(device.app);
    device.app.overlayShown = () => {
      original();
      coveredDuringPrompt = device.privacyScreen.covering;
    };
    await vault.unlock(false);
    expect(coveredDuringPrompt).toBe(true);
    expect(device.privacyScreen.covering).toBe(false);
  });

  it('Android: weak-only biometrics (Class 2 face) cannot release a key: not available', async () => {
    const { device, platform } = await phone('android');
    device.biometric.weakOnly = true;
    expect(await platform().biometrics.availability()).toEqual({ available: false, type: 'none' });
    await expect(platform().biometrics.enroll(descriptor)).rejects.toMatchObject({ code: VaultErrorCodes.SecurityNotAvailable });
  });

  it('Android: on an OEM Keystore that rejects enrolment binding, the plugin falls back and re-enrolment no longer invalidates (a known limit)', async () => {
    const p = await phone('android');
    p.device.biometric.oemRejectsEnrolmentBinding = true;
    const vault = createPlugin(p.platform()).getVault(descriptor);
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('1234');
    await vault.setBiometricsEnabled(true);
    await vault.lock();
    p.device.reenroll();
    await vault.unlock(false);
    expect(await vault.isLocked()).toBe(false);
  });

  it('Android: a crash before SharedPreferences.apply() reached the disk loses the install id entry, but its Keystore key shows this install wrote it: the database is kept and the id written again', async () => {
    const p = await phone('android');
    await p.platform().store.commit({ put: [['k', { v: 1 }]] });
    let platform = await p.relaunch({ beforeApplyReachedDisk: true });
    expect(await platform.store.get('k')).toEqual({ v: 1 });
    expect(p.device.secureStorage.items.has('identity-vault.install-id')).toBe(true);
    platform = await p.relaunch();
    expect(await platform.store.get('k')).toEqual({ v: 1 });
  });

  it('iOS: secrets released by getSecureData are never the ones a rejected call carries', async () => {
    const { device, vault } = await biometricVault('ios');
    device.respondWith('cancel');
    const error = await vault.unlock(false).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: VaultErrorCodes.UserCanceledInteraction });
    const secret = [...device.biometric.items.values()][0]!.value;
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(String((error as Error).message)).not.toContain(secret);
  });
});

describe('no DOM in the native platform', () => {
  it('its modules use no window, document, indexedDB or localStorage (the passcode dialog is imported lazily, only when shown)', () => {
    for (const file of [
      'plugin-apis',
      'plugin-platform',
      'plugin-biometrics',
      'plugin-device-key',
      'keychain-items',
      'sqlite-store',
      'app-lifecycle',
      'biometric-errors',
    ]) {
      const source = readFileSync(new URL(`../../../src/capacitor/${file}.ts`, import.meta.url), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      expect(source, file).not.toMatch(/\bwindow\b|\bdocument\b|\bindexedDB\b|\blocalStorage\b|\bsessionStorage\b/);
    }
  });
});

/**
 * The Identity Vault 5.x/6.x `Vault` on SimulatedDevice: the behaviours issue 14 lists under
 * "Behaviour to get exactly right" and "Easy to miss", each against the reference.
 */
import { describe, expect, it, vi } from 'vitest';
import { BrowserVault, DeviceSecurityType, Vault, VaultError, VaultErrorCodes, VaultType, type IdentityVaultConfig, type VaultLockEvent } from 'identity-vault';
import { VaultEngine } from '../../src/core/vault-engine.js';
import { codeOf, configFor, settle, useSimulatedDevice } from './helpers.js';

async function customPasscodeVault(passcode = '1234', overrides: Partial<IdentityVaultConfig> = {}) {
  const device = useSimulatedDevice();
  const vault = new Vault();
  await vault.initialize(configFor({ type: VaultType.CustomPasscode, deviceSecurityType: DeviceSecurityType.None, ...overrides }));
  const requests: boolean[] = [];
  vault.onPasscodeRequested(async (isPasscodeSetRequest, onComplete) => {
    requests.push(isPasscodeSetRequest);
    onComplete(passcode);
  });
  await vault.setValue('session', { token: 'abc' });
  return { device, vault, requests };
}

describe('Vault: existence, locking, values', () => {
  it('isLocked() is true for a vault that does not exist yet, and a missing key gives null', async () => {
    useSimulatedDevice();
    const vault = new Vault(configFor());
    expect(await vault.doesVaultExist()).toBe(false);
    expect(await vault.isLocked()).toBe(true);
    expect(await vault.isEmpty()).toBe(true);
    expect(await vault.getValue('nothing')).toBeNull();
    await vault.setValue('a', 1);
    expect(await vault.doesVaultExist()).toBe(true);
    expect(await vault.isLocked()).toBe(false);
    expect(await vault.getValue<number>('a')).toBe(1);
  });

  it('keeps values encrypted: the stored bytes never contain them', async () => {
    const device = useSimulatedDevice();
    const vault = new Vault(configFor());
    await vault.setValue('session', { token: 'CANARY-5x-token' });
    expect(device.storage.dumpText()).not.toContain('CANARY-5x-token');
  });

  it('getKeys, removeValue, exportVault, importVault (atomic replace) and clear', async () => {
    useSimulatedDevice();
    const vault = new Vault(configFor());
    await vault.setValue('a', 'x');
    await vault.setValue('b', { n: 2 });
    expect((await vault.getKeys()).sort()).toEqual(['a', 'b']);
    await vault.removeValue('a');
    expect(await vault.getKeys()).toEqual(['b']);
    expect(await vault.exportVault()).toEqual({ b: { n: 2 } });
    await vault.importVault({ c: [1, 2], d: 'y' });
    expect(await vault.exportVault()).toEqual({ c: [1, 2], d: 'y' });
    await vault.removeValue('c');
    await vault.removeValue('d');
    expect(await vault.isEmpty()).toBe(true);
    expect(await vault.doesVaultExist()).toBe(true); // removing every value does not make it vanish
    await vault.clear();
    expect(await vault.doesVaultExist()).toBe(false);
  });

  it('an InMemory vault drops everything on lock; a SecureStorage vault never locks', async () => {
    useSimulatedDevice();
    const memory = new Vault(configFor({ type: VaultType.InMemory }));
    await memory.setValue('a', 1);
    await memory.lock();
    expect(await memory.getValue('a')).toBeNull();
    expect(await memory.isLocked()).toBe(false);

    const secure = new Vault(configFor({ type: VaultType.SecureStorage, lockAfterBackgrounded: 10 }));
    await secure.setValue('a', 1);
    await secure.lock();
    expect(await secure.isLocked()).toBe(false);
    expect(await secure.getValue('a')).toBe(1);
  });

  it('SecureStorage values survive a restart and are read without asking anyone', async () => {
    const device = useSimulatedDevice();
    const config = configFor();
    await new Vault(config).setValue('a', 'kept');
    device.restart();
    const again = new Vault(config);
    expect(await again.getValue('a')).toBe('kept');
    expect(device.passcodePrompt.requests).toEqual([]);
    expect(device.biometrics.prompts).toBe(0);
  });

  it('bad input rejects with InvalidArguments and changes nothing', async () => {
    useSimulatedDevice();
    const vault = new Vault(configFor());
    await vault.setValue('a', 1);
    expect(await codeOf(vault.setValue('', 1))).toBe('InvalidArguments');
    expect(await codeOf(vault.setValue('b', () => 1))).toBe('InvalidArguments');
    expect(await codeOf(vault.getValue(42 as unknown as string))).toBe('InvalidArguments');
    expect(await codeOf(vault.importVault(null as unknown as Record<string, unknown>))).toBe('InvalidArguments');
    expect(await codeOf(vault.updateConfig({ key: 'x', type: 'Bogus' as VaultType }))).toBe('InvalidArguments');
    expect(await codeOf(vault.initialize({} as IdentityVaultConfig))).toBe('InvalidArguments');
    expect(await vault.exportVault()).toEqual({ a: 1 });
  });

  it('a call before any config rejects with VaultUnavailable', async () => {
    useSimulatedDevice();
    expect(await codeOf(new Vault().getValue('a'))).toBe('VaultUnavailable');
  });
});

describe('Vault: config', () => {
  it('config is typed, filled with the defaults, and writable', async () => {
    useSimulatedDevice();
    const vault = new Vault();
    expect(vault.config.key).toBe('');
    const config = configFor({ type: VaultType.CustomPasscode });
    await vault.initialize(config);
    expect(vault.config).toMatchObject({
      key: config.key,
      type: VaultType.CustomPasscode,
      deviceSecurityType: DeviceSecurityType.None,
      customPasscodeInvalidUnlockAttempts: 5,
    });
    vault.config = { ...vault.config, lockAfterBackgrounded: 99 }; // specs assign it
    expect(vault.config.lockAfterBackgrounded).toBe(99);
  });

  it('DeviceSecurity with None becomes Both, as the reference does', async () => {
    useSimulatedDevice();
    const vault = new Vault(configFor({ type: VaultType.DeviceSecurity, deviceSecurityType: DeviceSecurityType.None }));
    expect(vault.config.deviceSecurityType).toBe(DeviceSecurityType.Both);
    await vault.updateConfig({ ...vault.config, type: VaultType.DeviceSecurity, deviceSecurityType: DeviceSecurityType.None });
    expect(vault.config.deviceSecurityType).toBe(DeviceSecurityType.Both);
    const custom = new Vault(configFor({ type: VaultType.CustomPasscode, deviceSecurityType: DeviceSecurityType.None }));
    expect(custom.config.deviceSecurityType).toBe(DeviceSecurityType.None);
  });

  it('the saved config wins over the one passed to initialize', async () => {
    const device = useSimulatedDevice();
    const config = configFor({ type: VaultType.SecureStorage, lockAfterBackgrounded: 1000 });
    const first = new Vault();
    await first.initialize(config);
    await first.updateConfig({
      ...first.config,
      type: VaultType.DeviceSecurity,
      deviceSecurityType: DeviceSecurityType.Biometrics,
      lockAfterBackgrounded: 5000,
    });
    await first.setValue('a', 1);
    device.restart();
    const second = new Vault();
    await second.initialize(config);
    expect(second.config).toMatchObject({ type: VaultType.DeviceSecurity, deviceSecurityType: DeviceSecurityType.Biometrics, lockAfterBackgrounded: 5000 });
    expect(await second.isLocked()).toBe(true);
    expect(await second.getValue('a')).toBe(1); // unlocked first, with biometrics
    expect(device.biometrics.prompts).toBe(1);
  });

  it('onConfigChanged gets the new config; a failed updateConfig keeps the old one', async () => {
    useSimulatedDevice({ biometricType: 'none' });
    const vault = new Vault(configFor());
    const changes: IdentityVaultConfig[] = [];
    vault.onConfigChanged((config) => changes.push(config));
    await vault.setValue('a', 1);
    await vault.updateConfig({ ...vault.config, lockAfterBackgrounded: 10 });
    expect(changes.map((c) => c.lockAfterBackgrounded)).toEqual([10]);
    expect(await codeOf(vault.updateConfig({ ...vault.config, type: VaultType.DeviceSecurity }))).toBe('SecurityNotAvailable');
    expect(vault.config.type).toBe(VaultType.SecureStorage);
    expect(await vault.getValue('a')).toBe(1);
    expect(changes).toHaveLength(1);
  });
});

describe('Vault: custom passcode', () => {
  it('6.0: onPasscodeRequested(isPasscodeSetRequest, onComplete); the call that asked continues', async () => {
    const { device, vault, requests } = await customPasscodeVault('1234');
    expect(requests).toEqual([true]);
    await vault.lock();
    expect(await vault.isLocked()).toBe(true);
    expect(await vault.getValue('session')).toEqual({ token: 'abc' }); // unlocks first
    expect(requests).toEqual([true, false]);
    expect(device.passcodePrompt.requests).toEqual([]); // the app's dialog, not the built-in one
  });

  it('5.x: the callback answers with setCustomPasscode', async () => {
    useSimulatedDevice();
    const vault = new Vault(configFor({ type: VaultType.CustomPasscode }));
    vault.onPasscodeRequested(async () => {
      await settle();
      void vault.setCustomPasscode('9999');
    });
    await vault.setValue('a', 1);
    await vault.lock();
    expect(await vault.getValue('a')).toBe(1);
  });

  it('a passcode given before the operation is used without calling back', async () => {
    const { vault, requests } = await customPasscodeVault('1234');
    await vault.lock();
    await vault.setCustomPasscode('1234');
    await vault.unlock();
    expect(requests).toEqual([true]);
    expect(await vault.isLocked()).toBe(false);
  });

  it('lock() drops a passcode given ahead: the next unlock asks', async () => {
    const { vault, requests } = await customPasscodeVault('1234');
    await vault.setCustomPasscode('1234');
    await vault.lock();
    await vault.unlock();
    expect(requests).toEqual([true, false]);
  });

  it("an empty passcode ('') cancels and a wrong one is AuthFailed; neither hangs", async () => {
    const { vault } = await customPasscodeVault('1234');
    await vault.lock();
    vault.onPasscodeRequested((_isSet, onComplete) => onComplete(''));
    expect(await codeOf(vault.unlock())).toBe('UserCanceledInteraction');
    await vault.setCustomPasscode('');
    expect(await codeOf(vault.getValue('session'))).toBe('UserCanceledInteraction');
    vault.onPasscodeRequested((_isSet, onComplete) => onComplete('0000'));
    expect(await codeOf(vault.unlock())).toBe('AuthFailed');
    expect(await vault.isLocked()).toBe(true);
  });

  it('isLocked() answers while the user is being asked', async () => {
    const { vault } = await customPasscodeVault('1234');
    await vault.lock();
    let answer!: (code: string) => void;
    vault.onPasscodeRequested((_isSet, onComplete) => {
      answer = onComplete;
    });
    const reading = vault.getValue('session');
    await settle();
    expect(await vault.isLocked()).toBe(true);
    answer('1234');
    expect(await reading).toEqual({ token: 'abc' });
  });

  it('after too many failed attempts the vault is cleared, then onError fires, and the cleared vault still answers', async () => {
    const { device, vault } = await customPasscodeVault('1234', { shouldClearVaultAfterTooManyFailedAttempts: true, customPasscodeInvalidUnlockAttempts: 2 });
    await vault.lock();
    vault.onPasscodeRequested((_isSet, onComplete) => onComplete('0000'));
    const seen: Array<{ code: string; existed: boolean }> = [];
    vault.onError((error) => {
      // Record synchronously whether the vault was already cleared when onError fired: its saved
      // config record (what doesVaultExist reports) is still in storage or is gone.
      const existed = Object.keys(device.storage.dump()).some((key) => key.endsWith('/config/v/config'));
      seen.push({ code: VaultErrorCodes[error.code], existed });
    });
    expect(await codeOf(vault.unlock())).toBe('AuthFailed');
    expect(await codeOf(vault.unlock())).toBe('TooManyFailedAttempts');
    expect(seen).toEqual([
      { code: 'AuthFailed', existed: true },
      { code: 'TooManyFailedAttempts', existed: false },
    ]);
    expect(await vault.doesVaultExist()).toBe(false);
    expect(await vault.isEmpty()).toBe(true);
    expect(await vault.getValue('session')).toBeNull();
    vault.onPasscodeRequested((_isSet, onComplete) => onComplete('5678'));
    await vault.setValue('session', { token: 'new' }); // asks for a new passcode
    await vault.lock();
    expect(await vault.getValue('session')).toEqual({ token: 'new' });
  });

  it('without onPasscodeRequested the platform’s built-in prompt asks', async () => {
    const device = useSimulatedDevice();
    device.passcodePrompt.respondWith('2468');
    const vault = new Vault(configFor({ type: VaultType.CustomPasscode }));
    await vault.setValue('a', 1);
    await vault.lock();
    expect(await vault.getValue('a')).toBe(1);
    expect(device.passcodePrompt.requests).toEqual(['setup', 'confirm', 'unlock']);
  });
});

describe('Vault: events, background, ordering', () => {
  it('onLock / onUnlock fire; lockAfterBackgrounded locks after that long in the background', async () => {
    const device = useSimulatedDevice();
    const vault = new Vault(configFor({ type: VaultType.DeviceSecurity, deviceSecurityType: DeviceSecurityType.Biometrics, lockAfterBackgrounded: 2000 }));
    const locks: VaultLockEvent[] = [];
    let unlocks = 0;
    vault.onLock((event) => locks.push(event));
    vault.onUnlock(() => unlocks++);
    await vault.setValue('a', 1);
    device.sendToBackground();
    device.advanceTime(1999);
    expect(await vault.isLocked()).toBe(false);
    device.advanceTime(1);
    await settle();
    expect(locks).toEqual([{ timeout: true, saved: true }]);
    device.bringToForeground();
    expect(await vault.getValue('a')).toBe(1);
    expect(unlocks).toBe(1);
  });

  it('onError fires for rejected calls', async () => {
    useSimulatedDevice();
    const vault = new Vault(configFor());
    const errors: VaultError[] = [];
    vault.onError((error) => errors.push(error));
    await vault.setValue('', 1).catch(() => undefined);
    expect(errors.map((e) => VaultErrorCodes[e.code])).toEqual(['InvalidArguments']);
  });

  it('calls fired without awaiting take effect in call order', async () => {
    useSimulatedDevice();
    const vault = new Vault();
    const config = configFor();
    void vault.initialize(config);
    void vault.setValue('n', 1);
    void vault.updateConfig({ ...config, type: VaultType.InMemory });
    void vault.setValue('n', 2);
    const value = { step: 3 };
    void vault.setValue('o', value);
    value.step = 4; // the value as it was at call time is stored
    expect(await vault.getValue('n')).toBe(2);
    expect(await vault.getValue('o')).toEqual({ step: 3 });
    expect(vault.config.type).toBe(VaultType.InMemory);
  });

  // getValue's fast path (src/vault-api/vault.ts): with nothing queued it reads at once, but holds
  // the queue like any call, so the order of calls fired without awaiting stays the call order.
  it('a getValue with nothing queued still goes before a setValue called after it', async () => {
    useSimulatedDevice();
    const vault = new Vault(configFor());
    await vault.setValue('n', 1);
    const read = vault.getValue('n');
    const write = vault.setValue('n', 2);
    const readAgain = vault.getValue('n');
    expect(await read).toBe(1);
    await write;
    expect(await readAgain).toBe(2);
  });

  // setValue's fast path (src/vault-api/vault.ts): with nothing queued, on an unlocked vault secured
  // as configured, it goes straight to the engine; the order and the call-time value stay.
  it('a setValue with nothing queued stores the value as it was at call time, before calls made after it', async () => {
    const device = useSimulatedDevice();
    const vault = new Vault(configFor());
    await vault.setValue('n', 0);
    const commits = device.storage.writes;
    const asked = vi.spyOn(VaultEngine.prototype, 'getConfig');
    await vault.setValue('n', 'alone');
    expect(asked).not.toHaveBeenCalled(); // the fast path: no queued look at the configuration
    asked.mockRestore();
    const value = { step: 1 };
    const write = vault.setValue('n', value);
    value.step = 2;
    const read = vault.getValue('n');
    const remove = vault.removeValue('n');
    const readAfterRemove = vault.getValue('n');
    await write;
    expect(await read).toEqual({ step: 1 });
    await remove;
    expect(await readAfterRemove).toBeNull();
    expect(device.storage.writes).toBe(commits + 3); // the values, then the removal: nothing else written
  });

  it('a setValue with nothing queued: a bad key or value is InvalidArguments, reported once to onError, nothing written', async () => {
    const device = useSimulatedDevice();
    const vault = new Vault(configFor());
    await vault.setValue('n', 1);
    const errors: VaultError[] = [];
    vault.onError((error) => errors.push(error));
    const commits = device.storage.writes;
    expect(await codeOf(vault.setValue('', 1))).toBe('InvalidArguments');
    expect(await codeOf(vault.setValue('n', new Date()))).toBe('InvalidArguments');
    expect(errors.map((e) => VaultErrorCodes[e.code])).toEqual(['InvalidArguments', 'InvalidArguments']);
    expect(device.storage.writes).toBe(commits);
    expect(await vault.getValue('n')).toBe(1);
  });

  it('a setValue with nothing queued that the store fails: a VaultError to the caller and to onError, the old value kept', async () => {
    const device = useSimulatedDevice();
    const vault = new Vault(configFor());
    await vault.setValue('n', 1);
    const errors: VaultError[] = [];
    vault.onError((error) => errors.push(error));
    const commit = device.storage.commit.bind(device.storage);
    device.storage.commit = async () => {
      throw new TypeError('disk gone');
    };
    const error = await vault.setValue('n', 2).then(
      () => undefined,
      (e: unknown) => e,
    );
    device.storage.commit = commit;
    expect(error).toBeInstanceOf(VaultError);
    expect(errors).toEqual([error]);
    expect(await vault.getValue('n')).toBe(1);
  });

  it('a getValue issued while a setValue is in flight reads what the setValue wrote', async () => {
    useSimulatedDevice();
    const vault = new Vault(configFor());
    await vault.setValue('n', 1);
    const write = vault.setValue('n', 2);
    await Promise.resolve(); // the write is under way, not finished
    const read = vault.getValue('n');
    expect(await read).toBe(2);
    await write;
  });

  it('on a locked vault, a getValue then a setValue share one prompt and keep their order; a cancel reaches onError once', async () => {
    const { vault, requests } = await customPasscodeVault('1234');
    await vault.lock();
    const read = vault.getValue('session');
    const write = vault.setValue('session', { token: 'new' });
    expect(await read).toEqual({ token: 'abc' });
    await write;
    expect(requests).toEqual([true, false]); // set at creation, then one unlock for both calls
    expect(await vault.getValue('session')).toEqual({ token: 'new' });
    await vault.lock();
    vault.onPasscodeRequested((_isSet, onComplete) => onComplete(''));
    const errors: VaultError[] = [];
    vault.onError((error) => errors.push(error));
    expect(await codeOf(vault.getValue('session'))).toBe('UserCanceledInteraction');
    expect(errors.map((e) => VaultErrorCodes[e.code])).toEqual(['UserCanceledInteraction']);
    expect(await codeOf(vault.getValue(''))).toBe('InvalidArguments');
  });

  it('BrowserVault is the same encrypted vault', async () => {
    const device = useSimulatedDevice();
    const vault = new BrowserVault(configFor());
    await vault.setValue('t', 'CANARY-browser');
    expect(await vault.getValue('t')).toBe('CANARY-browser');
    expect(device.storage.dumpText()).not.toContain('CANARY-browser');
    expect(vault).toBeInstanceOf(Vault);
  });

  it('unlockVaultOnLoad unlocks when the vault is initialized', async () => {
    const device = useSimulatedDevice();
    const config = configFor({ type: VaultType.DeviceSecurity, unlockVaultOnLoad: true });
    await new Vault(config).setValue('a', 1);
    device.restart();
    const vault = new Vault();
    const unlocked = new Promise<void>((resolve) => vault.onUnlock(resolve));
    await vault.initialize(config);
    await unlocked;
    expect(await vault.isLocked()).toBe(false);
  });

  it('a handler that throws does not break the vault', async () => {
    useSimulatedDevice();
    const vault = new Vault(configFor({ type: VaultType.InMemory }));
    vault.onLock(
      vi.fn(() => {
        throw new Error('app bug');
      }),
    );
    await vault.setValue('a', 1);
    await expect(vault.lock()).resolves.toBeUndefined();
  });
});

describe('Vault: values apps pass', () => {
  // ionic-team/getting-started-ac-react, src/providers/SessionVaultProvider.tsx: `setSession(value?: AuthResult)`
  // calls `vault.setValue(key, value)` with `undefined` on logout; reading back gives nothing.
  it('setValue(key, undefined) removes the value', async () => {
    useSimulatedDevice();
    const vault = new BrowserVault(configFor());
    await vault.setValue('auth-result', { accessToken: 'a' });
    await vault.setValue('auth-result', undefined);
    expect(await vault.getValue('auth-result')).toBeNull();
    expect(await vault.getKeys()).toEqual([]);
  });
});

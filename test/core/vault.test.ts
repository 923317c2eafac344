import { describe, expect, it } from 'vitest';
import { SimulatedDevice, inspectVaultMemory } from 'identity-vault/testing';
import { VaultError, VaultErrorCodes, type IdentityVault, type LockEvent, type PluginConfiguration, type PluginOptions } from 'identity-vault';
import { vaultKeys } from '../../src/core/records.js';

const code = (c: VaultErrorCodes) => expect.objectContaining({ code: c });

function setup(options: Partial<PluginOptions> = {}, device = new SimulatedDevice()) {
  const locks: LockEvent[] = [];
  const configs: PluginConfiguration[] = [];
  const errors: VaultError[] = [];
  const vault = device.plugin.getVault({
    vaultId: 'app',
    username: 'alice',
    onLock: (e) => locks.push(e),
    onConfig: (c) => configs.push(c),
    onError: (e) => errors.push(e),
    ...options,
  });
  return { device, vault, locks, configs, errors };
}

async function withPasscode(vault: IdentityVault, passcode = '1234') {
  await vault.setPasscodeEnabled(true);
  await vault.setPasscode(passcode);
}

const keys = vaultKeys('app', 'alice');

describe('VaultError', () => {
  it('is an Error with a stable code, a codeName and a cause', () => {
    const cause = new Error('disk');
    const error = new VaultError(VaultErrorCodes.VaultUnavailable, 'x', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('VaultError');
    expect(error.codeName).toBe('VaultUnavailable');
    expect(error.cause).toBe(cause);
    // The 3.x/4.x names and the 5.x/6.x-only ones, with Identity Vault 5.x/6.x's numbers (docs/migration.md).
    expect(Object.keys(VaultErrorCodes).filter((k) => Number.isNaN(Number(k)))).toHaveLength(20);
    expect([VaultErrorCodes.AuthFailed, VaultErrorCodes.BiometricsNotEnabled, VaultErrorCodes.AndroidUnexpectedKeystoreError]).toEqual([6, 13, 19]);
  });
});

describe('setup and events', () => {
  it('onError receives VaultUnavailable when the stored configuration is corrupted, and the record is left alone', async () => {
    const device = new SimulatedDevice();
    device.storage.setRaw(keys.meta, '{"v":1,"passcodeEnabled":"yes"}');
    const { vault, errors } = setup({}, device);
    await expect(vault.isLocked()).rejects.toThrow(code(VaultErrorCodes.VaultUnavailable));
    await Promise.resolve();
    expect(errors[0]?.code).toBe(VaultErrorCodes.VaultUnavailable);
    expect(device.storage.dump()[keys.meta]).toBe('{"v":1,"passcodeEnabled":"yes"}');
  });

  it('onConfig fires on every configuration change with the new configuration', async () => {
    const { vault, configs } = setup();
    await withPasscode(vault);
    expect(configs.map((c) => [c.isPasscodeEnabled, c.isPasscodeSetupNeeded])).toEqual([
      [true, true],
      [true, false],
    ]);
  });

  it('a later getVault with lockAfter / hideScreenOnBackground updates the shared vault', async () => {
    const { device, vault } = setup({ lockAfter: 1000 });
    device.plugin.getVault({ vaultId: 'app', username: 'alice', lockAfter: 5000, hideScreenOnBackground: true });
    expect((await vault.getConfig()).lockAfter).toBe(5000);
    expect((await vault.getConfig()).hideScreenOnBackground).toBe(true);
  });

  it.each([
    [{ vaultId: 'a', username: '' }],
    [{ vaultId: 1, username: 'u' }],
    [{ vaultId: 'a', username: 'u', lockAfter: -1 }],
    [{ vaultId: 'a', username: 'u', lockAfter: 'soon' }],
    [{ vaultId: 'a', username: 'u', hideScreenOnBackground: 'yes' }],
    [{ vaultId: 'a', username: 'u', maxAttempts: 0 }],
    [null],
  ])('getVault(%j) throws InvalidArguments', (options) => {
    expect(() => new SimulatedDevice().plugin.getVault(options as unknown as PluginOptions)).toThrow(code(VaultErrorCodes.InvalidArguments));
  });
});

describe('auth modes and their errors', () => {
  it('biometrics on a device without them: SecurityNotAvailable, getBiometricType none', async () => {
    const { vault } = setup({}, new SimulatedDevice({ biometricType: 'none' }));
    expect(await vault.isBiometricsAvailable()).toBe(false);
    expect(await vault.getBiometricType()).toBe('none');
    await expect(vault.setBiometricsEnabled(true)).rejects.toThrow(code(VaultErrorCodes.SecurityNotAvailable));
    expect(await vault.isBiometricsEnabled()).toBe(false);
  });

  it('touchID devices report touchID', async () => {
    expect(await setup({}, new SimulatedDevice({ biometricType: 'touchID' })).vault.getBiometricType()).toBe('touchID');
  });

  it('biometrics only: unlock() uses biometrics, unlock(true) is PasscodeNotEnabled', async () => {
    const { device, vault } = setup();
    await vault.setBiometricsEnabled(true);
    await vault.storeValue('k', 'v');
    await vault.lock();
    await expect(vault.unlock(true, '1234')).rejects.toThrow(code(VaultErrorCodes.PasscodeNotEnabled));
    await vault.unlock();
    expect(device.biometrics.prompts).toBe(1);
    expect(await vault.getValue('k')).toBe('v');
  });

  it('passcode only: unlock(false) is BiometricsNotEnabled; unlock() uses the passcode', async () => {
    const { device, vault } = setup();
    await withPasscode(vault);
    await vault.storeValue('k', 'v');
    await vault.lock();
    await expect(vault.unlock(false)).rejects.toThrow(code(VaultErrorCodes.BiometricsNotEnabled));
    device.passcodePrompt.respondWith('1234');
    await vault.unlock();
    expect(device.passcodePrompt.requests).toEqual(['unlock']);
  });

  it('biometric fail is AuthFailed and cancel is UserCanceledInteraction; neither uses passcode attempts', async () => {
    const { device, vault } = setup();
    await withPasscode(vault);
    await vault.setBiometricsEnabled(true);
    await vault.storeValue('k', 'v');
    await vault.lock();
    device.biometrics.queue('fail', 'cancel');
    await expect(vault.unlock()).rejects.toThrow(code(VaultErrorCodes.AuthFailed));
    await expect(vault.unlock()).rejects.toThrow(code(VaultErrorCodes.UserCanceledInteraction));
    expect(await vault.remainingAttempts()).toBe(5);
    await vault.unlock();
    expect(await vault.isLocked()).toBe(false);
  });

  it('re-enrolment: InvalidatedCredential, passcode still opens; disabling biometrics keeps data', async () => {
    const { device, vault } = setup();
    await withPasscode(vault);
    await vault.setBiometricsEnabled(true);
    await vault.storeValue('k', 'v');
    await vault.lock();
    device.biometrics.reenroll();
    await expect(vault.unlock()).rejects.toThrow(code(VaultErrorCodes.InvalidatedCredential));
    await vault.unlock(true, '1234');
    await vault.setBiometricsEnabled(false);
    await vault.lock();
    await vault.unlock(true, '1234');
    expect(await vault.getValue('k')).toBe('v');
  });

  it('a biometric credential removed from the device is KeyNotFound', async () => {
    const { device, vault } = setup();
    await vault.setBiometricsEnabled(true);
    await vault.storeValue('k', 'v');
    await vault.lock();
    const restored = new SimulatedDevice();
    for (const [key, text] of Object.entries(device.storage.dump())) restored.storage.setRaw(key, text);
    const moved = restored.plugin.getVault({ vaultId: 'app', username: 'alice' });
    await expect(moved.unlock()).rejects.toThrow(code(VaultErrorCodes.KeyNotFound));
  });

  it('removing the last unlock method falls back to the device key (SecureStorage), never to data loss', async () => {
    const { vault } = setup();
    await withPasscode(vault);
    await vault.setBiometricsEnabled(true);
    await vault.storeValue('k', 'v');
    await vault.setBiometricsEnabled(false);
    await vault.setPasscodeEnabled(false);
    await vault.lock();
    await vault.unlock();
    expect(await vault.getValue('k')).toBe('v');
  });

  it('storage copied to another device does not open with the device key there (KeyNotFound)', async () => {
    const { device, vault } = setup();
    await vault.storeValue('k', 'v');
    await vault.lock();
    const other = new SimulatedDevice();
    for (const [key, text] of Object.entries(device.storage.dump())) other.storage.setRaw(key, text);
    await expect(other.plugin.getVault({ vaultId: 'app', username: 'alice' }).unlock()).rejects.toThrow(code(VaultErrorCodes.KeyNotFound));
  });
});

describe('in-memory-only vaults', () => {
  it('keep values in memory only; lock drops them with saved: false; restart loses them', async () => {
    const { device, vault, locks } = setup();
    await vault.storeValue('a', 1);
    await vault.setInMemoryOnly!(true);
    expect(await vault.isInMemoryOnly!()).toBe(true);
    expect(device.storage.dump()).toEqual({});
    await vault.storeValue('b', 'CANARY-mem');
    expect(await vault.getValue('a')).toBe(1);
    expect(device.storage.dumpText()).not.toContain('CANARY');
    await vault.lock();
    expect(locks.at(-1)).toEqual({ saved: false, timeout: false });
    expect(await vault.isLocked()).toBe(false);
    expect(await vault.getValue('b')).toBeUndefined();
    await vault.storeValue('c', 3);
    device.restart();
    const again = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
    expect(await again.isInUse()).toBe(false);
    expect(await again.isInMemoryOnly!()).toBe(false);
  });

  it('leaving in-memory mode persists the values under the device key', async () => {
    const { device, vault } = setup();
    await vault.setInMemoryOnly!(true);
    await vault.storeValue('k', 'kept');
    await vault.setInMemoryOnly!(false);
    device.restart();
    const again = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
    await again.unlock();
    expect(await again.getValue('k')).toBe('kept');
  });

  it('enabling a passcode on an in-memory vault persists it once the passcode is set', async () => {
    const { device, vault } = setup();
    await vault.setInMemoryOnly!(true);
    await vault.storeValue('k', 'v');
    await withPasscode(vault);
    expect(await vault.isInMemoryOnly!()).toBe(false);
    device.restart();
    const again = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
    await again.unlock(true, '1234');
    expect(await again.getValue('k')).toBe('v');
  });

  it('time out in the background with saved: false', async () => {
    const { device, vault, locks } = setup({ lockAfter: 100 });
    await vault.setInMemoryOnly!(true);
    await vault.storeValue('k', 'v');
    device.sendToBackground();
    device.advanceTime(100);
    expect(await vault.getValue('k')).toBeUndefined();
    expect(locks.at(-1)).toEqual({ saved: false, timeout: true });
  });
});

describe('lockAfter and the privacy screen', () => {
  async function unlockedWithData(lockAfter: number) {
    const ctx = setup({ lockAfter });
    await withPasscode(ctx.vault);
    await ctx.vault.storeValue('k', 'v');
    return ctx;
  }

  it('lockAfter − 1 ms does not lock; lockAfter does, while still in the background', async () => {
    const { device, vault, locks } = await unlockedWithData(5000);
    device.sendToBackground();
    device.advanceTime(4999);
    expect(await vault.isLocked()).toBe(false);
    device.advanceTime(1);
    expect(await vault.isLocked()).toBe(true);
    expect(locks).toEqual([{ saved: true, timeout: true }]);
    device.bringToForeground();
    expect(locks).toHaveLength(1);
  });

  it('a new lockAfter reschedules a timer already running, counted from when the vault went to the background', async () => {
    const { device, vault, locks } = await unlockedWithData(10_000);
    device.sendToBackground();
    device.advanceTime(1000);
    device.plugin.getVault({ vaultId: 'app', username: 'alice', lockAfter: 3000 });
    device.advanceTime(1999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(inspectVaultMemory(vault).holdsDataKey).toBe(true);
    // No vault call in between (a call would check the time itself): the timer alone must fire.
    device.advanceTime(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(inspectVaultMemory(vault).holdsDataKey).toBe(false);
    expect(locks).toEqual([{ saved: true, timeout: true }]);
  });

  it('elapsed time is measured on return, even when no timer fired (throttled background timers)', async () => {
    const { device, vault } = await unlockedWithData(5000);
    device.sendToBackground();
    device.clock.jump(6000); // wall time passed; timers did not run
    expect(await vault.isLocked()).toBe(true);
  });

  it('a clock moved backwards never extends an unlocked session', async () => {
    const { device, vault } = await unlockedWithData(5000);
    device.sendToBackground();
    device.clock.jump(-60_000);
    device.bringToForeground();
    expect(await vault.isLocked()).toBe(true);
  });

  it('the first read after a long absence finds the vault locked', async () => {
    const { device, vault } = await unlockedWithData(1000);
    device.sendToBackground();
    device.clock.jump(1000);
    device.bringToForeground();
    await expect(vault.getValue('k')).rejects.toThrow(code(VaultErrorCodes.VaultLocked));
  });

  it('hideScreenOnBackground covers the app only while in the background, and only while a vault asks', async () => {
    const device = new SimulatedDevice();
    const { vault } = setup({ hideScreenOnBackground: true }, device);
    device.sendToBackground();
    expect(device.isScreenHidden).toBe(true);
    device.bringToForeground();
    expect(device.isScreenHidden).toBe(false);
    await vault.unsubscribe();
    device.sendToBackground();
    expect(device.isScreenHidden).toBe(false);
    const plain = new SimulatedDevice();
    setup({}, plain);
    plain.sendToBackground();
    expect(plain.isScreenHidden).toBe(false);
  });

  it('unlocking while already in the background starts the clock', async () => {
    const { device, vault } = await unlockedWithData(1000);
    await vault.lock();
    device.sendToBackground();
    await vault.unlock(true, '1234');
    device.advanceTime(1000);
    expect(await vault.isLocked()).toBe(true);
  });
});

describe('attempt counting', () => {
  it('is persisted before the passcode is checked: if the count cannot be written, the passcode is not tried', async () => {
    const { device, vault } = setup();
    await withPasscode(vault);
    await vault.storeValue('k', 'v');
    await vault.lock();
    device.storage.failNextWrites(1);
    await expect(vault.unlock(true, '1234')).rejects.toThrow(code(VaultErrorCodes.VaultUnavailable));
    expect(await vault.isLocked()).toBe(true);
  });

  it('the KDF runs while the attempt is counted, and nothing is checked with its key before the count is durable', async () => {
    const { device, vault } = setup();
    await withPasscode(vault);
    await vault.storeValue('k', 'v');
    await vault.lock();
    const subtle = globalThis.crypto.subtle;
    const events: string[] = [];
    const deriveKey = subtle.deriveKey.bind(subtle);
    const unwrapKey = subtle.unwrapKey.bind(subtle);
    subtle.deriveKey = ((...args: Parameters<SubtleCrypto['deriveKey']>) => {
      if ((args[0] as { name?: string }).name === 'PBKDF2') events.push('kdf started');
      return deriveKey(...args);
    }) as SubtleCrypto['deriveKey'];
    subtle.unwrapKey = ((...args: Parameters<SubtleCrypto['unwrapKey']>) => {
      events.push('wrap opened');
      return unwrapKey(...args);
    }) as SubtleCrypto['unwrapKey'];
    // The count's write waits until the test lets it through.
    const update = device.storage.update.bind(device.storage);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    device.storage.update = async (key, fn) => {
      events.push('count started');
      await gate;
      const out = await update(key, fn);
      events.push('count durable');
      return out;
    };
    try {
      const unlocking = vault.unlock(true, '1234');
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Both under way (in either order: the KDF imports the passcode first), nothing opened yet.
      expect([...events].sort()).toEqual(['count started', 'kdf started']);
      release();
      await unlocking;
    } finally {
      subtle.deriveKey = deriveKey;
      subtle.unwrapKey = unwrapKey;
    }
    expect(events.indexOf('wrap opened')).toBeGreaterThan(events.indexOf('count durable'));
    expect(events.indexOf('count durable')).toBe(2);
    expect(await vault.isLocked()).toBe(false);
    expect(await vault.getValue('k')).toBe('v');
  });

  it('a crash after counting and before the check does not give the attempt back', async () => {
    const { device, vault } = setup();
    await withPasscode(vault);
    await vault.storeValue('k', 'v');
    await vault.lock();
    // The success path resets the counter in a second write; make that write die like a killed process.
    const update = device.storage.update.bind(device.storage);
    let counted = 0;
    device.storage.update = async (key, fn) => {
      const out = await update(key, fn);
      counted++;
      device.storage.failNextWrites(1, new Error('process killed'));
      return out;
    };
    await expect(vault.unlock(true, '1234')).rejects.toThrow(code(VaultErrorCodes.VaultUnavailable));
    expect(counted).toBe(1);
    device.restart();
    const again = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
    expect(await again.remainingAttempts()).toBe(4);
  });

  it('counters are per vault; a success resets only its own', async () => {
    const device = new SimulatedDevice();
    const a = device.plugin.getVault({ vaultId: 'app', username: 'a' });
    const b = device.plugin.getVault({ vaultId: 'app', username: 'b' });
    for (const v of [a, b]) {
      await withPasscode(v);
      await v.storeValue('k', 1);
      await v.lock();
      await expect(v.unlock(true, '0')).rejects.toThrow(code(VaultErrorCodes.AuthFailed));
    }
    await a.unlock(true, '1234');
    expect(await a.remainingAttempts()).toBe(5);
    expect(await b.remainingAttempts()).toBe(4);
  });

  it('a tampered counter is read as one attempt left, never as more', async () => {
    const { device, vault } = setup();
    await withPasscode(vault);
    await vault.storeValue('k', 'v');
    await vault.lock();
    device.storage.setRaw(keys.attempts, '{"v":1,"remaining":"many"}');
    expect(await vault.remainingAttempts()).toBe(1);
    await vault.unlock(true, '1234');
    expect(await vault.remainingAttempts()).toBe(5);
  });

  it('maxAttempts can be set per plugin', async () => {
    const device = new SimulatedDevice({ maxAttempts: 2 });
    const { vault } = setup({}, device);
    await withPasscode(vault);
    await vault.storeValue('k', 'v');
    await vault.lock();
    await expect(vault.unlock(true, '0')).rejects.toThrow(code(VaultErrorCodes.AuthFailed));
    await expect(vault.unlock(true, '0')).rejects.toThrow(code(VaultErrorCodes.TooManyFailedAttempts));
    expect(device.storage.dumpText()).not.toContain('"ct"');
  });
});

describe('storage faults and tampering', () => {
  it('a failed write surfaces VaultUnavailable and leaves the previous value readable', async () => {
    const { device, vault } = setup();
    await vault.storeValue('k', 'old');
    device.storage.failNextWrites(1);
    await expect(vault.storeValue('k', 'new')).rejects.toThrow(code(VaultErrorCodes.VaultUnavailable));
    expect(await vault.getValue('k')).toBe('old');
    device.restart();
    const again = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
    await again.unlock();
    expect(await again.getValue('k')).toBe('old');
  });

  it('a tampered value is VaultUnavailable, never wrong data, and the other values stay readable', async () => {
    const { device, vault } = setup();
    await vault.storeValue('a', 'A');
    await vault.storeValue('b', 'B');
    const record = JSON.parse(device.storage.dump()[keys.value('a')]!) as { ct: string };
    const ct = Buffer.from(record.ct, 'base64');
    ct[0]! ^= 1;
    device.storage.setRaw(keys.value('a'), JSON.stringify({ ...record, ct: ct.toString('base64') }));
    device.restart();
    const again = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
    await again.unlock();
    await expect(again.getValue('a')).rejects.toThrow(code(VaultErrorCodes.VaultUnavailable));
    expect(await again.getValue('b')).toBe('B');
  });

  it('a ciphertext swapped between keys does not open', async () => {
    const { device, vault } = setup();
    await vault.storeValue('a', 'A');
    await vault.storeValue('b', 'B');
    device.storage.setRaw(keys.value('a'), device.storage.dump()[keys.value('b')]!);
    device.restart();
    const again = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
    await again.unlock();
    await expect(again.getValue('a')).rejects.toThrow(code(VaultErrorCodes.VaultUnavailable));
  });

  it('KDF parameters lowered in storage are refused without using an attempt', async () => {
    const device = new SimulatedDevice({ fastKdf: false });
    const { vault } = setup({}, device);
    await withPasscode(vault);
    await vault.storeValue('k', 'v');
    await vault.lock();
    const meta = JSON.parse(device.storage.dump()[keys.meta]!) as { wraps: { passcode: { kdf: { iterations: number } } } };
    expect(meta.wraps.passcode.kdf.iterations).toBe(600_000);
    meta.wraps.passcode.kdf.iterations = 1000;
    device.storage.setRaw(keys.meta, JSON.stringify(meta));
    device.restart();
    const again = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
    await expect(again.unlock(true, '1234')).rejects.toThrow(code(VaultErrorCodes.VaultUnavailable));
    expect(await again.remainingAttempts()).toBe(5);
  });

  it('KDF parameters raised in storage fail to open (they are bound into the wrap)', async () => {
    const { device, vault } = setup();
    await withPasscode(vault);
    await vault.storeValue('k', 'v');
    await vault.lock();
    const meta = JSON.parse(device.storage.dump()[keys.meta]!) as { wraps: { passcode: { kdf: { iterations: number } } } };
    meta.wraps.passcode.kdf.iterations += 1;
    device.storage.setRaw(keys.meta, JSON.stringify(meta));
    device.restart();
    await expect(device.plugin.getVault({ vaultId: 'app', username: 'alice' }).unlock(true, '1234')).rejects.toThrow(code(VaultErrorCodes.AuthFailed));
  });
});

describe('memory after lock', () => {
  it('holds no data key and no decrypted value once locked', async () => {
    const { vault } = setup();
    await withPasscode(vault);
    await vault.storeValue('a', 'A');
    await vault.getValue('a');
    expect(inspectVaultMemory(vault)).toMatchObject({ holdsDataKey: true, cachedValues: 1 });
    await vault.lock();
    expect(inspectVaultMemory(vault)).toEqual({ locked: true, holdsDataKey: false, cachedValues: 0, inMemoryValues: 0 });
  });
});

describe('ordering', () => {
  it('operations issued together run in call order', async () => {
    const { vault } = setup();
    await withPasscode(vault);
    const results = await Promise.allSettled([vault.storeValue('k', 1), vault.lock(), vault.getValue('k'), vault.unlock(true, '1234'), vault.getValue('k')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[4] as PromiseFulfilledResult<unknown>).value).toBe(1);
  });

  it('a handler that calls back into the vault does not deadlock', async () => {
    const device = new SimulatedDevice();
    let seen: boolean | undefined;
    const vault = device.plugin.getVault({
      vaultId: 'app',
      username: 'alice',
      onLock: () => {
        void vault.isLocked().then((locked) => (seen = locked));
      },
    });
    await vault.storeValue('k', 1);
    await vault.lock();
    await vault.isLocked();
    expect(seen).toBe(true);
  });
});

describe('every failure is a VaultError', () => {
  it('an untranslated platform error becomes Unknown with the original as cause', async () => {
    const { device, vault } = setup();
    const boom = new TypeError('driver exploded');
    device.storage.get = async () => {
      throw boom;
    };
    const error = await vault.isInUse().then(
      () => undefined,
      (e: unknown) => e,
    );
    await vault.getValue('k').catch(() => undefined);
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: VaultErrorCodes.Unknown, cause: boom });
    expect((error as Error).message).not.toContain('exploded');
  });

  it('argument errors are rejections, never synchronous throws', () => {
    const { vault } = setup();
    let threw = false;
    let promise: Promise<unknown> | undefined;
    try {
      promise = vault.storeValue('', 1);
    } catch {
      threw = true;
    }
    expect(threw).toBe(false);
    return expect(promise).rejects.toMatchObject({ code: VaultErrorCodes.InvalidArguments });
  });
});

describe('prompts do not hold the vault', () => {
  it('queries answer while the passcode prompt is open; concurrent unlocks prompt once', async () => {
    const { device, vault } = setup();
    await withPasscode(vault);
    await vault.storeValue('k', 'v');
    await vault.lock();
    const answer = device.passcodePrompt.holdNext();
    const first = vault.unlock(true);
    const second = vault.unlock(true);
    expect(await vault.isLocked()).toBe(true);
    expect((await vault.getConfig()).isPasscodeEnabled).toBe(true);
    expect(await vault.remainingAttempts()).toBe(5);
    answer('1234');
    await Promise.all([first, second]);
    expect(device.passcodePrompt.requests).toEqual(['unlock']);
    expect(await vault.getValue('k')).toBe('v');
  });

  it('concurrent unlocks with their own passcodes run one after another: a wrong one fails alone, the right one unlocks', async () => {
    const { vault } = setup();
    await withPasscode(vault);
    await vault.storeValue('k', 'v');
    await vault.lock();
    const [wrong, right] = await Promise.allSettled([vault.unlock(true, '0000'), vault.unlock(true, '1234')]);
    expect(wrong).toMatchObject({ status: 'rejected', reason: { code: VaultErrorCodes.AuthFailed, remainingAttempts: 4 } });
    expect(right.status).toBe('fulfilled');
    expect(await vault.getValue('k')).toBe('v');
    expect(await vault.remainingAttempts()).toBe(5);
  });

  it('a call issued right after unlock() runs after it (the first unlock step is queued at once)', async () => {
    const { vault } = setup();
    await withPasscode(vault);
    await vault.storeValue('k', 'v');
    await vault.lock();
    const unlocking = vault.unlock(true, '1234');
    const read = vault.getValue('k');
    await unlocking;
    await expect(read).resolves.toBe('v');
  });

  it('a lock while the prompt is open still applies; the answer then unlocks', async () => {
    const { device, vault } = setup();
    await withPasscode(vault);
    await vault.storeValue('k', 'v');
    await vault.lock();
    const answer = device.passcodePrompt.holdNext();
    const unlocking = vault.unlock(true);
    await vault.lock();
    answer('0000');
    await expect(unlocking).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed });
    expect(await vault.isLocked()).toBe(true);
  });

  it('setPasscode() asks outside the queue and re-checks the state after', async () => {
    const { device, vault } = setup();
    await vault.setPasscodeEnabled(true);
    const first = device.passcodePrompt.holdNext();
    const second = device.passcodePrompt.holdNext();
    const setting = vault.setPasscode();
    expect(await vault.isPasscodeSetupNeeded()).toBe(true);
    first('2468');
    second('2468');
    await setting;
    expect(await vault.isPasscodeSetupNeeded()).toBe(false);
  });
});

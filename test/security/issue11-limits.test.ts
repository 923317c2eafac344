/**
 * @security issue 11 (Low): the attempt counter and limit, single-value rollback as documented,
 * and the input limits. Each attack through the public API of a SimulatedDevice.
 */
import { describe, expect, it } from 'vitest';
import { SimulatedDevice } from 'identity-vault/testing';
import { VaultError, VaultErrorCodes } from 'identity-vault';
import { parseMeta, vaultKeys } from '../../src/core/records.js';
import { createPlugin, type Platform } from 'identity-vault/platform';
import { createWebCrypto } from '../../src/shared/web-crypto.js';
import { createWebPlatform } from 'identity-vault/web';
import { recordFigure } from './figures.js';

const descriptor = { vaultId: 'app', username: 'alice' };
const keys = vaultKeys(descriptor.vaultId, descriptor.username);

async function code(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
    return 'resolved';
  } catch (error) {
    return error instanceof VaultError ? VaultErrorCodes[error.code]! : `not a VaultError: ${String(error)}`;
  }
}

async function passcodeVault(device: SimulatedDevice, passcode = '1234') {
  const vault = device.plugin.getVault(descriptor);
  await vault.setPasscodeEnabled(true);
  await vault.setPasscode(passcode);
  await vault.storeValue('k', 'v');
  await vault.lock();
  return vault;
}

describe('attempts', () => {
  it('the counter is written when the passcode is set; deleting it leaves one attempt, not the full limit', async () => {
    const device = new SimulatedDevice({ maxAttempts: 5 });
    const vault = await passcodeVault(device);
    expect(JSON.parse(device.storage.dump()[keys.attempts]!)).toEqual({ v: 1, remaining: 5 });
    const remove = () => device.storage.commit({ delete: [keys.attempts] });
    await remove();
    expect(await vault.remainingAttempts()).toBe(1);
    expect(await code(vault.unlock(true, 'wrong'))).toBe('TooManyFailedAttempts'); // one guess, then wiped
    const again = await passcodeVault(device);
    await remove();
    await again.unlock(true, '1234'); // the right passcode still opens, and writes the counter back
    expect(JSON.parse(device.storage.dump()[keys.attempts]!)).toEqual({ v: 1, remaining: 5 });
    recordFigure(
      'Attempts: counter deleted',
      'simulated',
      'attempt counter deleted from storage: 1 attempt left (was 5); the right passcode restores the count',
    );
  });

  it('a client created with a higher maxAttempts gets no more guesses; editing the stored limit makes the passcode fail', async () => {
    const device = new SimulatedDevice({ maxAttempts: 3 });
    await passcodeVault(device);
    expect(parseMeta(JSON.parse(device.storage.dump()[keys.meta]!))!.maxAttempts).toBe(3);
    const generous = createPluginOn(device, 100).getVault(descriptor);
    expect(await generous.remainingAttempts()).toBe(3);
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push(await code(generous.unlock(true, `wrong-${i}`)));
    expect(codes).toEqual(['AuthFailed', 'AuthFailed', 'TooManyFailedAttempts']);

    const other = new SimulatedDevice({ maxAttempts: 3 });
    const vault = await passcodeVault(other);
    const meta = JSON.parse(other.storage.dump()[keys.meta]!) as Record<string, unknown>;
    other.storage.setRaw(keys.meta, JSON.stringify({ ...meta, maxAttempts: 1000 }));
    other.restart();
    const tampered = other.plugin.getVault(descriptor);
    expect(await code(tampered.unlock(true, '1234'))).toBe('AuthFailed'); // the limit is bound into the slot
    void vault;
    recordFigure(
      'Attempts: limit in the vault',
      'simulated',
      'limit 3 stored with the vault: a client with maxAttempts 100 got 3 guesses; a stored limit edited to 1000 makes the right passcode fail',
    );
  });
});

/** A second app on the same simulated storage and secure hardware with another `maxAttempts` (a newer build, say). */
function createPluginOn(device: SimulatedDevice, maxAttempts: number) {
  device.restart();
  const platform: Platform = {
    name: 'simulated',
    store: device.storage,
    crypto: createWebCrypto(),
    deviceKey: device.deviceKey,
    biometrics: device.biometrics,
    passcodePrompt: device.passcodePrompt,
    // An app in the foreground throughout: this test never backgrounds it.
    lifecycle: { subscribe: () => () => undefined, isInBackground: () => false, setPrivacyScreen: () => undefined },
    clock: device.clock,
    cacheValues: true,
    kdf: { testOnlyFastKdf: true },
  };
  return createPlugin(platform, { maxAttempts });
}

describe('single-value rollback (documented as not protected within one data key)', () => {
  it('an older record of one value reads back while the data key is unchanged, and fails after a rotation', async () => {
    const device = new SimulatedDevice();
    const vault = device.plugin.getVault(descriptor);
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('1234');
    await vault.storeValue('balance', 100);
    const old = device.storage.dump()[keys.value('balance')]!;
    await vault.storeValue('balance', 5);
    device.storage.setRaw(keys.value('balance'), old);
    device.restart();
    const reopened = device.plugin.getVault(descriptor);
    await reopened.unlock(true, '1234');
    expect(await reopened.getValue('balance')).toBe(100); // the documented limitation
    await reopened.storeValue('balance', 5);
    const beforeRotation = device.storage.dump()[keys.value('balance')]!;
    await reopened.setPasscode('5678'); // a rotation
    device.storage.setRaw(keys.value('balance'), beforeRotation);
    device.restart();
    const rotated = device.plugin.getVault(descriptor);
    await rotated.unlock(true, '5678');
    expect(await code(rotated.getValue('balance'))).toBe('VaultUnavailable');
  });
});

describe('input limits', () => {
  it('a lone surrogate in vaultId or username is InvalidArguments, not a URIError', async () => {
    const device = new SimulatedDevice();
    expect(await code(() => device.plugin.getVault({ vaultId: 'a\ud800', username: 'u' }))).toBe('InvalidArguments');
    expect(await code(() => device.plugin.getVault({ vaultId: 'a', username: '\udc00' }))).toBe('InvalidArguments');
  });

  it('values over 16 MiB of JSON or nested deeper than 1,000 levels are InvalidArguments, and nothing is stored', async () => {
    const device = new SimulatedDevice();
    const vault = device.plugin.getVault(descriptor);
    await vault.storeValue('k', 'kept');
    const before = device.storage.dumpText();
    expect(await code(vault.storeValue('big', 'x'.repeat(16 * 1024 * 1024 + 1)))).toBe('InvalidArguments');
    expect(
      await code(
        vault.storeValue(
          'big',
          Array.from({ length: 20 }, () => 'y'.repeat(1024 * 1024)),
        ),
      ),
    ).toBe('InvalidArguments');
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(await code(vault.storeValue('deep', deep))).toBe('InvalidArguments');
    let ok: unknown = 1;
    for (let i = 0; i < 999; i++) ok = { a: ok };
    await vault.storeValue('ok', ok);
    await vault.storeValue('ok', 'z'.repeat(1024 * 1024));
    expect(device.storage.dumpText().length).toBeGreaterThan(before.length);
    expect(await vault.getValue('k')).toBe('kept');
    recordFigure(
      'Input limits',
      'simulated',
      '16 MiB + 1 character, 20 MiB in an array, 20,000 levels deep: each InvalidArguments before storing; 999 levels and 1 MiB are stored',
    );
  });

  it('the built-in prompt refuses a new passcode shorter than 4 characters; kdfIterations beyond what unlock accepts is refused at creation', async () => {
    const device = new SimulatedDevice();
    const vault = device.plugin.getVault(descriptor);
    await vault.setPasscodeEnabled(true);
    device.passcodePrompt.queue(' ');
    expect(await code(vault.setPasscode())).toBe('InvalidArguments');
    device.passcodePrompt.queue('1234', '1234');
    await vault.setPasscode();
    expect(await code(() => createWebPlatform({ kdfIterations: 100_000_001 }))).toBe('InvalidArguments');
    expect(await code(() => createWebPlatform({ kdfIterations: Number.NaN }))).toBe('InvalidArguments');
    expect(await code(() => createWebPlatform({ kdfIterations: 1_000_000 }))).toBe('resolved');
  });
});

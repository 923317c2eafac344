/**
 * @security issue 11 (High): an old copy of storage must not open values written after the
 * protection changed. The attacker keeps a copy of the storage (and of the device key, which on
 * the web lingers in IndexedDB's log files and on Node in an old `device-key` file), lets the user
 * change the protection and write new values, then puts the old `meta` (with its old wraps) back
 * in front of the new values and unlocks with what opened the old copy.
 */
import { describe, expect, it } from 'vitest';
import { SimulatedDevice } from 'identity-vault/testing';
import { VaultErrorCodes, type IdentityVault } from 'identity-vault';
import { parseMeta, vaultKeys } from '../../src/core/records.js';
import { recordFigure } from './figures.js';

const descriptor = { vaultId: 'app', username: 'alice' };
const keys = vaultKeys(descriptor.vaultId, descriptor.username);

/** The error code `promise` rejects with, or 'resolved'. */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return VaultErrorCodes[(error as { code: VaultErrorCodes }).code] ?? String(error);
  }
}

/** The old meta record put back over the current storage, on a restarted app. */
function withOldMeta(device: SimulatedDevice, oldMeta: string): IdentityVault {
  device.storage.setRaw(keys.meta, oldMeta);
  device.storage.setRaw(keys.attempts, JSON.stringify({ v: 1, remaining: 5 }));
  device.restart();
  return device.plugin.getVault(descriptor);
}

describe('an old copy of storage after a change of protection', () => {
  it('the device-key wrap from before the passcode was set does not open values written after', async () => {
    const device = new SimulatedDevice();
    const vault = device.plugin.getVault(descriptor);
    await vault.storeValue('before', 'old secret'); // SecureStorage: wrapped by the device key only
    const oldMeta = device.storage.dump()[keys.meta]!;
    const oldDeviceKey = (await device.deviceKey.get({ create: false }))!;
    expect(parseMeta(JSON.parse(oldMeta))!.wraps.device).toBeDefined();

    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('1234');
    await vault.storeValue('after', 'new secret');
    // Nothing uses the device key any more: it is deleted.
    expect(device.deviceKey.exists).toBe(false);

    device.deviceKey.putBack(oldDeviceKey);
    const attacked = withOldMeta(device, oldMeta);
    await attacked.unlock(); // the old device wrap still opens the OLD data key…
    expect(await outcome(attacked.getValue('after'))).toBe('VaultUnavailable'); // …which opens nothing written after
    expect(await outcome(attacked.getValue('before'))).toBe('VaultUnavailable'); // re-encrypted too
    recordFigure(
      'Key rotation: old device wrap',
      'simulated',
      'an old meta with its device-key wrap (and the old device key) put back after a passcode was set: 0 of 2 values open',
    );
  });

  it('an old meta plus the old passcode does not open values written after a passcode change', async () => {
    const device = new SimulatedDevice();
    const vault = device.plugin.getVault(descriptor);
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('1111');
    await vault.storeValue('before', 'old secret');
    const oldMeta = device.storage.dump()[keys.meta]!;

    await vault.setPasscode('2222');
    await vault.storeValue('after', 'new secret');
    expect(await vault.getValue('before')).toBe('old secret');

    const attacked = withOldMeta(device, oldMeta);
    await attacked.unlock(true, '1111');
    expect(await outcome(attacked.getValue('after'))).toBe('VaultUnavailable');
    expect(await outcome(attacked.getValue('before'))).toBe('VaultUnavailable');
    recordFigure('Key rotation: old passcode', 'simulated', 'an old meta plus the old passcode after a passcode change: 0 of 2 values open');
  });

  it('an old biometric wrap does not open values written after biometrics were disabled (unlocked by biometrics)', async () => {
    const device = new SimulatedDevice();
    const vault = device.plugin.getVault(descriptor);
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('1234');
    await vault.setBiometricsEnabled(true);
    await vault.storeValue('before', 'old secret');
    const oldMeta = device.storage.dump()[keys.meta]!;
    await vault.lock();
    await vault.unlock(false); // biometrics: the passcode is not known to this run
    // Like the web, where a passkey cannot be deleted from the authenticator: the biometric key stays.
    device.biometrics.remove = async () => undefined;
    await vault.setBiometricsEnabled(false);
    await vault.storeValue('after', 'new secret');
    // The passcode still opens everything.
    await vault.lock();
    await vault.unlock(true, '1234');
    expect(await vault.getValue('after')).toBe('new secret');
    expect(await vault.getValue('before')).toBe('old secret');
    // The old biometric wrap, with a biometric key that still exists (the web cannot delete a passkey):
    const attacked = withOldMeta(device, oldMeta);
    await attacked.unlock(false);
    expect(await outcome(attacked.getValue('after'))).toBe('VaultUnavailable');
    recordFigure(
      'Key rotation: old biometric wrap',
      'simulated',
      'biometrics disabled after a biometric unlock (passcode not known), biometric key kept: the old wrap opens 0 values written after',
    );
  });

  it('an old meta from before passcode was turned off does not open values written after', async () => {
    const device = new SimulatedDevice();
    const vault = device.plugin.getVault(descriptor);
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('1234');
    await vault.storeValue('before', 'old secret');
    const oldMeta = device.storage.dump()[keys.meta]!;
    await vault.setPasscodeEnabled(false); // SecureStorage now: device key
    await vault.storeValue('after', 'new secret');
    expect(device.deviceKey.exists).toBe(true);
    const attacked = withOldMeta(device, oldMeta);
    await attacked.unlock(true, '1234');
    expect(await outcome(attacked.getValue('after'))).toBe('VaultUnavailable');
  });

  it('every change of protection makes a new data key, keeps every value, and leaves no mark', async () => {
    const device = new SimulatedDevice();
    const vault = device.plugin.getVault(descriptor);
    for (let i = 0; i < 50; i++) await vault.storeValue(`k${i}`, { i });
    const kids: Array<string | null> = [];
    const kid = () => parseMeta(JSON.parse(device.storage.dump()[keys.meta]!))!.kid;
    kids.push(kid());
    await vault.setPasscodeEnabled(true); // no wrap changes until a passcode is set
    expect(kid()).toBe(kids[0]);
    await vault.setPasscode('1111');
    kids.push(kid());
    await vault.setPasscode('2222');
    kids.push(kid());
    await vault.setBiometricsEnabled(true);
    kids.push(kid());
    await vault.setBiometricsEnabled(false);
    kids.push(kid());
    await vault.setPasscodeEnabled(false);
    kids.push(kid());
    expect(new Set(kids).size).toBe(kids.length);
    device.restart();
    const reopened = device.plugin.getVault(descriptor);
    await reopened.unlock();
    for (let i = 0; i < 50; i++) expect(await reopened.getValue(`k${i}`)).toEqual({ i });
    expect(device.storage.dumpText()).not.toContain('rekeying');
    recordFigure(
      'Key rotation',
      'simulated',
      `5 changes of protection on a 50-value vault: ${kids.length} distinct data keys, 50 of 50 values read back after each`,
    );
  });

  it('a crash between the two commits of a rotation leaves the old state, and the mark expires', async () => {
    const device = new SimulatedDevice();
    const vault = device.plugin.getVault(descriptor);
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('1111');
    for (let i = 0; i < 10; i++) await vault.storeValue(`k${i}`, i);
    // The app dies right after the mark: the second commit never happens.
    const commit = device.storage.commit.bind(device.storage);
    let commits = 0;
    device.storage.commit = async (change) => {
      commits++;
      const result = await commit(change);
      if (commits === 1) device.restart();
      return result;
    };
    expect(await outcome(vault.setPasscode('2222'))).not.toBe('resolved');
    device.storage.commit = commit;
    const reopened = device.plugin.getVault(descriptor);
    await reopened.unlock(true, '1111'); // the old state
    for (let i = 0; i < 10; i++) expect(await reopened.getValue(`k${i}`)).toBe(i);
    // The left-over mark holds writes back until it is stale, removals too (a rotation's commit
    // would put a removed value back).
    expect(await outcome(reopened.storeValue('new', 1))).toBe('VaultLocked');
    expect(await outcome(reopened.removeValue('k0'))).toBe('VaultLocked');
    expect(await reopened.getValue('k0')).toBe(0);
    device.advanceTime(61_000);
    await reopened.storeValue('new', 1);
    await reopened.setPasscode('2222');
    await reopened.lock();
    await reopened.unlock(true, '2222');
    expect(await reopened.getValue('new')).toBe(1);
  });
});

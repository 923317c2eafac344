/**
 * What the native plugin platform does about the limits of the plugins' storage (docs/native.md,
 * "Backups, durability and the database's folder"), on the fakes written from their sources:
 * - Android's `SharedPreferences.apply()` (secure storage) can lose a new device key in a crash;
 *   a durable check value in SQLite turns that into an explicit `KeyNotFound` on the next launch;
 * - a database restored from a backup opens nothing;
 * - on iOS, a database in a folder that is backed up (the plugin's default, `Documents/`) is
 *   refused with a `VaultError` naming the capacitor.config setting.
 */
import { describe, expect, it } from 'vitest';
import { VaultErrorCodes } from 'identity-vault';
import { createPlugin } from 'identity-vault/platform';
import type { NativeOS, PluginPlatform } from 'identity-vault/capacitor';
import { createPluginPlatform } from '../../../src/capacitor/plugin-platform.js';
import { DEVICE_KEY_ITEM } from '../../../src/capacitor/plugin-device-key.js';
import { ITEM_PREFIX } from '../../../src/capacitor/keychain-items.js';
import { SimulatedClock } from 'identity-vault/testing';
import { FakeMaintainedDevice } from './maintained/fake-device.js';

const descriptor = { vaultId: 'durability', username: 'ada' };
const DEVICE_KEY = ITEM_PREFIX + DEVICE_KEY_ITEM;

async function phone(os: NativeOS) {
  const device = await FakeMaintainedDevice.create(os);
  const clock = new SimulatedClock(Date.now());
  const launch = () => createPluginPlatform(device.plugins(), { passcodePrompt: device.passcodePrompt, clock });
  let platform: PluginPlatform = launch();
  return {
    device,
    platform: () => platform,
    vault: (vaultId = descriptor.vaultId) => createPlugin(platform).getVault({ ...descriptor, vaultId }),
    relaunch: async (kill: { beforeApplyReachedDisk?: boolean } = {}) => {
      await platform.dispose();
      device.killApp(kill);
      platform = launch();
      return platform;
    },
  };
}

const unlocked = async <V extends { unlock(): Promise<void> }>(vault: V): Promise<V> => {
  await vault.unlock();
  return vault;
};

/** A `SecureStorage`-mode vault (device key) whose key was created and lost before `apply()` wrote it. */
async function lostDeviceKey() {
  const p = await phone('android');
  await p.platform().store.keys(''); // opens the database: the install id is written…
  p.device.secureStorage.flush(); // …and is on disk by the time the vault is used
  await p.vault().storeValue('session', { token: 't' });
  await p.relaunch({ beforeApplyReachedDisk: true });
  return p;
}

describe('Android: a device key lost before SharedPreferences.apply() reached the disk', () => {
  it('the fake models the source: the Keystore key is made at once, the SharedPreferences entry only in memory until apply() writes it', async () => {
    const p = await phone('android');
    await p.platform().deviceKey.get({ create: true });
    expect(p.device.secureStorage.items.has(DEVICE_KEY)).toBe(true);
    p.device.killApp({ beforeApplyReachedDisk: true });
    expect(p.device.secureStorage.hasKeystoreKey(DEVICE_KEY)).toBe(true); // SecureStorage.java getSecretKey
    expect((await p.device.secureStorage.internalGetItem({ prefixedKey: DEVICE_KEY, sync: false })).data).toBeNull();
  });

  it('is an explicit KeyNotFound on the next launch, and what was stored stays untouched', async () => {
    const p = await lostDeviceKey();
    const before = p.device.sqlite.dump();
    const error = await p
      .vault()
      .unlock()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: VaultErrorCodes.KeyNotFound });
    expect((error as Error).message).toMatch(/device key of this install was lost/);
    expect((error as Error).message).toMatch(/apply\(\)/);
    expect(p.device.sqlite.dump()).toBe(before);
    // Asking again gives the same answer: no new key was made behind the vault's back.
    await expect(p.vault().unlock()).rejects.toMatchObject({ code: VaultErrorCodes.KeyNotFound });
    expect(p.device.secureStorage.items.has(DEVICE_KEY)).toBe(false);
  });

  it('clearing the vault (log in again) gives a working vault under a new key', async () => {
    const p = await lostDeviceKey();
    const vault = p.vault();
    await vault.clear();
    await vault.storeValue('session', { token: 'new' });
    await p.relaunch();
    expect(await unlocked(p.vault()).then((v) => v.getValue('session'))).toEqual({ token: 'new' });
  });

  it('another vault may make a new device key; the vault of the lost key still fails with KeyNotFound, never opens with the wrong key', async () => {
    const p = await lostDeviceKey();
    const other = p.vault('other');
    await other.storeValue('k', 1);
    expect(await other.getValue('k')).toBe(1);
    await expect(p.vault().unlock()).rejects.toMatchObject({ code: VaultErrorCodes.KeyNotFound });
  });

  it("when the same crash also lost the install id, the database is still recognised as this install's: a passcode vault sealed under the lost device key reports it too (no attempt counted), the device-key vault as well", async () => {
    const p = await phone('android');
    const protectedVault = p.vault('passcode');
    await protectedVault.setPasscodeEnabled(true);
    await protectedVault.setPasscode('1234'); // the device key, created now: the passcode slot is sealed under it
    await protectedVault.storeValue('session', { token: 'p' });
    await p.vault().storeValue('session', { token: 't' });
    await p.relaunch({ beforeApplyReachedDisk: true }); // every apply() since launch is lost
    const before = p.device.sqlite.dump();
    expect(before).toContain('passcode');
    const again = p.vault('passcode');
    const error = await again.unlock(true, '1234').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: VaultErrorCodes.KeyNotFound });
    expect((error as Error).message).toMatch(/device key of this install was lost/);
    expect(await again.remainingAttempts()).toBe(5);
    await expect(p.vault().unlock()).rejects.toThrow(/device key of this install was lost/);
    expect(p.device.sqlite.dump()).toBe(before);
  });

  it('a passcode vault whose device key reached the disk before the crash opens', async () => {
    const p = await phone('android');
    const protectedVault = p.vault('passcode');
    await protectedVault.setPasscodeEnabled(true);
    await protectedVault.setPasscode('1234');
    await protectedVault.storeValue('session', { token: 'p' });
    p.device.secureStorage.flush(); // apply() wrote the file
    await p.relaunch({ beforeApplyReachedDisk: true });
    const again = p.vault('passcode');
    await again.unlock(true, '1234');
    expect(await again.getValue('session')).toEqual({ token: 'p' });
  });

  it('without a crash, the same steps keep the key and the value', async () => {
    const p = await phone('android');
    await p.vault().storeValue('session', { token: 't' });
    await p.relaunch();
    expect(await unlocked(p.vault()).then((v) => v.getValue('session'))).toEqual({ token: 't' });
  });

  it('a crash between deleting the check and deleting the key is not read as a lost key', async () => {
    const p = await phone('android');
    const items = p.device.secureStorage;
    await p.platform().deviceKey.get({ create: true });
    const remove = items.internalRemoveItem.bind(items);
    items.internalRemoveItem = () => Promise.reject(Object.assign(new Error('killed'), { code: 'osError' }));
    await expect(p.platform().deviceKey.delete()).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    items.internalRemoveItem = remove;
    await p.relaunch();
    expect(await p.platform().deviceKey.get({ create: false })).toBeDefined();
  });

  it('the check value in SQLite is not the key', async () => {
    const p = await phone('android');
    await p.vault().storeValue('session', { token: 't' });
    const key = p.device.secureStorage.items.get(DEVICE_KEY)!.data;
    expect(p.device.sqlite.dump()).not.toContain(key);
    const db = [...p.device.sqlite.files.values()][0]!;
    const check = db.exec('SELECT check_value FROM device_key_check')[0]!.values[0]![0] as string;
    expect(check).toMatch(/^[A-Za-z0-9+/=_-]{20,24}$/);
    expect(key).not.toContain(check);
  });
});

for (const os of ['ios', 'android'] as const) {
  describe(`${os}: a database restored from a backup opens nothing`, () => {
    it('records, attempt counter and device key check are deleted before anything reads them', async () => {
      const p = await phone(os);
      const vault = p.vault();
      await vault.setPasscodeEnabled(true);
      await vault.setPasscode('1234');
      await vault.storeValue('session', { token: 't' });
      await vault.lock();
      p.device.queuePasscodes('0000');
      await expect(vault.unlock(true)).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed }); // an attempt counter is stored
      await p.vault('device').storeValue('k', 1); // a device key and its check
      p.device.secureStorage.restoreElsewhere();
      const platform = await p.relaunch();
      const db = [...p.device.sqlite.files.values()][0]!;
      expect(await platform.store.keys('')).toEqual([]);
      expect(db.exec('SELECT * FROM records')).toEqual([]);
      expect(db.exec('SELECT * FROM device_key_check')).toEqual([]);
      expect(await p.vault().isInUse()).toBe(false);
      // The restored check names a key this install never had: it must not read as a lost key.
      const device = p.vault('device');
      expect(await device.isInUse()).toBe(false);
      await device.storeValue('k', 2);
      expect(await device.getValue('k')).toBe(2);
    });
  });
}

describe('Android: a restore over a running install (adb/bmgr restore)', () => {
  it("entries encrypted under another device's keys fail to decrypt (osError): VaultUnavailable, and nothing is overwritten", async () => {
    const p = await phone('android');
    await p.vault().storeValue('session', { token: 't' });
    await p.relaunch();
    const before = p.device.sqlite.dump();
    for (const item of p.device.secureStorage.items.values()) item.keyId = -1; // the restored ciphertext is another device's
    const platform = await p.relaunch();
    const error = await platform.store.keys('').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    expect((error as Error).message).toContain('SecureStorage code osError');
    expect(p.device.sqlite.dump()).toBe(before);
  });
});

describe('Android: where the database is', () => {
  it('in databases/, which Auto Backup includes (the plugin offers no other folder that it can write): hence the install binding', async () => {
    const p = await phone('android');
    await p.platform().store.keys('');
    expect((await p.device.sqlite.getUrl({ database: 'identityvault', readonly: false })).url).toMatch(/\/databases\/identityvaultSQLite\.db$/);
  });
});

describe('iOS: the database folder must be out of backups (iosDatabaseLocation)', () => {
  for (const location of [undefined, 'Documents', 'default', 'Library', 'Library/Caches', 'cache', 'tmp', 'Library/A/B']) {
    it(`${location ?? 'not set (the plugin puts it in Documents/)'} is refused with SecurityNotAvailable, before the database is opened`, async () => {
      const p = await phone('ios');
      p.device.sqlite.iosDatabaseLocation = location;
      const error = await p
        .vault()
        .storeValue('session', { token: 't' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: VaultErrorCodes.SecurityNotAvailable });
      expect((error as Error).message).toContain("iosDatabaseLocation to 'Library/CapacitorDatabase'");
      expect(p.device.sqlite.calls.map((c) => c.method)).not.toContain('open');
      expect(p.device.sqlite.files.size).toBe(0);
    });
  }
  for (const location of ['Library/CapacitorDatabase', 'Library/AppDatabases']) {
    it(`${location} is accepted`, async () => {
      const p = await phone('ios');
      p.device.sqlite.iosDatabaseLocation = location;
      const vault = p.vault();
      await vault.storeValue('session', { token: 't' });
      expect(await vault.getValue('session')).toEqual({ token: 't' });
    });
  }
  it('a later call tries again: fixing the configuration (and relaunching) is enough', async () => {
    const p = await phone('ios');
    p.device.sqlite.iosDatabaseLocation = undefined;
    await expect(p.platform().store.keys('')).rejects.toMatchObject({ code: VaultErrorCodes.SecurityNotAvailable });
    p.device.sqlite.iosDatabaseLocation = 'Library/CapacitorDatabase';
    await p.relaunch();
    expect(await p.platform().store.keys('')).toEqual([]);
  });
});

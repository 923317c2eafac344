/**
 * Offline passcode guessing from a backup copy, on the Capacitor plugin platform's fakes
 * (docs/security.md, "Backups of a phone and offline guessing"; docs/native.md, "Backups"). Android Auto Backup includes the SQLite database, and an
 * iOS backup includes whatever is under Library/ that is not excluded; neither carries the
 * Keychain `ThisDeviceOnly` items or the Keystore keys. On the plugin platform every passcode
 * slot is also sealed under the device key, so the copy alone holds nothing that tells a right
 * passcode from a wrong one.
 *
 * "The backup" here is the fake SQLite plugin's database file (sql.js `export()`, the bytes of
 * `identityvaultSQLite.db`); the attacker reads it with their own SQLite and uses the core's own
 * primitives: PBKDF2 (`derivePasscodeKey`), the passcode wrap's opening (`openPasscodeWrap`:
 * slot or plain wrap), and value opening.
 */
import { describe, expect, it } from 'vitest';
import { VaultErrorCodes } from 'identity-vault';
import { createPlugin } from 'identity-vault/platform';
import type { NativeOS, PluginPlatform } from 'identity-vault/capacitor';
import { SimulatedClock } from 'identity-vault/testing';
import { createPluginPlatform } from '../../src/capacitor/plugin-platform.js';
import { DEVICE_KEY_ITEM } from '../../src/capacitor/plugin-device-key.js';
import { ITEM_PREFIX } from '../../src/capacitor/keychain-items.js';
import { fromUtf8, utf8 } from '../../src/core/bytes.js';
import { generateDataKey, open, seal, wrapDataKey } from '../../src/core/envelope.js';
import { derivePasscodeKey, newKdfParams } from '../../src/core/kdf.js';
import { openPasscodeWrap, valueBinding, wrapBinding, type VaultContext } from '../../src/core/key-wraps.js';
import type { DeviceKeyPort, Platform } from '../../src/core/ports.js';
import { parseMeta, parseStoredRecord, parseValue, toStored, vaultKeys, type MetaRecord, type PasscodeWrap } from '../../src/core/records.js';
import { createWebCrypto } from '../../src/shared/web-crypto.js';
import { FakeMaintainedDevice } from '../platforms/capacitor/maintained/fake-device.js';
import { loadSqlJs } from '../platforms/capacitor/maintained/fake-storage.js';
import { recordFigure } from './figures.js';

const descriptor = { vaultId: 'bank', username: 'ada' };
const keys = vaultKeys(descriptor.vaultId, descriptor.username);
const RIGHT = '482916';
const WRONG = '482917';
const SECRET = { token: 'canary-7f3e1b' };
const DEVICE_KEY = ITEM_PREFIX + DEVICE_KEY_ITEM;
const crypto = createWebCrypto();

async function phone(os: NativeOS) {
  const device = await FakeMaintainedDevice.create(os);
  const clock = new SimulatedClock(Date.now());
  /** `bindPasscodeToDeviceKey: false` is this platform as it was before the seal existed. */
  const launch = (bind = true): PluginPlatform => {
    const platform = createPluginPlatform(device.plugins(), { passcodePrompt: device.passcodePrompt, clock });
    return bind ? platform : { ...platform, bindPasscodeToDeviceKey: false };
  };
  let platform = launch();
  let plugin = createPlugin(platform);
  const p = {
    device,
    platform: () => platform,
    /** The app's vault (one plugin per launch, as an app has). */
    vault: (vaultId = descriptor.vaultId) => plugin.getVault({ ...descriptor, vaultId }),
    relaunch: async (bind = true) => {
      await platform.dispose();
      device.killApp();
      platform = launch(bind);
      plugin = createPlugin(platform);
    },
    /** The database file as a backup holds it. */
    backup: () => [...device.sqlite.files.values()][0]!.export(),
    /** Puts a database file back (the app is not running then). */
    restore: async (file: Uint8Array, bind = true) => {
      await platform.dispose();
      device.killApp();
      const sql = await loadSqlJs();
      device.sqlite.files.set('identityvault', new sql.Database(file));
      platform = launch(bind);
      plugin = createPlugin(platform);
    },
    meta: async () => parseMeta(await platform.store.get(keys.meta))!,
  };
  return p;
}

async function passcodeVault(os: NativeOS, bind = true) {
  const p = await phone(os);
  if (!bind) await p.relaunch(false);
  const vault = p.vault();
  await vault.setPasscodeEnabled(true);
  await vault.setPasscode(RIGHT);
  await vault.storeValue('session', SECRET);
  await vault.lock();
  return p;
}

/** The records in a copy of the database, read with the attacker's own SQLite. */
async function recordsOf(file: Uint8Array): Promise<Map<string, ReturnType<typeof parseStoredRecord>>> {
  const db = new (await loadSqlJs()).Database(file);
  const rows = db.exec('SELECT key, value FROM records')[0]?.values ?? [];
  return new Map(rows.map(([key, value]) => [String(key), parseStoredRecord(String(value))]));
}

/** A platform for the attacker's machine: WebCrypto, and a device key of their own choosing (none, or a fresh one). */
function attackerContext(deviceKey: CryptoKey | undefined): VaultContext {
  const port: DeviceKeyPort = { get: async () => deviceKey, delete: async () => undefined };
  return { platform: { crypto, deviceKey: port } as unknown as Platform, descriptor, keys };
}

/**
 * Everything the attacker can try with one passcode guess: the wrap as stored (the core opens
 * the device seal first), the slot as if it had no seal, and the wrap read as a plain wrap from
 * before the slot; each with no device key and with one of the attacker's own. Returns what each
 * try gave (an error name, or the secret when a data key came out and opened the value).
 */
async function guess(file: Uint8Array, passcode: string): Promise<string[]> {
  const records = await recordsOf(file);
  const meta = parseMeta(records.get(keys.meta))!;
  const wrap = meta.wraps.passcode!;
  const passcodeKey = await derivePasscodeKey(crypto, passcode, wrap.kdf);
  const { slotKey, ...withoutSeal } = wrap;
  const readings: PasscodeWrap[] = [wrap, withoutSeal, { iv: wrap.iv, ct: wrap.ct, kdf: wrap.kdf }];
  void slotKey;
  const ownKey = (await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey'])) as CryptoKey;
  const outcomes: string[] = [];
  for (const deviceKey of [undefined, ownKey]) {
    const ctx = attackerContext(deviceKey);
    for (const reading of readings) {
      try {
        const dataKey = await openPasscodeWrap(ctx, reading, wrap.kdf, passcodeKey, meta.kid!, meta.maxAttempts);
        const plain = await open(crypto, dataKey, parseValue(records.get(keys.value('session'))!), valueBinding(ctx, 'session'));
        outcomes.push(fromUtf8(plain));
      } catch (error) {
        outcomes.push(`${(error as Error).name}:${(error as { code?: unknown }).code ?? ''}`);
      }
    }
  }
  return outcomes;
}

const opened = (outcomes: string[]) => outcomes.filter((o) => o === JSON.stringify(SECRET));

for (const os of ['ios', 'android'] as const) {
  describe(`${os}: a backup copy of a passcode vault`, () => {
    it('with the right passcode and without the device key, the copy opens nothing, and the attacker sees exactly what a wrong passcode gives', async () => {
      const p = await passcodeVault(os);
      const copy = p.backup();
      expect((await recordsOf(copy)).size).toBeGreaterThan(0);
      expect(new TextDecoder().decode(copy)).not.toContain(SECRET.token);
      const right = await guess(copy, RIGHT);
      const wrong = await guess(copy, WRONG);
      expect(opened(right)).toEqual([]);
      expect(right).toEqual(wrong); // no oracle: a right guess cannot be told from a wrong one
      // The device key is the one thing missing: it is a Keychain/Keystore item, not in the file.
      const key = p.device.secureStorage.items.get(DEVICE_KEY)!.data;
      expect(new TextDecoder().decode(copy)).not.toContain(key);
      const control = await passcodeVault(os, false);
      const unsealed = opened(await guess(control.backup(), RIGHT)).length;
      expect(unsealed).toBeGreaterThan(0);
      recordFigure(
        'Backup copy: offline passcode guessing',
        `capacitor plugin fakes (${os})`,
        `the SQLite file of a passcode vault, the right passcode, ${right.length} ways to open it with the core's PBKDF2 and wrap opening (as stored, slot unsealed, plain wrap; no device key or the attacker's own): 0 open, answers identical to a wrong passcode's; the same on a copy written without the seal: ${unsealed} of ${right.length} open`,
      );
    });

    it('control: the same attack on a copy written before the seal (bindPasscodeToDeviceKey off) finds the passcode and opens the value', async () => {
      const p = await passcodeVault(os, false);
      expect((await p.meta()).wraps.passcode?.slotKey).toBeUndefined();
      const copy = p.backup();
      expect(opened(await guess(copy, RIGHT))).toHaveLength(4); // the slot as stored (= without a seal), with either device key
      expect(opened(await guess(copy, WRONG))).toEqual([]);
    });

    it('restored onto the same install, with its device key, the copy opens with the right passcode; a wrong one still counts', async () => {
      const p = await passcodeVault(os);
      const copy = p.backup();
      const vault = p.vault();
      await vault.unlock(true, RIGHT);
      await vault.storeValue('session', { token: 'later' });
      await p.restore(copy);
      const restored = p.vault();
      await expect(restored.unlock(true, WRONG)).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed, remainingAttempts: 4 });
      await restored.unlock(true, RIGHT);
      expect(await restored.getValue('session')).toEqual(SECRET);
    });

    it('restored after a reinstall (the device key and install id gone), the copy is discarded by the install check before anything reads it', async () => {
      const p = await passcodeVault(os);
      const copy = p.backup();
      p.device.secureStorage.restoreElsewhere();
      await p.restore(copy);
      expect(await p.platform().store.keys('')).toEqual([]);
      expect(await p.vault().isInUse()).toBe(false);
    });
  });
}

describe('passcode vaults written before the seal are sealed at their next passcode unlock', () => {
  for (const os of ['ios', 'android'] as const) {
    it(`${os}: a slot without the seal opens, is sealed under a new data key, and an old copy's cracked data key opens nothing written since`, async () => {
      const p = await passcodeVault(os, false);
      const oldCopy = p.backup();
      const before = await p.meta();
      await p.relaunch();
      const vault = p.vault();
      await vault.unlock(true, RIGHT);
      expect(await vault.getValue('session')).toEqual(SECRET);
      const after = await p.meta();
      expect(after.wraps.passcode?.slotKey).toBeDefined();
      expect(after.kid).not.toBe(before.kid); // a new data key
      expect(after.maxAttempts).toBe(before.maxAttempts);
      await vault.storeValue('later', { token: 'written-after-the-seal' });
      const newCopy = p.backup();
      expect(opened(await guess(newCopy, RIGHT))).toEqual([]);
      // The attacker who cracked the old copy holds its data key; the values now are under another.
      const cracked = await crackedDataKey(oldCopy, RIGHT);
      const records = await recordsOf(newCopy);
      const ctx = attackerContext(undefined);
      for (const name of ['session', 'later']) {
        await expect(open(crypto, cracked, parseValue(records.get(keys.value(name))!), valueBinding(ctx, name))).rejects.toThrow();
      }
      await vault.lock();
      await p.relaunch();
      await expect(p.vault().unlock(true, WRONG)).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed });
      await p.vault().unlock(true, RIGHT);
      expect(await p.vault().getValue('later')).toEqual({ token: 'written-after-the-seal' });
    });
  }

  it('a plain passcode wrap from before the slot opens and moves to a sealed slot', async () => {
    const p = await phone('android');
    const store = p.platform().store;
    const ctx: VaultContext = { platform: p.platform(), descriptor, keys };
    const dataKey = await generateDataKey(crypto);
    const kdf = newKdfParams(crypto, undefined);
    const passcodeKey = await derivePasscodeKey(crypto, RIGHT, kdf);
    const plain = await wrapDataKey(crypto, dataKey, passcodeKey, wrapBinding(ctx, 'passcode', 'old-kid', kdf));
    const meta: MetaRecord = {
      v: 1,
      passcodeEnabled: true,
      biometricsEnabled: false,
      kid: 'old-kid',
      wraps: { passcode: { ...plain, kdf } },
      credential: null,
    };
    const value = await seal(crypto, dataKey, utf8(JSON.stringify(SECRET)), valueBinding(ctx, 'session'));
    await store.commit({
      put: [
        [keys.meta, toStored(meta)],
        [keys.value('session'), { v: 1, ...value }],
      ],
    });
    await p.relaunch();
    const vault = p.vault();
    await vault.unlock(true, RIGHT);
    expect(await vault.getValue('session')).toEqual(SECRET);
    const after = await p.meta();
    expect(after.wraps.passcode?.slot).toBeDefined();
    expect(after.wraps.passcode?.slotKey).toBeDefined();
    expect(opened(await guess(p.backup(), RIGHT))).toEqual([]);
  });

  it('a vault with biometrics too is sealed without a biometric prompt (same data key until its next rotation); biometrics still unlock it', async () => {
    const p = await phone('ios');
    await p.relaunch(false);
    const vault = p.vault();
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode(RIGHT);
    p.device.respondWith('success');
    await vault.setBiometricsEnabled(true);
    await vault.storeValue('session', SECRET);
    await vault.lock();
    const before = await p.meta();
    expect(before.wraps.passcode?.slotKey).toBeUndefined();
    await p.relaunch();
    const prompts = () => p.device.biometric.calls.filter((c) => c.method === 'getSecureData').length;
    const shown = prompts();
    await p.vault().unlock(true, RIGHT);
    expect(prompts()).toBe(shown);
    const after = await p.meta();
    expect(after.wraps.passcode?.slotKey).toBeDefined();
    expect(after.kid).toBe(before.kid);
    expect(opened(await guess(p.backup(), RIGHT))).toEqual([]);
    await p.vault().lock();
    await p.vault().unlock();
    expect(await p.vault().getValue('session')).toEqual(SECRET);
  });
});

/** What the attacker gets from a copy without the seal: the data key, found with the right passcode. */
async function crackedDataKey(file: Uint8Array, passcode: string): Promise<CryptoKey> {
  const meta = parseMeta((await recordsOf(file)).get(keys.meta))!;
  const wrap = meta.wraps.passcode!;
  const passcodeKey = await derivePasscodeKey(crypto, passcode, wrap.kdf);
  return openPasscodeWrap(attackerContext(undefined), wrap, wrap.kdf, passcodeKey, meta.kid!, meta.maxAttempts);
}

describe('the device key stays while a passcode slot is sealed under it', () => {
  it('a vault moving from the device key to a passcode keeps the key (it now seals the slot); after a restart the passcode opens it', async () => {
    const p = await phone('android');
    const vault = p.vault();
    await vault.storeValue('session', SECRET); // the device key wraps the data key
    const key = p.device.secureStorage.items.get(DEVICE_KEY)!.data;
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode(RIGHT); // rotation: the device wrap goes, the sealed slot comes
    expect((await p.meta()).wraps.device).toBeUndefined();
    expect(p.device.secureStorage.items.get(DEVICE_KEY)?.data).toBe(key);
    await p.relaunch();
    await p.vault().unlock(true, RIGHT);
    expect(await p.vault().getValue('session')).toEqual(SECRET);
  });

  it('another vault giving up its device wrap does not delete it, nor does a passcode change; clearing the last vault that uses it does', async () => {
    const p = await passcodeVault('ios');
    const other = p.vault('other');
    await other.storeValue('k', 1);
    await other.clear(); // its device wrap goes: the sealed slot of 'bank' still uses the key
    expect(p.device.secureStorage.items.has(DEVICE_KEY)).toBe(true);
    const vault = p.vault();
    await vault.unlock(true, RIGHT);
    await vault.setPasscode('111111'); // a new sealed slot (rotation); the key stays
    expect(p.device.secureStorage.items.has(DEVICE_KEY)).toBe(true);
    await p.relaunch();
    await p.vault().unlock(true, '111111');
    expect(await p.vault().getValue('session')).toEqual(SECRET);
    await p.vault().clear();
    expect(p.device.secureStorage.items.has(DEVICE_KEY)).toBe(false);
  });

  it('a lost or replaced device key is KeyNotFound before any attempt is counted, and the records stay as they were', async () => {
    const p = await passcodeVault('android');
    await p.relaunch();
    await p.device.secureStorage.internalRemoveItem({ prefixedKey: DEVICE_KEY, sync: false });
    const before = p.device.sqlite.dump();
    const error = await p
      .vault()
      .unlock(true, RIGHT)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: VaultErrorCodes.KeyNotFound });
    expect((error as Error).message).toMatch(/device key/);
    expect(await p.vault().remainingAttempts()).toBe(5);
    expect(p.device.sqlite.dump()).toBe(before);
    // Another vault makes a new device key: the passcode vault is still KeyNotFound ("replaced"), never a wrong passcode.
    await p.vault('other').storeValue('k', 1);
    await expect(p.vault().unlock(true, RIGHT)).rejects.toMatchObject({ code: VaultErrorCodes.KeyNotFound, message: expect.stringMatching(/replaced/) });
    expect(await p.vault().remainingAttempts()).toBe(5);
    // Log in again: clear, set a passcode, store: a working vault under the new key.
    const vault = p.vault();
    await vault.clear();
    await vault.setPasscode(RIGHT);
    await vault.storeValue('session', { token: 'new' });
    await vault.lock();
    await vault.unlock(true, RIGHT);
    expect(await vault.getValue('session')).toEqual({ token: 'new' });
  });
});

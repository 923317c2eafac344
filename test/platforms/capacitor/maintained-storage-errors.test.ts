/**
 * The storage plugins' failures, mapped: every rejection of the secure storage and SQLite plugins
 * is a `VaultUnavailable` that keeps the plugin's error as its `cause` (never its text, never a
 * stored value), and what is already stored is left untouched. Rejection shapes are the plugins'
 * own: secure storage rejects with a `StorageErrorType` name as `code` (SecureStorage.java
 * `KeyStoreException.rejectCall`); SQLite with a message only (CapacitorSQLitePlugin `rHandler`).
 */
import { describe, expect, it } from 'vitest';
import { VaultErrorCodes } from 'identity-vault';
import type { StoredRecord } from 'identity-vault/platform';
import { keychainItems } from '../../../src/capacitor/keychain-items.js';
import { sqliteStore } from '../../../src/capacitor/sqlite-store.js';
import { FakeMaintainedDevice } from './maintained/fake-device.js';

const failing = (code: string) => () => Promise.reject(Object.assign(new Error(`An OS error occurred (${code} detail)`), { code }));

describe('secure storage failures', () => {
  for (const os of ['ios', 'android'] as const) {
    it(`${os}: a rejected read, write or delete is VaultUnavailable naming the plugin's code, with the plugin's error as cause`, async () => {
      const device = await FakeMaintainedDevice.create(os);
      const items = keychainItems(device.secureStorage);
      await items.put('a', 'secret-value');
      for (const method of ['internalGetItem', 'internalSetItem', 'internalRemoveItem'] as const) {
        const original = device.secureStorage[method];
        (device.secureStorage as unknown as Record<string, unknown>)[method] = failing('osError');
        const error = await (method === 'internalGetItem' ? items.get('a') : method === 'internalSetItem' ? items.put('a', 'other') : items.remove('a')).catch(
          (e: unknown) => e,
        );
        (device.secureStorage as unknown as Record<string, unknown>)[method] = original;
        expect(error, method).toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
        expect((error as Error).message).toContain('SecureStorage code osError');
        expect((error as Error).message).not.toContain('detail');
        expect(((error as Error).cause as Error).message).toContain('detail');
      }
      expect(await items.get('a')).toBe('secret-value');
    });
  }

  it('iOS: a missing item reaches JavaScript without `data` and reads as absent; a malformed result is refused', async () => {
    const device = await FakeMaintainedDevice.create('ios');
    const items = keychainItems(device.secureStorage);
    expect(await items.get('missing')).toBeNull();
    device.secureStorage.internalGetItem = async () => ({ data: 42 as unknown as string });
    await expect(items.get('x')).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
  });
});

describe('SQLite failures', () => {
  for (const os of ['ios', 'android'] as const) {
    it(`${os}: a database that cannot be opened is VaultUnavailable, and a later call tries again`, async () => {
      const device = await FakeMaintainedDevice.create(os);
      const store = sqliteStore({ sqlite: device.sqlite, items: keychainItems(device.secureStorage), os, randomBytes: (n) => new Uint8Array(n).fill(7) });
      const open = device.sqlite.open.bind(device.sqlite);
      device.sqlite.open = () => Promise.reject(new Error('unable to open database file'));
      await expect(store.keys('')).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
      device.sqlite.open = open;
      expect(await store.keys('')).toEqual([]);
    });

    it(`${os}: an unreadable record is VaultUnavailable and stays as it was`, async () => {
      const device = await FakeMaintainedDevice.create(os);
      const store = sqliteStore({ sqlite: device.sqlite, items: keychainItems(device.secureStorage), os, randomBytes: (n) => new Uint8Array(n).fill(7) });
      await store.commit({ put: [['k', { v: 1 }]] });
      const db = [...device.sqlite.files.values()][0]!;
      db.run("UPDATE records SET value = '{not json' WHERE key = 'k'");
      await expect(store.get('k')).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
      await expect(store.update('k', () => ({ v: 2 }))).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
      expect(db.exec("SELECT value FROM records WHERE key = 'k'")[0]!.values[0]![0]).toBe('{not json');
    });

    it(`${os}: a record that is not a plain object is refused before anything is written`, async () => {
      const device = await FakeMaintainedDevice.create(os);
      const store = sqliteStore({ sqlite: device.sqlite, items: keychainItems(device.secureStorage), os, randomBytes: (n) => new Uint8Array(n).fill(7) });
      await store.commit({ put: [['k', { v: 1 }]] });
      await expect(store.commit({ delete: ['k'], put: [['j', [1, 2] as unknown as StoredRecord]] })).rejects.toMatchObject({
        code: VaultErrorCodes.InvalidArguments,
      });
      expect(await store.get('k')).toEqual({ v: 1 });
    });
  }
});

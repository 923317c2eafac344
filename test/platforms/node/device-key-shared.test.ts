/**
 * The Node device key is one file shared by every process on a directory. Two plugins on one
 * directory stand for two processes. When another process deletes the key file (its `clear()`
 * deletes the device key once no wrap uses it), a write here must wrap its new data key under a key
 * that is on disk, so a third process can read what was written.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { IdentityVault } from 'identity-vault';
import { createFileDeviceKey } from 'identity-vault/node';
import { join } from 'node:path';
import { removeTempDirs, tempDir, vaultOfAnotherProcess } from './helpers.js';

afterAll(removeTempDirs);

const descriptor = { vaultId: 'app', username: 'ada' };

const openProcess = (directory: string): Promise<IdentityVault> => vaultOfAnotherProcess(directory, descriptor);

describe('node device key shared between processes', () => {
  it('a write after another process cleared the vault (and deleted the key file) is readable by a third process', async () => {
    const directory = await tempDir();
    const first = await openProcess(directory);
    await first.storeValue('old', 1);
    const second = await openProcess(directory);
    await second.clear();
    await first.storeValue('new', 2);
    const third = await openProcess(directory);
    expect(await third.getValue('new')).toBe(2);
    expect(await third.getValue('old')).toBeUndefined();
  });

  it('two ports on one file: a key deleted through one is not handed out by the other', async () => {
    const directory = await tempDir();
    const path = join(directory, 'device-key-test');
    const a = createFileDeviceKey({ path });
    const b = createFileDeviceKey({ path });
    expect(await a.get({ create: true })).toBeDefined();
    await b.delete();
    expect(await a.get({ create: false })).toBeUndefined();
    const made = await a.get({ create: true });
    const seen = await b.get({ create: false });
    expect(made).toBeDefined();
    expect(seen).toBeDefined();
    // The same key: what one wraps, the other unwraps.
    const dataKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const wrapped = await crypto.subtle.wrapKey('raw', dataKey, made!, { name: 'AES-GCM', iv });
    const back = await crypto.subtle.unwrapKey('raw', wrapped, seen!, { name: 'AES-GCM', iv }, 'AES-GCM', true, ['encrypt']);
    expect(new Uint8Array(await crypto.subtle.exportKey('raw', back))).toEqual(new Uint8Array(await crypto.subtle.exportKey('raw', dataKey)));
  });
});

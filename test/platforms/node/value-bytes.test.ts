/**
 * Bytes in records on the Node file store (issue 16): the core hands value records over with their
 * IV and ciphertext as bytes; the file store keeps text, so it writes them as base64 at its own
 * boundary (core/records.ts `recordText`) — exactly the files earlier versions wrote — and reads
 * them back as that text, which the core opens. On real files.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VaultErrorCodes } from 'identity-vault';
import { createFileStore, createNodePlugin } from 'identity-vault/node';
import { recordFileName } from '../../../src/node/record-names.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const descriptor = { vaultId: 'app', username: 'ada' };
const valueFile = (directory: string, key: string) => join(directory, 'records', recordFileName(`iv1/app/ada/v/${key}`));
const base64 = /^[A-Za-z0-9+/]+={0,2}$/;

describe('file store: bytes in records', () => {
  it('writes bytes as base64 text, in a single-record commit and in a journalled batch, and reads that text back', async () => {
    const directory = await tempDir();
    const store = createFileStore({ directory });
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253]);
    await store.commit({ put: [['one', { v: 1, b: bytes }]] });
    await store.commit({
      put: [
        ['two', { v: 1, b: bytes }],
        ['three', { v: 1, b: new Uint8Array(0) }],
      ],
    });
    expect(await store.get('one')).toEqual({ v: 1, b: 'AAEC+vv8/Q==' });
    expect(await store.get('two')).toEqual({ v: 1, b: 'AAEC+vv8/Q==' });
    expect(await store.get('three')).toEqual({ v: 1, b: '' });
    const onDisk = JSON.parse(await readFile(join(directory, 'records', recordFileName('one')), 'utf8')) as unknown;
    expect(onDisk).toEqual({ key: 'one', record: { v: 1, b: 'AAEC+vv8/Q==' } });
    expect(await store.update('one', () => ({ v: 2, b: new Uint8Array([255]) }))).toEqual({ v: 2, b: new Uint8Array([255]) });
    expect(await store.get('one')).toEqual({ v: 2, b: '/w==' });
  });
});

describe('node vault: value records on real files', () => {
  it('a stored value is base64 text on disk (the format of earlier versions), and opens after a restart', async () => {
    const directory = await tempDir();
    await createNodePlugin({ directory }).getVault(descriptor).storeValue('session', { token: 'abc' });
    const file = JSON.parse(await readFile(valueFile(directory, 'session'), 'utf8')) as { record: Record<string, unknown> };
    expect(Object.keys(file.record).sort()).toEqual(['ct', 'iv', 'v']);
    expect(file.record.iv).toMatch(base64);
    expect(file.record.ct).toMatch(base64);
    expect(Buffer.from(file.record.iv as string, 'base64')).toHaveLength(12);
    const again = createNodePlugin({ directory }).getVault(descriptor);
    await again.unlock();
    expect(await again.getValue('session')).toEqual({ token: 'abc' });
  });

  it('a mistyped or tampered record file is VaultUnavailable, is left untouched, and other values still open', async () => {
    const directory = await tempDir();
    const writer = createNodePlugin({ directory }).getVault(descriptor);
    await writer.storeValue('good', 'fine');
    await writer.storeValue('victim', 'secret');
    const path = valueFile(directory, 'victim');
    const original = await readFile(path, 'utf8');
    const { key, record } = JSON.parse(original) as { key: string; record: { v: number; iv: string; ct: string } };
    const ctBytes = Buffer.from(record.ct, 'base64');
    ctBytes[2] = ctBytes[2]! ^ 1;
    const variants: Record<string, unknown> = {
      'iv a number': { ...record, iv: 12 },
      'ct an object of numbered bytes (JSON of a Uint8Array)': { ...record, ct: { ...Buffer.from(record.ct, 'base64') } },
      'ct an array': { ...record, ct: [...Buffer.from(record.ct, 'base64')] },
      'ct not base64': { ...record, ct: 'not base64!' },
      'ct one bit flipped': { ...record, ct: ctBytes.toString('base64') },
      'iv 11 bytes': { ...record, iv: Buffer.from(record.iv, 'base64').subarray(0, 11).toString('base64') },
      'unknown version': { ...record, v: 2 },
    };
    for (const [name, tampered] of Object.entries(variants)) {
      const text = JSON.stringify({ key, record: tampered });
      await writeFile(path, text);
      const reader = createNodePlugin({ directory }).getVault(descriptor);
      await reader.unlock();
      await expect(reader.getValue('victim'), name).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
      expect(await readFile(path, 'utf8'), name).toBe(text);
      expect(await reader.getValue('good'), name).toBe('fine');
    }
    await writeFile(path, original);
    const restored = createNodePlugin({ directory }).getVault(descriptor);
    await restored.unlock();
    expect(await restored.getValue('victim')).toBe('secret');
  });
});

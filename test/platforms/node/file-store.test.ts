import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createFileStore } from 'identity-vault/node';
import { recordFileName } from '../../../src/node/record-names.js';
import { VaultError, VaultErrorCodes } from 'identity-vault';
import type { StoredRecord } from 'identity-vault/platform';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const posix = process.platform !== 'win32';

async function freshStore() {
  const directory = await tempDir();
  return { directory, store: createFileStore({ directory }) };
}

describe('file store: records', () => {
  it('reads what it wrote, lists keys by prefix, deletes', async () => {
    const { store } = await freshStore();
    expect(await store.get('a')).toBeUndefined();
    expect(await store.keys('')).toEqual([]);
    expect(await store.hasPrefix('')).toBe(false);
    expect(
      await store.commit({
        put: [
          ['v/a', { n: 1 }],
          ['v/b', { n: 2 }],
          ['meta', { k: 'x' }],
        ],
      }),
    ).toBe(true);
    expect(await store.get('v/a')).toEqual({ n: 1 });
    expect((await store.keys('v/')).sort()).toEqual(['v/a', 'v/b']);
    expect(await store.hasPrefix('v/')).toBe(true);
    expect(await store.hasPrefix('w')).toBe(false);
    await store.commit({ delete: ['v/a'] });
    expect(await store.get('v/a')).toBeUndefined();
    await store.commit({ deletePrefixes: ['v/'], put: [['v/c', { n: 3 }]] });
    expect((await store.keys('')).sort()).toEqual(['meta', 'v/c']);
  });

  it('keeps arbitrary keys apart: long, unicode, lone surrogates, path-like, __proto__', async () => {
    const { store } = await freshStore();
    const keys = [
      '',
      '__proto__',
      'constructor',
      '../../etc/passwd',
      'a/b\\c:d',
      'é',
      'e\u0301',
      '😀',
      '\uD800',
      '\uDC00x',
      'A',
      'a',
      'x'.repeat(121),
      'x'.repeat(2000),
      'x'.repeat(2000) + 'y',
      '😀'.repeat(40),
    ];
    await store.commit({ put: keys.map((key, i) => [key, { i }] as const) });
    for (const [i, key] of keys.entries()) expect(await store.get(key)).toEqual({ i });
    expect((await store.keys('')).sort()).toEqual([...keys].sort());
    expect((await store.keys('x'.repeat(200))).sort()).toEqual(['x'.repeat(2000), 'x'.repeat(2000) + 'y']);
    expect(await store.keys('x'.repeat(2000) + 'y')).toEqual(['x'.repeat(2000) + 'y']);
    // A prefix ending in half a surrogate pair still matches in JavaScript string terms.
    expect((await store.keys('\uD83D')).sort()).toEqual(['😀', '😀'.repeat(40)].sort());
    const proto = await store.get('__proto__');
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(proto).toEqual({ i: 1 });
  });

  it('keys(prefix) agrees with a model for random keys (property)', async () => {
    const { store } = await freshStore();
    const key = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ minLength: 118, maxLength: 130 }));
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(key, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 4 }), async (ks, cuts) => {
        await store.commit({ deletePrefixes: [''], put: ks.map((k) => [k, { k }] as const) });
        const prefixes = ['', ...cuts.map((c, i) => (ks[i % Math.max(1, ks.length)] ?? '').slice(0, c % 140))];
        for (const prefix of prefixes) {
          expect((await store.keys(prefix)).sort()).toEqual(ks.filter((k) => k.startsWith(prefix)).sort());
          expect(await store.hasPrefix(prefix)).toBe(ks.some((k) => k.startsWith(prefix)));
        }
      }),
      { numRuns: 30 },
    );
  });

  it('applies a guard inside the commit', async () => {
    const { store } = await freshStore();
    const notThere = (r: StoredRecord | undefined) => r === undefined;
    expect(
      await store.commit({
        guard: { key: 'g', test: notThere },
        put: [
          ['g', { v: 1 }],
          ['x', { v: 1 }],
        ],
      }),
    ).toBe(true);
    expect(await store.commit({ guard: { key: 'g', test: notThere }, put: [['x', { v: 2 }]] })).toBe(false);
    expect(await store.get('x')).toEqual({ v: 1 });
  });

  it('update is read-modify-write and may delete', async () => {
    const { store } = await freshStore();
    const inc = (r: StoredRecord | undefined) => ({ n: ((r?.n as number | undefined) ?? 0) + 1 });
    expect(await store.update('c', inc)).toEqual({ n: 1 });
    await Promise.all(Array.from({ length: 20 }, () => store.update('c', inc)));
    expect(await store.get('c')).toEqual({ n: 21 });
    expect(await store.update('c', () => undefined)).toBeUndefined();
    expect(await store.get('c')).toBeUndefined();
    expect(await store.update('never', () => undefined)).toBeUndefined();
  });

  it('the last put of a key in one batch wins', async () => {
    const { store } = await freshStore();
    await store.commit({ put: Array.from({ length: 40 }, (_, i) => ['k', { i }] as const) });
    expect(await store.get('k')).toEqual({ i: 39 });
  });

  it('two store instances in one process see each other and never lose updates', async () => {
    const { directory } = await freshStore();
    const a = createFileStore({ directory });
    const b = createFileStore({ directory });
    const inc = (r: StoredRecord | undefined) => ({ n: ((r?.n as number | undefined) ?? 0) + 1 });
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).update('c', inc)));
    expect(await a.get('c')).toEqual({ n: 30 });
  });

  it('refuses non-object records with InvalidArguments', async () => {
    const { store } = await freshStore();
    await expect(store.commit({ put: [['a', [1] as unknown as StoredRecord]] })).rejects.toMatchObject({ code: VaultErrorCodes.InvalidArguments });
  });
});

describe('file store: files on disk', () => {
  it.runIf(posix)('creates the directory 0700 and every file 0600', async () => {
    const { directory, store } = await freshStore();
    await store.commit({
      put: [
        ['a', { n: 1 }],
        ['b', { n: 2 }],
      ],
    });
    await store.update('c', () => ({ n: 3 }));
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    for (const sub of ['records', 'tmp']) expect((await stat(join(directory, sub))).mode & 0o777).toBe(0o700);
    const files = await readdir(join(directory, 'records'));
    expect(files).toHaveLength(3);
    for (const name of files) expect((await stat(join(directory, 'records', name))).mode & 0o777).toBe(0o600);
    // Nothing is left behind: no lock, no journal, no temporary file (lock-id names the
    // OS-released lock and stays).
    expect((await readdir(directory)).sort()).toEqual(['lock-id', 'records', 'tmp']);
    expect((await stat(join(directory, 'lock-id'))).mode & 0o777).toBe(0o600);
    expect(await readdir(join(directory, 'tmp'))).toEqual([]);
  });

  it('creates a missing default-style directory tree', async () => {
    const base = await tempDir();
    const directory = join(base, 'deep', 'identity-vault', 'app');
    await createFileStore({ directory }).commit({ put: [['a', { n: 1 }]] });
    expect(await createFileStore({ directory }).get('a')).toEqual({ n: 1 });
  });

  it('reports a corrupted record as VaultUnavailable with the cause, never as missing', async () => {
    const { directory, store } = await freshStore();
    await store.commit({
      put: [
        ['a', { n: 1 }],
        ['b', { n: 2 }],
      ],
    });
    await writeFile(join(directory, 'records', recordFileName('a')), '{"key":"a","rec');
    const error = await store.get('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
    expect(await store.get('b')).toEqual({ n: 2 });
    // A file holding another key (renamed by hand) is refused too.
    await writeFile(join(directory, 'records', recordFileName('c')), JSON.stringify({ key: 'b', record: { n: 2 } }));
    await expect(store.get('c')).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
  });

  it('reports I/O failures as VaultUnavailable', async () => {
    const base = await tempDir();
    await writeFile(join(base, 'file'), 'x');
    const store = createFileStore({ directory: join(base, 'file', 'sub') });
    await expect(store.commit({ put: [['a', { n: 1 }]] })).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
  });

  it('replays a journal left by a crash before anything else', async () => {
    const { directory, store } = await freshStore();
    await store.commit({
      put: [
        ['old/1', { n: 1 }],
        ['old/2', { n: 2 }],
        ['keep', { n: 0 }],
      ],
    });
    // A process died after writing the journal and applying part of it.
    const batch = {
      v: 1,
      deletePrefixes: ['old/'],
      delete: ['keep'],
      put: [
        ['new/1', { n: 10 }],
        ['new/2', { n: 20 }],
      ],
    };
    await writeFile(join(directory, 'journal.json'), JSON.stringify(batch), { mode: 0o600 });
    await writeFile(join(directory, 'records', recordFileName('new/1')), JSON.stringify({ key: 'new/1', record: { n: 10 } }));
    const reopened = createFileStore({ directory });
    expect(await reopened.get('old/1')).toBeUndefined(); // get waits for the journal
    expect((await reopened.keys('')).sort()).toEqual(['new/1', 'new/2']);
    expect(await readdir(directory)).not.toContain('journal.json');
  });

  it('refuses to guess when the journal itself is damaged', async () => {
    const { directory, store } = await freshStore();
    await store.commit({ put: [['a', { n: 1 }]] });
    await writeFile(join(directory, 'journal.json'), '{"v":1,"put":[["a"');
    await expect(store.get('a')).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    await expect(store.commit({ put: [['b', { n: 1 }]] })).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
  });

  it('removes temporary files a dead writer left', async () => {
    const { directory, store } = await freshStore();
    await store.commit({ put: [['a', { n: 1 }]] });
    await writeFile(join(directory, 'tmp', '99999-deadbeef.tmp'), 'half a rec');
    await createFileStore({ directory }).commit({ put: [['b', { n: 2 }]] });
    expect(await readdir(join(directory, 'tmp'))).toEqual([]);
  });

  it('stores no record outside records/ and keeps keys out of file names only when hashed', async () => {
    const { directory, store } = await freshStore();
    await mkdir(directory, { recursive: true });
    await store.commit({
      put: [
        ['short', { n: 1 }],
        ['x'.repeat(500), { n: 2 }],
      ],
    });
    const names = await readdir(join(directory, 'records'));
    expect(names.every((n) => /^(?:[0-9a-f]+|h[0-9a-f]+-[0-9a-f]{64}|u-[0-9a-f]{64})\.json$/.test(n))).toBe(true);
    expect(names.every((n) => n.length <= 255)).toBe(true);
    const long = await readFile(join(directory, 'records', recordFileName('x'.repeat(500))), 'utf8');
    expect(JSON.parse(long).key).toBe('x'.repeat(500));
  });
});

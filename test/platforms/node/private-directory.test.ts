/**
 * Issue 11: the Node store refuses a vault directory that is not private to the current user.
 * Each case plants what an attacker with write access (or a careless setup) could leave: a
 * directory or file others can write, a symlink, a directory of another uid. Every case is on real
 * files, and each checks that the refusal is a VaultError naming the path, and that nothing the
 * vault stored was changed.
 */
import { chmod, chown, cp, mkdir, readdir, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VaultErrorCodes } from 'identity-vault';
import { createNodePlugin, createFileStore } from 'identity-vault/node';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const descriptor = { vaultId: 'app', username: 'ada' };
const isRoot = process.getuid?.() === 0;

/** A vault with a value stored under the device key (no passcode), in a fresh directory. */
async function storedVault() {
  const directory = join(await tempDir(), 'vault');
  const vault = createNodePlugin({ directory }).getVault(descriptor);
  await vault.storeValue('session', { token: 'abc' });
  return directory;
}

/** A new process's view of `directory` (a fresh plugin, so nothing was checked before): unlock and read. */
function readAgain(directory: string): Promise<unknown> {
  const vault = createNodePlugin({ directory }).getVault(descriptor);
  return vault.unlock().then(() => vault.getValue('session'));
}

async function expectRefused(directory: string, path: string, words: RegExp) {
  const error = await readAgain(directory).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
  expect((error as Error).message).toContain(path);
  expect((error as Error).message).toMatch(words);
}

describe.runIf(process.platform !== 'win32')('node store: a vault directory that is not private is refused on open', () => {
  it('reads its own private directory (the control case)', async () => {
    const directory = await storedVault();
    expect(await readAgain(directory)).toEqual({ token: 'abc' });
  });

  it('refuses a store directory with group or other bits, and leaves its mode alone', async () => {
    const directory = await storedVault();
    await chmod(directory, 0o770);
    await expectRefused(directory, directory, /mode is 770.*chmod 700/);
    await expect(createFileStore({ directory }).commit({ put: [['x', { n: 1 }]] })).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    await chmod(directory, 0o700);
    expect(await readAgain(directory)).toEqual({ token: 'abc' });
  });

  it('refuses a records directory others can write', async () => {
    const directory = await storedVault();
    await chmod(join(directory, 'records'), 0o733);
    await expectRefused(directory, join(directory, 'records'), /mode is 733/);
  });

  it('refuses a store directory reached through a symlink', async () => {
    const directory = await storedVault();
    const link = join(directory, '..', 'link');
    await symlink(directory, link);
    await expectRefused(link, link, /symlink/);
  });

  it('refuses record files that are symlinks (to records planted elsewhere)', async () => {
    const directory = await storedVault();
    const records = join(directory, 'records');
    const planted = join(directory, '..', 'planted');
    await mkdir(planted);
    for (const name of await readdir(records)) {
      await rename(join(records, name), join(planted, name));
      await symlink(join(planted, name), join(records, name));
    }
    await expectRefused(directory, records, /symlink/);
  });

  it('refuses a record file readable or writable by others', async () => {
    const directory = await storedVault();
    for (const name of await readdir(join(directory, 'records'))) await chmod(join(directory, 'records', name), 0o644);
    await expectRefused(directory, join(directory, 'records'), /mode is 644.*chmod 600/);
  });

  it('refuses a device key file that is a symlink or not private', async () => {
    const directory = await storedVault();
    const key = join(directory, 'device-key');
    await chmod(key, 0o640);
    await expectRefused(directory, key, /mode is 640/);
    await chmod(key, 0o600);
    await rename(key, `${key}.real`);
    await symlink(`${key}.real`, key);
    await expectRefused(directory, key, /symlink/);
  });

  it('refuses a planted journal it does not own privately', async () => {
    const directory = await storedVault();
    const journal = join(directory, 'journal.json');
    await writeFile(journal, JSON.stringify({ v: 1, deletePrefixes: ['app/'], delete: [], put: [] }), { mode: 0o666 });
    await chmod(journal, 0o666);
    await expectRefused(directory, journal, /mode is 666/);
    // Nothing was replayed: the value is still there once the planted journal is gone.
    await rename(journal, `${journal}.planted`);
    expect(await readAgain(directory)).toEqual({ token: 'abc' });
  });

  // Ownership by another uid needs root to set up (chown); this machine's tests run as root.
  it.runIf(isRoot)('refuses a directory or a file owned by another user (as root, with chown)', async () => {
    const directory = await storedVault();
    const copy = join(directory, '..', 'copy');
    await cp(directory, copy, { recursive: true });
    await chown(directory, 1234, 1234);
    await expectRefused(directory, directory, /belongs to uid 1234, not to the current user \(uid 0\)/);
    await chown(directory, 0, 0);
    expect(await readAgain(directory)).toEqual({ token: 'abc' });
    for (const name of await readdir(join(copy, 'records'))) await chown(join(copy, 'records', name), 1234, 1234);
    await expectRefused(copy, join(copy, 'records'), /belongs to uid 1234/);
  });
});

/**
 * The Node platform on real files: after a full workflow no value, token or passcode appears in
 * any byte of the vault directory, and the files are private to the user.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { stat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createNodePlugin } from 'identity-vault/node';
import { dumpDirectory, removeTempDirs, tempDir } from '../platforms/node/helpers.js';
import { recordFigure } from './figures.js';

afterAll(removeTempDirs);

describe('node platform', () => {
  it('after a full workflow no persisted byte holds a canary; files 0600, directory 0700', async () => {
    const directory = await tempDir('iv-security-');
    const plugin = createNodePlugin({ directory });
    const vault = plugin.getVault({ vaultId: 'app', username: 'CANARY-user@example.com' });
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('CANARY-pass-31337');
    await vault.storeToken('CANARY-token-eyJ');
    await vault.storeValue('session', { token: 'CANARY-token-eyJ', email: 'CANARY-mail' });
    await vault.setPasscode('CANARY-pass-2');
    await vault.lock();
    await vault.unlock(true, 'CANARY-pass-2');
    await vault.lock();
    const dump = await dumpDirectory(directory);
    expect(dump.length).toBeGreaterThan(500);
    // The username is part of the descriptor and names records (documented); values, token and passcode never appear.
    for (const canary of ['CANARY-pass', 'CANARY-token', 'CANARY-mail']) expect(dump).not.toContain(canary);
    const modes: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      modes.push(((await stat(dir)).mode & 0o777).toString(8));
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) await walk(join(dir, entry.name));
        else modes.push(((await stat(join(dir, entry.name))).mode & 0o777).toString(8));
      }
    };
    await walk(directory);
    expect(new Set(modes)).toEqual(new Set(['700', '600']));
    recordFigure(
      '11. no plaintext in storage',
      'node (real files)',
      `every file of the vault directory after passcode, token, session, re-key (${dump.length.toLocaleString('en')} bytes): 0 canaries; directories 0700, files 0600`,
    );
  });
});

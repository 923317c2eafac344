import { spawnSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { VaultError, VaultErrorCodes } from 'identity-vault';
import {
  createNodePlatform,
  createNodePlugin,
  defaultDataDirectory,
  createFileDeviceKey,
  createTerminalPrompt,
  createNodeLifecycle,
} from 'identity-vault/node';
import { CapturedOutput, FakeTty } from './fake-tty.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);
const posix = process.platform !== 'win32';
const subtle = webcrypto.subtle as SubtleCrypto;
const descriptor = { vaultId: 'app', username: 'ada' };

describe('node platform', () => {
  it('has the documented shape: no value cache, no peers, KDF iterations passed on', async () => {
    const directory = await tempDir();
    const platform = createNodePlatform({ directory, kdfIterations: 700_000 });
    expect(platform).toMatchObject({ name: 'node', directory, cacheValues: false, kdf: { iterations: 700_000 } });
    expect(platform.peers).toBeUndefined();
    expect(createNodePlatform({ directory }).kdf).toBeUndefined();
    expect(createNodePlatform({ appName: 'x' }).directory).toBe(defaultDataDirectory('x'));
    expect(platform.crypto.randomBytes(32)).toHaveLength(32);
  });

  it('has no biometrics: unavailable, type none, enabling is SecurityNotAvailable', async () => {
    const directory = await tempDir();
    const vault = createNodePlugin({ directory }).getVault(descriptor);
    expect(await vault.isBiometricsAvailable()).toBe(false);
    expect(await vault.getBiometricType()).toBe('none');
    await expect(vault.setBiometricsEnabled(true)).rejects.toMatchObject({ code: VaultErrorCodes.SecurityNotAvailable });
    await expect(vault.unlock(false)).resolves.toBeUndefined(); // nothing stored yet: nothing to unlock
    const { biometrics } = createNodePlatform({ directory });
    for (const call of [biometrics.enroll(descriptor), biometrics.keyForWrap({ credential: {} }), biometrics.keyForUnwrap({ credential: {} })]) {
      await expect(call).rejects.toMatchObject({ code: VaultErrorCodes.SecurityNotAvailable });
    }
  });

  it('a second process (here: a second plugin) sees writes at once, without a value cache', async () => {
    const directory = await tempDir();
    const a = createNodePlugin({ directory }).getVault(descriptor);
    const b = createNodePlugin({ directory }).getVault(descriptor);
    await a.storeValue('k', 1);
    await b.unlock(); // another process starts locked; the device key opens it without input
    expect(await b.getValue('k')).toBe(1);
    await b.storeValue('k', 2);
    expect(await a.getValue('k')).toBe(2);
  });

  it('a prompt without a terminal fails with UserCanceledInteraction naming onPasscodeRequest', async () => {
    const directory = await tempDir();
    const notATty = Object.assign(new FakeTty(), { isTTY: false });
    const vault = createNodePlugin({ directory, prompt: createTerminalPrompt({ input: notATty as unknown as FakeTty }) }).getVault(descriptor);
    await vault.setPasscodeEnabled(true);
    const error = await vault.setPasscode().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: VaultErrorCodes.UserCanceledInteraction });
    expect((error as Error).message).toContain('onPasscodeRequest');
  });
});

describe('device key file', () => {
  it.runIf(posix)('is 32 random bytes in a 0600 file, imported non-extractable for wrapKey/unwrapKey only', async () => {
    const path = join(await tempDir(), 'sub', 'device-key');
    const key = await createFileDeviceKey({ path }).get({ create: true });
    expect(key).toBeDefined();
    expect(key!.extractable).toBe(false);
    expect([...key!.usages].sort()).toEqual(['unwrapKey', 'wrapKey']);
    expect(key!.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    await expect(subtle.exportKey('raw', key!)).rejects.toThrow();
    expect((await readFile(path)).length).toBe(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o700);
  });

  it('is absent until created; the same key across instances, even when created concurrently', async () => {
    const path = join(await tempDir(), 'device-key');
    expect(await createFileDeviceKey({ path }).get({ create: false })).toBeUndefined();
    const keys = await Promise.all(Array.from({ length: 8 }, () => createFileDeviceKey({ path }).get({ create: true })));
    const dataKey = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
    const iv = new Uint8Array(12);
    const wrapped = await subtle.wrapKey('raw', dataKey, keys[0]!, { name: 'AES-GCM', iv });
    for (const key of [...keys, await createFileDeviceKey({ path }).get({ create: false })]) {
      await expect(subtle.unwrapKey('raw', wrapped, key!, { name: 'AES-GCM', iv }, 'AES-GCM', true, ['encrypt'])).resolves.toBeDefined();
    }
  });

  it('a damaged key file is VaultUnavailable, never silently replaced', async () => {
    const path = join(await tempDir(), 'device-key');
    await writeFile(path, Buffer.alloc(31));
    await expect(createFileDeviceKey({ path }).get({ create: true })).rejects.toMatchObject({ code: VaultErrorCodes.VaultUnavailable });
    expect((await readFile(path)).length).toBe(31);
  });
});

describe('terminal prompt', () => {
  const ask = (tty: FakeTty, output = new CapturedOutput(), purpose: 'unlock' | 'setup' | 'confirm' = 'unlock') =>
    createTerminalPrompt({ input: tty, output }).request({ purpose, descriptor });

  it('reads a line without echo, in raw mode, and restores the mode', async () => {
    const tty = new FakeTty();
    const output = new CapturedOutput();
    tty.type('s3', 'cr€t', '\r');
    expect(await ask(tty, output)).toBe('s3cr€t');
    expect(output.text).toBe('Passcode for vault "app" (ada): \n');
    expect(tty.rawModes).toEqual([true, false]);
    expect(tty.listening).toBe(0);
  });

  it('handles Backspace, Ctrl-U and arrow keys; UTF-8 split across chunks', async () => {
    const tty = new FakeTty();
    const euro = Buffer.from('€');
    tty.type('abX\u007fc', '\u001b[D', Buffer.from([0x64, euro[0]!]), Buffer.from([euro[1]!, euro[2]!]), '\r');
    expect(await ask(tty)).toBe('abcd€');
    tty.type('junk\u0015ok\n');
    expect(await ask(tty)).toBe('ok');
  });

  it('Ctrl-C, Ctrl-D on an empty line and the end of input cancel (undefined)', async () => {
    const tty = new FakeTty();
    tty.type('abc\u0003');
    expect(await ask(tty)).toBeUndefined();
    tty.type('\u0004');
    expect(await ask(tty)).toBeUndefined();
    tty.end();
    expect(await ask(tty)).toBeUndefined();
    expect(tty.isRaw).toBe(false);
  });

  it('labels setup and confirm prompts; asks one prompt at a time', async () => {
    const tty = new FakeTty();
    const output = new CapturedOutput();
    const prompt = createTerminalPrompt({ input: tty, output });
    const both = Promise.all([prompt.request({ purpose: 'setup', descriptor }), prompt.request({ purpose: 'confirm', descriptor })]);
    tty.answer('one', 'two');
    expect(await both).toEqual(['one', 'two']);
    expect(output.text).toBe('New passcode for vault "app" (ada): \nRepeat the new passcode: \n');
  });

  it('without a TTY: UserCanceledInteraction that says what to do', async () => {
    const notATty = Object.assign(new FakeTty(), { isTTY: false });
    const error = await createTerminalPrompt({ input: notATty as unknown as FakeTty })
      .request({ purpose: 'unlock', descriptor })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: VaultErrorCodes.UserCanceledInteraction });
    expect((error as Error).message).toMatch(/onPasscodeRequest/);
  });
});

describe('default directory', () => {
  it('follows each OS convention', () => {
    expect(defaultDataDirectory('app', { platform: 'linux', env: {}, home: '/home/ada' })).toBe('/home/ada/.local/share/identity-vault/app');
    expect(defaultDataDirectory('app', { platform: 'linux', env: { XDG_DATA_HOME: '/data' }, home: '/home/ada' })).toBe('/data/identity-vault/app');
    expect(defaultDataDirectory('app', { platform: 'linux', env: { XDG_DATA_HOME: 'relative' }, home: '/home/ada' })).toBe(
      '/home/ada/.local/share/identity-vault/app',
    );
    expect(defaultDataDirectory('app', { platform: 'darwin', env: {}, home: '/Users/ada' })).toBe('/Users/ada/Library/Application Support/identity-vault/app');
    const win = defaultDataDirectory('app', { platform: 'win32', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, home: 'C:\\Users\\ada' });
    expect(win.replaceAll('\\', '/')).toBe('C:/Users/ada/AppData/Roaming/identity-vault/app');
  });

  it('refuses app names that are paths', () => {
    for (const name of ['', '.', '..', 'a/b', 'a\\b', 'a\0b']) {
      expect(() => defaultDataDirectory(name)).toThrow(expect.objectContaining({ code: VaultErrorCodes.InvalidArguments }));
    }
  });
});

describe('lifecycle and clock', () => {
  it('lifecycle: foreground until told, repeated events ignored, unsubscribe stops', () => {
    const lifecycle = createNodeLifecycle();
    const seen: string[] = [];
    const stop = lifecycle.subscribe((event) => seen.push(event));
    expect(lifecycle.isInBackground()).toBe(false);
    lifecycle.emit('foreground');
    lifecycle.emit('background');
    lifecycle.emit('background');
    expect(lifecycle.isInBackground()).toBe(true);
    stop();
    lifecycle.emit('foreground');
    expect(seen).toEqual(['background']);
    lifecycle.setPrivacyScreen({ enabled: true });
    expect(lifecycle.privacyScreen).toBe(true);
  });

  it('a vault locks after lockAfter in the background reported by an Electron-style app', async () => {
    const directory = await tempDir();
    const platform = createNodePlatform({ directory });
    const { createPlugin } = await import('identity-vault/platform');
    const vault = createPlugin(platform).getVault({ ...descriptor, lockAfter: 50 });
    await vault.storeValue('k', 1);
    platform.lifecycle.emit('background');
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await vault.isLocked()).toBe(true);
  });

  it('timers never keep the process alive', () => {
    const script = "import { createNodeClock } from './src/node/clock.ts'; createNodeClock().setTimer(60000, () => console.log('fired'));";
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '../../..'),
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

/**
 * The `identity-vault` command, spawned as users run it: `bin/identity-vault.js` importing
 * `../dist/node/cli.js`. The dist file is an esbuild bundle of src/node/cli.ts made for this test
 * (so the test needs no `npm run build`), placed beside a copy of the real bin file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultErrorCodes } from '../../../src/core/errors.js';
import { dumpDirectory, finished, here, removeTempDirs, tempDir } from './helpers.js';

let bin: string;

beforeAll(async () => {
  const pkg = await tempDir('iv-cli-pkg-');
  await mkdir(join(pkg, 'bin'));
  bin = join(pkg, 'bin', 'identity-vault.js');
  await copyFile(here('../../../bin/identity-vault.js'), bin);
  await build({
    entryPoints: [here('../../../src/node/cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(pkg, 'dist', 'node', 'cli.js'),
    logLevel: 'error',
  });
});
afterAll(removeTempDirs);

const exitOf = (code: VaultErrorCodes) => 10 + code;

async function cli(args: string[], stdin?: string) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const result = finished(child);
  child.stdin.end(stdin ?? '');
  return result;
}

async function vaultDir() {
  const dir = await tempDir('iv-cli-');
  return (...args: string[]) => ['--dir', dir, ...args];
}

describe('identity-vault command', () => {
  it('--help lists the commands and every exit code', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    for (const word of ['status', 'unlock', 'get <key>', 'set <key> <json>', 'change-passcode', 'clear', '--passcode-stdin', '--dir', '--vault-id', '--username']) {
      expect(stdout).toContain(word);
    }
    for (const [name, value] of Object.entries(VaultErrorCodes)) {
      if (typeof value === 'number') expect(stdout).toMatch(new RegExp(`\\b${exitOf(value)}\\s+${name}\\b`));
    }
  });

  it('usage errors exit 2 with a message on stderr', async () => {
    for (const args of [[], ['frobnicate'], ['get'], ['set', 'k'], ['status', '--bogus']]) {
      const { code, stderr, stdout } = await cli(args);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^identity-vault: /);
      expect(stdout).toBe('');
    }
  });

  it('status, set and get on a vault without passcode (device key)', async () => {
    const at = await vaultDir();
    const empty = await cli(at('status', '--json'));
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.stdout)).toMatchObject({ locked: false, inUse: false, passcodeEnabled: false, biometricsAvailable: false, remainingAttempts: 5 });
    expect(await cli(at('set', 'token', '"tok-CANARY-1"'))).toMatchObject({ code: 0 });
    expect(await cli(at('set', 'n', '--', '-1'))).toMatchObject({ code: 0 });
    expect(await cli(at('get', 'token'))).toMatchObject({ code: 0, stdout: '"tok-CANARY-1"\n' });
    expect(await cli(at('get', 'n'))).toMatchObject({ code: 0, stdout: '-1\n' });
    const missing = await cli(at('get', 'nothing'));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('no value');
    const bad = await cli(at('set', 'k', 'not json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('JSON');
    const human = await cli(at('status'));
    expect(human.stdout).toMatch(/in use\s+yes/);
    expect(await dumpDirectory(at()[1] as string)).not.toContain('CANARY');
  });

  it('passcode: set, wrong (exit 16, attempts left), right, change, no terminal', async () => {
    const at = await vaultDir();
    expect(await cli(at('set', 'token', '"secret"'))).toMatchObject({ code: 0 });
    expect(await cli(at('change-passcode', '--passcode-stdin'), 'first-pass\n')).toMatchObject({ code: 0, stdout: 'passcode changed\n' });

    const noTty = await cli(at('get', 'token'));
    expect(noTty.code).toBe(exitOf(VaultErrorCodes.UserCanceledInteraction));
    expect(noTty.stderr).toContain('--passcode-stdin');

    const wrong = await cli(at('get', 'token', '--passcode-stdin'), 'nope\n');
    expect(wrong.code).toBe(exitOf(VaultErrorCodes.AuthFailed));
    expect(wrong.stderr).toMatch(/AuthFailed: .*4 attempts left/);
    expect(wrong.stderr).not.toContain('nope');
    expect(JSON.parse((await cli(at('status', '--json'))).stdout)).toMatchObject({ locked: true, passcodeEnabled: true, remainingAttempts: 4 });

    expect(await cli(at('get', 'token', '--passcode-stdin'), 'first-pass\n')).toMatchObject({ code: 0, stdout: '"secret"\n' });
    expect(JSON.parse((await cli(at('status', '--json'))).stdout)).toMatchObject({ remainingAttempts: 5 });

    expect(await cli(at('change-passcode', '--passcode-stdin'), 'first-pass\nsecond-pass\n')).toMatchObject({ code: 0 });
    expect((await cli(at('unlock', '--passcode-stdin'), 'first-pass\n')).code).toBe(exitOf(VaultErrorCodes.AuthFailed));
    expect(await cli(at('unlock', '--passcode-stdin'), 'second-pass\n')).toMatchObject({ code: 0, stdout: 'unlocked\n' });
    expect((await cli(at('unlock', '--passcode-stdin'), '')).code).toBe(2);
  });

  it('failed attempts from two processes at once are both counted; the limit clears the vault (exit 18)', async () => {
    const at = await vaultDir();
    await cli(at('set', 'token', '"secret"'));
    await cli(at('change-passcode', '--passcode-stdin'), 'right\n');
    const both = await Promise.all([cli(at('unlock', '--passcode-stdin'), 'wrong-a\n'), cli(at('unlock', '--passcode-stdin'), 'wrong-b\n')]);
    for (const result of both) expect(result.code).toBe(exitOf(VaultErrorCodes.AuthFailed));
    expect(JSON.parse((await cli(at('status', '--json'))).stdout)).toMatchObject({ remainingAttempts: 3 });
    for (let i = 0; i < 2; i++) expect((await cli(at('unlock', '--passcode-stdin'), 'wrong\n')).code).toBe(exitOf(VaultErrorCodes.AuthFailed));
    const last = await cli(at('unlock', '--passcode-stdin'), 'wrong\n');
    expect(last.code).toBe(exitOf(VaultErrorCodes.TooManyFailedAttempts));
    expect(JSON.parse((await cli(at('status', '--json'))).stdout)).toMatchObject({ locked: false, inUse: false, passcodeSetupNeeded: true });
  });

  it('clear needs --yes; named vaults are separate', async () => {
    const at = await vaultDir();
    await cli(at('set', 'k', '1', '--vault-id', 'a', '--username', 'ada'));
    await cli(at('set', 'k', '2', '--vault-id', 'b', '--username', 'ada'));
    expect((await cli(at('clear', '--vault-id', 'a', '--username', 'ada'))).code).toBe(2);
    expect(await cli(at('clear', '--yes', '--vault-id', 'a', '--username', 'ada'))).toMatchObject({ code: 0, stdout: 'cleared\n' });
    expect((await cli(at('get', 'k', '--vault-id', 'a', '--username', 'ada'))).code).toBe(3);
    expect(await cli(at('get', 'k', '--vault-id', 'b', '--username', 'ada'))).toMatchObject({ code: 0, stdout: '2\n' });
  });

  it('a storage failure is VaultUnavailable (exit 15)', async () => {
    const dir = await tempDir('iv-cli-');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'file'), 'x');
    const result = await cli(['--dir', join(dir, 'file', 'vault'), 'set', 'k', '1']);
    expect(result.code).toBe(exitOf(VaultErrorCodes.VaultUnavailable));
    expect(result.stderr).toContain('VaultUnavailable');
  });

  // A real pseudo-terminal (util-linux `script`): the typed passcode must never be echoed.
  const haveScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;
  it.runIf(haveScript)('reads the passcode from a real terminal without echo; Ctrl-C cancels (exit 22)', async () => {
    const at = await vaultDir();
    await cli(at('set', 'token', '"secret"'));
    await cli(at('change-passcode', '--passcode-stdin'), 'tty-PASS-42\n');
    const inTty = async (args: string[], keys: string) => {
      const command = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
      const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let screen = '';
      const done = finished(child);
      child.stdout.on('data', (chunk: Buffer) => {
        screen += chunk.toString();
        if (screen.includes('Passcode for') && keys !== '') {
          child.stdin.write(keys);
          keys = '';
        }
      });
      const result = await done;
      return { ...result, screen };
    };
    const ok = await inTty(at('get', 'token'), 'tty-PASS-42\r');
    expect(ok.code).toBe(0);
    expect(ok.screen).toContain('"secret"');
    expect(ok.screen).not.toContain('tty-PASS-42');
    const cancelled = await inTty(at('get', 'token'), '\u0003');
    expect(cancelled.code).toBe(exitOf(VaultErrorCodes.UserCanceledInteraction));
    expect(JSON.parse((await cli(at('status', '--json'))).stdout)).toMatchObject({ remainingAttempts: 5 });
  });
});

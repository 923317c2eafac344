/**
 * The `identity-vault` command, spawned as users run it: `bin/identity-vault.js` importing
 * `../dist/cli/index.js`. The dist file is an esbuild bundle of src/cli/index.ts made for this test
 * (so the test needs no `npm run build`), placed beside a copy of the real bin file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultErrorCodes } from 'identity-vault';
import { dumpDirectory, finished, here, removeTempDirs, sleep, tempDir } from './helpers.js';

let bin: string;

beforeAll(async () => {
  const pkg = await tempDir('iv-cli-pkg-');
  await mkdir(join(pkg, 'bin'));
  bin = join(pkg, 'bin', 'identity-vault.js');
  await copyFile(here('../../../bin/identity-vault.js'), bin);
  await build({
    entryPoints: [here('../../../src/cli/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(pkg, 'dist', 'cli', 'index.js'),
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
    for (const word of [
      'status',
      'unlock',
      'get <key>',
      'set <key> [<json>]',
      'change-passcode',
      'clear',
      '--passcode-stdin',
      '--string',
      '--dir',
      '--vault-id',
      '--username',
    ]) {
      expect(stdout).toContain(word);
    }
    // It says why values belong on stdin.
    expect(stdout).toMatch(/read by every user of this computer \(ps\)/);
    expect(stdout).toContain('shell history');
    for (const [name, value] of Object.entries(VaultErrorCodes)) {
      if (typeof value === 'number') expect(stdout).toMatch(new RegExp(`\\b${exitOf(value)}\\s+${name}\\b`));
    }
  });

  it('usage errors exit 2 with a message on stderr', async () => {
    for (const args of [[], ['frobnicate'], ['get'], ['set'], ['set', 'k', '1', '2'], ['set', 'k'], ['status', '--bogus'], ['constructor'], ['toString']]) {
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
    /** Run in a pseudo-terminal, typing each answer once its prompt (default: the passcode prompt) is on screen. */
    const inTty = async (args: string[], keys: string, answers: Array<[prompt: string, keys: string]> = [['Passcode for', keys]]) => {
      const command = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
      const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let screen = '';
      const done = finished(child);
      child.stdout.on('data', (chunk: Buffer) => {
        screen += chunk.toString();
        const next = answers[0];
        if (next !== undefined && screen.includes(next[0])) {
          answers.shift();
          child.stdin.write(next[1]);
        }
      });
      const result = await done;
      return { ...result, screen };
    };
    const ok = await inTty(at('get', 'token'), 'tty-PASS-42\r');
    expect(ok.code).toBe(0);
    expect(ok.screen).toContain('"secret"');
    expect(ok.screen).not.toContain('tty-PASS-42');
    // set on a terminal: the value is asked for without echo, then the passcode.
    const typed = await inTty(at('set', 'token'), '', [
      ['Value for "token"', '"tty-VALUE-7"\r'],
      ['Passcode for', 'tty-PASS-42\r'],
    ]);
    expect(typed).toMatchObject({ code: 0 });
    expect(typed.screen).toContain('stored "token"');
    expect(typed.screen).not.toContain('tty-VALUE-7');
    expect(typed.screen).not.toContain('tty-PASS-42');
    expect(await cli(at('get', 'token', '--passcode-stdin'), 'tty-PASS-42\n')).toMatchObject({ code: 0, stdout: '"tty-VALUE-7"\n' });
    const cancelled = await inTty(at('get', 'token'), '\u0003');
    expect(cancelled.code).toBe(exitOf(VaultErrorCodes.UserCanceledInteraction));
    expect(JSON.parse((await cli(at('status', '--json'))).stdout)).toMatchObject({ remainingAttempts: 5 });
  });
});

/** A child whose stdin the test writes bit by bit, as a slow producer in a shell pipeline would. */
function slowCli(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  return { child, result: finished(child) };
}

describe('identity-vault set: values never on the command line (issue 11)', () => {
  it('reads the value from stdin when it is not given (a file, or a pipe)', async () => {
    const at = await vaultDir();
    expect(await cli(at('set', 'token'), '{"access":"tok-CANARY-2"}\n')).toMatchObject({ code: 0, stdout: 'stored "token"\n', stderr: '' });
    expect(await cli(at('get', 'token'))).toMatchObject({ code: 0, stdout: '{"access":"tok-CANARY-2"}\n' });
    // --string: the text as is, one final newline removed (what `set token < token.txt` holds).
    expect(await cli(at('set', 'raw', '--string'), 'tok-CANARY-3 with spaces\n')).toMatchObject({ code: 0 });
    expect(await cli(at('get', 'raw'))).toMatchObject({ code: 0, stdout: '"tok-CANARY-3 with spaces"\n' });
    expect(await dumpDirectory(at()[1] as string)).not.toContain('CANARY');
  });

  it('with --passcode-stdin, reads the passcode line first, then the value', async () => {
    const at = await vaultDir();
    await cli(at('set', 'token'), '"first"');
    await cli(at('change-passcode', '--passcode-stdin'), 'pass-1\n');
    expect(await cli(at('set', 'token', '--passcode-stdin'), 'pass-1\n"second"\n')).toMatchObject({ code: 0 });
    expect(await cli(at('get', 'token', '--passcode-stdin'), 'pass-1\n')).toMatchObject({ code: 0, stdout: '"second"\n' });
  });

  it('never echoes any part of a rejected value to stderr', async () => {
    const at = await vaultDir();
    for (const run of [
      () => cli(at('set', 'k', 'SECRET-abc123 unquoted')),
      () => cli(at('set', 'k'), 'SECRET-abc123 unquoted\n'),
      () => cli(at('set', 'k'), '{"SECRET-abc123":'),
    ]) {
      const { code, stdout, stderr } = await run();
      expect(code).toBe(2);
      expect(stderr).toContain('not valid JSON');
      expect(stderr).toContain('--string');
      for (const part of ['SECRET', 'abc', 'unquoted', '{']) expect(stderr).not.toContain(part);
      expect(stdout).toBe('');
    }
    expect(await cli(at('get', 'k'))).toMatchObject({ code: 3 });
    const empty = await cli(at('set', 'k'), '');
    expect(empty).toMatchObject({ code: 2 });
    expect(empty.stderr).toContain('no value');
  });

  it('--passcode-stdin waits for a passcode that arrives late on a pipe (no EAGAIN)', { timeout: 20_000 }, async () => {
    const at = await vaultDir();
    await cli(at('set', 'token', '"secret"'));
    await cli(at('change-passcode', '--passcode-stdin'), 'late-pass\n');
    // The writer sends the passcode after a delay, in two pieces, and keeps the pipe open: the
    // command must wait for the line and not need the end of input.
    const { child, result } = slowCli(at('get', 'token', '--passcode-stdin'));
    await sleep(700);
    child.stdin.write('late-');
    await sleep(300);
    child.stdin.write('pass\n');
    const done = await result;
    expect(done).toMatchObject({ code: 0, stdout: '"secret"\n', stderr: '' });
    // The value of set, late too, after the passcode line, up to the end of input.
    const late = slowCli(at('set', 'token', '--passcode-stdin'));
    await sleep(500);
    late.child.stdin.write('late-pass\n');
    await sleep(300);
    late.child.stdin.end('"newer"');
    expect(await late.result).toMatchObject({ code: 0, stdout: 'stored "token"\n' });
    expect(await cli(at('get', 'token', '--passcode-stdin'), 'late-pass\n')).toMatchObject({ code: 0, stdout: '"newer"\n' });
  });
});

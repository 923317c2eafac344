/**
 * What every command works with: the vault named on the command line, on the Node platform, and
 * where its passcodes come from (the terminal without echo, or `--passcode-stdin`).
 */
import { createPlugin } from '../core/plugin.js';
import { userCanceled } from '../core/errors.js';
import type { IdentityVault } from '../core/types.js';
import { createNodePlatform, type NodePlatform } from '../node/platform.js';
import { createTerminalPrompt, type TerminalInput } from '../node/terminal-prompt.js';
import type { CliOptions } from './options.js';
import { UsageError } from './options.js';
import { createStdinReader, type InputStream, type StdinReader } from './stdin.js';

/** Where the command reads and writes; `process` by default. */
export interface CliIo {
  readonly stdin: TerminalInput & InputStream;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** The vault and I/O of one run of the command. */
export interface CliSession {
  readonly options: CliOptions;
  readonly io: CliIo;
  readonly platform: NodePlatform;
  readonly vault: IdentityVault;
  readonly stdin: StdinReader;
  /** Whether stdin is a terminal (prompts without echo are possible). */
  readonly haveTerminal: boolean;
  out(text: string): void;
  err(text: string): void;
  /** The next passcode from stdin with `--passcode-stdin`; `undefined` to let the terminal prompt ask. */
  nextPasscode(): Promise<string | undefined>;
  /** Throw unless a passcode can be asked for (a terminal, or `--passcode-stdin`). */
  requirePasscodeInput(): void;
  /** Unlock with the passcode, or with the device key when the vault has no passcode. */
  ensureUnlocked(): Promise<void>;
}

/** Open the session of `options`. */
export function openSession(options: CliOptions, io: CliIo): CliSession {
  const platform = createNodePlatform({
    ...(options.dir !== undefined ? { directory: options.dir } : { appName: options.app }),
    prompt: createTerminalPrompt({ input: io.stdin, output: io.stderr }),
  });
  const vault = createPlugin(platform).getVault({ vaultId: options.vaultId, username: options.username });
  const stdin = createStdinReader(io.stdin);
  const haveTerminal = io.stdin.isTTY === true;
  const session: CliSession = {
    options,
    io,
    platform,
    vault,
    stdin,
    haveTerminal,
    out: (text) => io.stdout.write(`${text}\n`),
    err: (text) => io.stderr.write(`identity-vault: ${text}\n`),
    async nextPasscode() {
      if (!options.passcodeStdin) return undefined;
      const line = await stdin.line();
      if (line === undefined || line === '') throw new UsageError('--passcode-stdin: stdin has no more passcode lines');
      return line;
    },
    requirePasscodeInput() {
      if (!options.passcodeStdin && !haveTerminal) {
        throw userCanceled('a passcode is needed but stdin is not a terminal: pass --passcode-stdin');
      }
    },
    async ensureUnlocked() {
      if (!(await vault.isLocked())) return;
      if (!(await vault.getConfig()).isPasscodeEnabled) return vault.unlock();
      session.requirePasscodeInput();
      return vault.unlock(true, await session.nextPasscode());
    },
  };
  return session;
}

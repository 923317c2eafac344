/**
 * The `identity-vault` command: look at and manage a Node vault from a shell.
 *
 * `bin/identity-vault.js` calls {@link run}; tests call it too. Nothing happens on import.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { createPlugin } from '../core/plugin.js';
import { VaultError, VaultErrorCodes } from '../core/errors.js';
import { createNodePlatform } from './platform.js';
import { defaultDataDirectory } from './paths.js';
import { createTerminalPrompt, type TerminalInput } from './terminal-prompt.js';

/** Exit codes that are not a `VaultError`. */
export const EXIT = {
  ok: 0,
  /** An unexpected failure (a bug, or an error that is not a VaultError). */
  unexpected: 1,
  /** Bad command line. */
  usage: 2,
  /** `get`: nothing is stored under the key. */
  noValue: 3,
  /** A `VaultError` exits with `vaultErrorBase + code` (10 … 29: 10 + the Identity Vault 5.x/6.x number of the code). */
  vaultErrorBase: 10,
} as const;

/** The exit code of a `VaultError` code. */
export function exitCodeOf(code: VaultErrorCodes): number {
  return EXIT.vaultErrorBase + code;
}

/** Where the command reads and writes; `process` by default. */
export interface CliIo {
  readonly stdin: TerminalInput & NodeJS.ReadableStream;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

class UsageError extends Error {}

const COMMANDS = ['status', 'unlock', 'get', 'set', 'change-passcode', 'clear'] as const;
type Command = (typeof COMMANDS)[number];

function help(): string {
  const codes = Object.entries(VaultErrorCodes)
    .filter(([, value]) => typeof value === 'number')
    .map(([name, value]) => `  ${String(exitCodeOf(value as VaultErrorCodes)).padStart(2)}  ${name}`)
    .join('\n');
  return `Usage: identity-vault <command> [options]

Look at and manage an identity-vault on this computer (the Node platform: encrypted files).

Commands:
  status                 Show the vault's state (add --json for JSON)
  unlock                 Check the passcode and unlock (in this process; nothing stays unlocked)
  get <key>              Print the value stored under <key> as JSON
  set <key> <json>       Store a JSON value under <key>:  set token '"abc"'   set n -- -1
  change-passcode        Set or change the passcode (the current one is asked first)
  clear                  Delete every value and the passcode of the vault (needs --yes)

Options:
  --dir <path>           The vault directory (default: the per-user data directory of --app)
  --app <name>           The app whose default directory to use (default: "default",
                         e.g. ${defaultDataDirectory('default')})
  --vault-id <id>        The vault id (default: "default")
  --username <name>      The username of the vault (default: the current user)
  --passcode-stdin       Read passcodes from stdin, one per line, instead of the terminal:
                         the current passcode first (when the vault has one), then the new one
  --json                 status: print JSON
  --yes                  clear: confirm
  -h, --help             Show this help

Passcodes are read from the terminal without echo. Without a terminal, use --passcode-stdin.

Exit codes:
   0  success
   1  unexpected error
   2  usage error
   3  get: no value is stored under the key
${codes}
`;
}

interface Options {
  command: Command;
  positionals: string[];
  dir: string | undefined;
  app: string;
  vaultId: string;
  username: string;
  passcodeStdin: boolean;
  json: boolean;
  yes: boolean;
}

function parse(argv: readonly string[]): Options | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      dir: { type: 'string' },
      app: { type: 'string' },
      'vault-id': { type: 'string' },
      username: { type: 'string' },
      'passcode-stdin': { type: 'boolean' },
      json: { type: 'boolean' },
      yes: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true || positionals[0] === 'help') return 'help';
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('a command is required');
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}"`);
  const arity: Record<Command, number> = { status: 0, unlock: 0, get: 1, set: 2, 'change-passcode': 0, clear: 0 };
  if (rest.length !== arity[command as Command]) throw new UsageError(`${command} takes ${arity[command as Command]} argument(s), got ${rest.length}`);
  return {
    command: command as Command,
    positionals: rest,
    dir: values.dir,
    app: values.app ?? 'default',
    vaultId: values['vault-id'] ?? 'default',
    username: values.username ?? currentUser(),
    passcodeStdin: values['passcode-stdin'] === true,
    json: values.json === true,
    yes: values.yes === true,
  };
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'user';
  }
}

/** Passcodes given on stdin, one per line, handed out in order. */
function stdinPasscodes(): () => string {
  let lines: string[] | undefined;
  return () => {
    lines ??= readFileSync(0, 'utf8').split(/\r?\n/);
    const line = lines.shift();
    if (line === undefined || line === '') throw new UsageError('--passcode-stdin: stdin has no more passcode lines');
    return line;
  };
}

/**
 * Run the command line `argv` (without `node` and the script); resolves the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await run(process.argv.slice(2));
 * ```
 */
export async function run(argv: readonly string[], io: CliIo = process as unknown as CliIo): Promise<number> {
  const out = (text: string) => io.stdout.write(`${text}\n`);
  const err = (text: string) => io.stderr.write(`identity-vault: ${text}\n`);
  let options: Options | 'help';
  try {
    options = parse(argv);
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\nRun identity-vault --help for usage.`);
    return EXIT.usage;
  }
  if (options === 'help') {
    io.stdout.write(help());
    return EXIT.ok;
  }
  try {
    return await execute(options, io, out, err);
  } catch (error) {
    if (error instanceof UsageError) {
      err(error.message);
      return EXIT.usage;
    }
    if (error instanceof VaultError) {
      const hint = error.code === VaultErrorCodes.MissingPasscode ? ' (set one with: identity-vault change-passcode)' : '';
      err(`${error.codeName}: ${error.message}${hint}`);
      return exitCodeOf(error.code);
    }
    err(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.unexpected;
  }
}

async function execute(options: Options, io: CliIo, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const platform = createNodePlatform({
    ...(options.dir !== undefined ? { directory: options.dir } : { appName: options.app }),
    prompt: createTerminalPrompt({ input: io.stdin, output: io.stderr }),
  });
  const vault = createPlugin(platform).getVault({ vaultId: options.vaultId, username: options.username });
  const nextPasscode = options.passcodeStdin ? stdinPasscodes() : undefined;
  const haveTerminal = io.stdin.isTTY === true;
  const requireInput = () => {
    if (nextPasscode === undefined && !haveTerminal) {
      throw new VaultError(VaultErrorCodes.UserCanceledInteraction, 'a passcode is needed but stdin is not a terminal: pass --passcode-stdin');
    }
  };

  /** Unlock with the passcode (stdin or the terminal prompt), or the device key when there is none. */
  const ensureUnlocked = async () => {
    if (!(await vault.isLocked())) return;
    const config = await vault.getConfig();
    if (!config.isPasscodeEnabled) return vault.unlock();
    requireInput();
    return vault.unlock(true, nextPasscode?.());
  };

  switch (options.command) {
    case 'status': {
      const config = await vault.getConfig();
      const status = {
        vaultId: options.vaultId,
        username: options.username,
        directory: platform.directory,
        locked: await vault.isLocked(),
        inUse: await vault.isInUse(),
        passcodeEnabled: config.isPasscodeEnabled,
        passcodeSetupNeeded: config.isPasscodeSetupNeeded,
        biometricsAvailable: await vault.isBiometricsAvailable(),
        remainingAttempts: await vault.remainingAttempts(),
      };
      if (options.json) {
        out(JSON.stringify(status, null, 2));
        return EXIT.ok;
      }
      const passcode = status.passcodeEnabled ? (status.passcodeSetupNeeded ? 'enabled, not set' : 'enabled') : 'off (values are protected by the device key)';
      out(`vault        ${status.vaultId} (${status.username})`);
      out(`directory    ${status.directory}`);
      out(`locked       ${status.locked ? (status.passcodeEnabled ? 'yes' : 'yes (opens without a passcode, with the device key)') : 'no'}`);
      out(`in use       ${status.inUse ? 'yes' : 'no'}`);
      out(`passcode     ${passcode}`);
      out(`biometrics   not available on Node`);
      out(`attempts     ${status.remainingAttempts} left`);
      return EXIT.ok;
    }
    case 'unlock': {
      await ensureUnlocked();
      out('unlocked');
      return EXIT.ok;
    }
    case 'get': {
      const key = options.positionals[0] as string;
      await ensureUnlocked();
      const value = await vault.getValue(key);
      if (value === undefined) {
        err(`no value is stored under "${key}"`);
        return EXIT.noValue;
      }
      out(JSON.stringify(value));
      return EXIT.ok;
    }
    case 'set': {
      const [key, text] = options.positionals as [string, string];
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new UsageError(`set: the value must be JSON (for a string, quote it: '"${text.slice(0, 20)}"')`);
      }
      await ensureUnlocked();
      await vault.storeValue(key, value);
      out(`stored "${key}"`);
      return EXIT.ok;
    }
    case 'change-passcode': {
      await ensureUnlocked();
      if (!(await vault.isPasscodeEnabled())) await vault.setPasscodeEnabled(true);
      requireInput();
      // Without --passcode-stdin the vault's built-in prompt asks twice and compares.
      await vault.setPasscode(nextPasscode?.());
      out('passcode changed');
      return EXIT.ok;
    }
    case 'clear': {
      if (!options.yes) throw new UsageError('clear deletes every value and the passcode of the vault; run it again with --yes');
      await vault.clear();
      out('cleared');
      return EXIT.ok;
    }
  }
  err('unreachable');
  return EXIT.unexpected;
}

/**
 * The commands of `identity-vault`, one entry each: its usage, its help text, how many arguments
 * it takes, and what it does. `index.ts` looks the command up here; `help.ts` lists this table.
 */
import { userCanceled } from '../core/errors.js';
import { readHiddenLine } from '../node/terminal-prompt.js';
import { UsageError } from './options.js';
import type { CliSession } from './session.js';

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

/** One command of the table. */
export interface Command {
  /** Name and arguments as the help shows them, e.g. `get <key>`. */
  readonly usage: string;
  /** Help lines (the first is the summary). */
  readonly help: readonly string[];
  /** Fewest and most arguments after the command name. */
  readonly args: readonly [min: number, max: number];
  /** The vault is unlocked before `run` (asking for the passcode when it has one). */
  readonly unlocked?: boolean;
  run(session: CliSession): Promise<number>;
}

/** Say what was done; the command succeeded. */
function done(session: CliSession, what: string): number {
  session.out(what);
  return EXIT.ok;
}

async function status(session: CliSession): Promise<number> {
  const { vault, options, platform, out } = session;
  const config = await vault.getConfig();
  const state = {
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
    out(JSON.stringify(state, null, 2));
    return EXIT.ok;
  }
  const passcode = state.passcodeEnabled ? (state.passcodeSetupNeeded ? 'enabled, not set' : 'enabled') : 'off (values are protected by the device key)';
  out(`vault        ${state.vaultId} (${state.username})`);
  out(`directory    ${state.directory}`);
  out(`locked       ${state.locked ? (state.passcodeEnabled ? 'yes' : 'yes (opens without a passcode, with the device key)') : 'no'}`);
  out(`in use       ${state.inUse ? 'yes' : 'no'}`);
  out(`passcode     ${passcode}`);
  out(`biometrics   not available on Node`);
  out(`attempts     ${state.remainingAttempts} left`);
  return EXIT.ok;
}

/**
 * The text of `set`'s value: the argument, else stdin — hidden on a terminal, otherwise the rest
 * of the input (after the passcode line when `--passcode-stdin` unlocked first).
 */
async function valueText(session: CliSession, key: string): Promise<string> {
  const given = session.options.args[1];
  if (given !== undefined) return given;
  if (session.haveTerminal && !session.options.passcodeStdin) {
    const label = `Value for "${key}" (${session.options.string ? 'text' : 'JSON'}; not echoed): `;
    const typed = await readHiddenLine(session.io.stdin, session.io.stderr, label);
    if (typed === undefined) throw userCanceled('set: cancelled; nothing was stored');
    return typed;
  }
  return session.stdin.rest();
}

/** The value to store. Never quotes any part of a rejected value: it may be a secret. */
function parseValue(text: string, asString: boolean): unknown {
  if (asString) return text.replace(/\r?\n$/, '');
  if (text.trim() === '') throw new UsageError('set: no value was given (pass it on stdin: identity-vault set <key> < file)');
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(
      `set: the value is not valid JSON (a string needs double quotes; or add --string to store the text as it is). The value is not shown here.`,
    );
  }
}

async function set(session: CliSession): Promise<number> {
  const key = session.options.args[0] as string;
  let value: unknown;
  if (session.options.passcodeStdin) {
    // stdin holds the passcode line first, then the value.
    await session.ensureUnlocked();
    value = parseValue(await valueText(session, key), session.options.string);
  } else {
    value = parseValue(await valueText(session, key), session.options.string);
    await session.ensureUnlocked();
  }
  await session.vault.storeValue(key, value);
  return done(session, `stored "${key}"`);
}

/** The command table (in help order). */
export const COMMANDS: Readonly<Record<string, Command>> = {
  status: {
    usage: 'status',
    help: ["Show the vault's state (add --json for JSON)"],
    args: [0, 0],
    run: status,
  },
  unlock: {
    usage: 'unlock',
    help: ['Check the passcode and unlock (in this process; nothing stays unlocked)'],
    args: [0, 0],
    unlocked: true,
    run: async (session) => done(session, 'unlocked'),
  },
  get: {
    usage: 'get <key>',
    help: ['Print the value stored under <key> as JSON'],
    args: [1, 1],
    unlocked: true,
    async run(session) {
      const key = session.options.args[0] as string;
      const value = await session.vault.getValue(key);
      if (value === undefined) {
        session.err(`no value is stored under "${key}"`);
        return EXIT.noValue;
      }
      session.out(JSON.stringify(value));
      return EXIT.ok;
    },
  },
  set: {
    usage: 'set <key> [<json>]',
    help: [
      'Store a JSON value under <key>, read from stdin when <json> is not given:',
      '  identity-vault set token < token.json',
      '  printf %s "$TOKEN" | identity-vault set token --string',
      'On a terminal the value is asked for without echo. Prefer stdin: a value given',
      'as an argument can be read by every user of this computer (ps) and stays in',
      'your shell history. --string stores the text as is (one final newline removed).',
      'With --passcode-stdin, the passcode line comes first, then the value.',
    ],
    args: [1, 2],
    run: set,
  },
  'change-passcode': {
    usage: 'change-passcode',
    help: ['Set or change the passcode (the current one is asked first)'],
    args: [0, 0],
    unlocked: true,
    async run(session) {
      if (!(await session.vault.isPasscodeEnabled())) await session.vault.setPasscodeEnabled(true);
      session.requirePasscodeInput();
      // Without --passcode-stdin the vault's built-in prompt asks twice and compares.
      await session.vault.setPasscode(await session.nextPasscode());
      return done(session, 'passcode changed');
    },
  },
  clear: {
    usage: 'clear',
    help: ['Delete every value and the passcode of the vault (needs --yes)'],
    args: [0, 0],
    async run(session) {
      if (!session.options.yes) throw new UsageError('clear deletes every value and the passcode of the vault; run it again with --yes');
      await session.vault.clear();
      return done(session, 'cleared');
    },
  },
};

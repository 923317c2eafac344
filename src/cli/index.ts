/**
 * The `identity-vault` command: look at and manage a Node vault from a shell.
 *
 * `bin/identity-vault.js` calls {@link run}; tests call it too. Nothing happens on import. The
 * commands are a table (commands.ts); this file parses the command line, looks the command up,
 * and turns failures into exit codes and one line on stderr.
 */
import { VaultError, VaultErrorCodes } from '../core/errors.js';
import { COMMANDS, EXIT } from './commands.js';
import { exitCodeOf, helpText } from './help.js';
import { parseCommandLine, UsageError, type CliOptions } from './options.js';
import { openSession, type CliIo } from './session.js';

export { EXIT, COMMANDS, type Command } from './commands.js';
export { exitCodeOf } from './help.js';
export type { CliIo } from './session.js';

/**
 * Run the command line `argv` (without `node` and the script); resolves the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await run(process.argv.slice(2));
 * ```
 */
export async function run(argv: readonly string[], io: CliIo = process as unknown as CliIo): Promise<number> {
  const err = (text: string) => io.stderr.write(`identity-vault: ${text}\n`);
  let options: CliOptions | 'help';
  try {
    options = parseCommandLine(argv);
    if (options !== 'help') checkArguments(options);
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\nRun identity-vault --help for usage.`);
    return EXIT.usage;
  }
  if (options === 'help') {
    io.stdout.write(helpText());
    return EXIT.ok;
  }
  try {
    const command = COMMANDS[options.command] as NonNullable<(typeof COMMANDS)[string]>;
    const session = openSession(options, io);
    if (command.unlocked) await session.ensureUnlocked();
    return await command.run(session);
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

function checkArguments(options: CliOptions): void {
  const command = Object.hasOwn(COMMANDS, options.command) ? COMMANDS[options.command] : undefined;
  if (command === undefined) throw new UsageError(`unknown command "${options.command}"`);
  const [min, max] = command.args;
  const given = options.args.length;
  if (given < min || given > max) {
    const wanted = min === max ? `${min}` : `${min} to ${max}`;
    throw new UsageError(`${options.command} takes ${wanted} argument(s), got ${given}`);
  }
}

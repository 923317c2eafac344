/** The command line of `identity-vault`: options and the command's arguments. */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';

/** A mistake on the command line: exit 2 with the message. */
export class UsageError extends Error {}

/** The parsed command line. */
export interface CliOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly dir: string | undefined;
  readonly app: string;
  readonly vaultId: string;
  readonly username: string;
  readonly passcodeStdin: boolean;
  readonly json: boolean;
  readonly yes: boolean;
  readonly string: boolean;
}

/** Parse `argv` (without `node` and the script); `'help'` for `--help`, `-h` or `help`. */
export function parseCommandLine(argv: readonly string[]): CliOptions | 'help' {
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
      string: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true || positionals[0] === 'help') return 'help';
  const [command, ...args] = positionals;
  if (command === undefined) throw new UsageError('a command is required');
  return {
    command,
    args,
    dir: values.dir,
    app: values.app ?? 'default',
    vaultId: values['vault-id'] ?? 'default',
    username: values.username ?? currentUser(),
    passcodeStdin: values['passcode-stdin'] === true,
    json: values.json === true,
    yes: values.yes === true,
    string: values.string === true,
  };
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'user';
  }
}

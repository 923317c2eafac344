/** The text of `identity-vault --help`, built from the command table and the error codes. */
import { VaultErrorCodes } from '../core/errors.js';
import { defaultDataDirectory } from '../node/paths.js';
import { COMMANDS, EXIT } from './commands.js';

/** The exit code of a `VaultError` code. */
export function exitCodeOf(code: VaultErrorCodes): number {
  return EXIT.vaultErrorBase + code;
}

const COLUMN = 25;

/** The help text. */
export function helpText(): string {
  const commands = Object.values(COMMANDS)
    .map(({ usage, help }) => help.map((line, i) => `  ${(i === 0 ? usage : '').padEnd(COLUMN - 2)}${line}`).join('\n'))
    .join('\n');
  const codes = Object.entries(VaultErrorCodes)
    .filter(([, value]) => typeof value === 'number')
    .map(([name, value]) => `  ${String(exitCodeOf(value as VaultErrorCodes)).padStart(2)}  ${name}`)
    .join('\n');
  return `Usage: identity-vault <command> [options]

Look at and manage an identity-vault on this computer (the Node platform: encrypted files).

Commands:
${commands}

Options:
  --dir <path>           The vault directory (default: the per-user data directory of --app)
  --app <name>           The app whose default directory to use (default: "default",
                         e.g. ${defaultDataDirectory('default')})
  --vault-id <id>        The vault id (default: "default")
  --username <name>      The username of the vault (default: the current user)
  --passcode-stdin       Read passcodes from stdin, one per line, instead of the terminal:
                         the current passcode first (when the vault has one), then the new one
  --string               set: store the value as a string, not JSON
  --json                 status: print JSON
  --yes                  clear: confirm
  -h, --help             Show this help

Passcodes are read from the terminal without echo. Without a terminal, use --passcode-stdin.
Secrets never belong on the command line: other users see it (ps), and shells keep it.

Exit codes:
   ${EXIT.ok}  success
   ${EXIT.unexpected}  unexpected error
   ${EXIT.usage}  usage error
   ${EXIT.noValue}  get: no value is stored under the key
${codes}
`;
}

/**
 * Where a Node app's vaults live by default: one directory per app under the user's data
 * directory.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { invalidArguments } from '../core/errors.js';

/** Environment and platform, injectable for tests. */
export interface DataDirectoryContext {
  readonly platform?: NodeJS.Platform;
  readonly env?: NodeJS.ProcessEnv;
  readonly home?: string;
}

/**
 * The default directory of `appName`'s vaults:
 * - Linux and other Unix: `$XDG_DATA_HOME/identity-vault/<appName>`, else `~/.local/share/identity-vault/<appName>`;
 * - macOS: `~/Library/Application Support/identity-vault/<appName>`;
 * - Windows: `%APPDATA%\identity-vault\<appName>` (else `~\AppData\Roaming\…`).
 *
 * @throws VaultError `InvalidArguments` when `appName` is empty, `.`/`..` or contains a path separator.
 * @example
 * ```ts
 * defaultDataDirectory('my-cli'); // '/home/ada/.local/share/identity-vault/my-cli'
 * ```
 */
export function defaultDataDirectory(appName: string, context: DataDirectoryContext = {}): string {
  if (appName === '' || appName === '.' || appName === '..' || /[/\\\0]/.test(appName)) {
    throw invalidArguments('appName must be a plain directory name');
  }
  const platform = context.platform ?? process.platform;
  const env = context.env ?? process.env;
  const home = context.home ?? homedir();
  let base: string;
  if (platform === 'win32') {
    base = env.APPDATA !== undefined && env.APPDATA !== '' ? env.APPDATA : join(home, 'AppData', 'Roaming');
  } else if (platform === 'darwin') {
    base = join(home, 'Library', 'Application Support');
  } else {
    // XDG Base Directory spec: a relative $XDG_DATA_HOME is invalid and must be ignored.
    const xdg = env.XDG_DATA_HOME;
    base = xdg !== undefined && xdg.startsWith('/') ? xdg : join(home, '.local', 'share');
  }
  return join(base, 'identity-vault', appName);
}

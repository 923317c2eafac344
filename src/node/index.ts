/**
 * `identity-vault/node`: vaults as encrypted files, for Electron main processes, command-line
 * tools and server-side tests.
 *
 * @example
 * ```ts
 * import { createNodePlugin } from 'identity-vault/node';
 * const vault = createNodePlugin({ appName: 'my-cli' }).getVault({ vaultId: 'my-cli', username: 'ada' });
 * await vault.setPasscodeEnabled(true);
 * await vault.setPasscode('correct horse');
 * await vault.storeToken('…');
 * ```
 */
import { createPlugin } from '../core/plugin.js';
import type { IonicNativeAuthPlugin } from '../core/types.js';
import { createNodePlatform, type NodePlatformOptions } from './platform.js';

export { createNodePlatform, type NodePlatform, type NodePlatformOptions } from './platform.js';
export { createFileStore, type FileStoreOptions } from './file-store.js';
export { createFileDeviceKey, type FileDeviceKeyOptions } from './device-key.js';
export { createTerminalPrompt, type TerminalPromptOptions, type TerminalInput, type TerminalOutput } from './terminal-prompt.js';
export { createNodeLifecycle, type NodeLifecycle } from './lifecycle.js';
export { defaultDataDirectory, type DataDirectoryContext } from './paths.js';
export type { LockOptions } from './lock-file.js';

/** Options of {@link createNodePlugin}. */
export interface NodePluginOptions extends NodePlatformOptions {
  /** Failed passcode attempts before a vault is cleared. @default 5 */
  readonly maxAttempts?: number;
}

/**
 * The plugin (`getVault`) on the Node platform.
 *
 * @example
 * ```ts
 * const plugin = createNodePlugin({ directory: '/var/lib/my-service/vault' });
 * const vault = plugin.getVault({ vaultId: 'service', username: 'svc' });
 * ```
 */
export function createNodePlugin(options: NodePluginOptions = {}): IonicNativeAuthPlugin {
  const { maxAttempts, ...platformOptions } = options;
  return createPlugin(createNodePlatform(platformOptions), maxAttempts === undefined ? {} : { maxAttempts });
}

/**
 * The Node platform: vaults as encrypted files in a per-user directory, for Electron main
 * processes, command-line tools and server-side tests.
 */
import { join } from 'node:path';
import type { PasscodePromptPort, Platform } from '../core/ports.js';
import { createNoBiometrics } from './biometrics.js';
import { createNodeClock } from './clock.js';
import { createFileDeviceKey } from './device-key.js';
import { createFileStore } from './file-store.js';
import { createNodeCrypto } from './node-crypto.js';
import { createNodeLifecycle, type NodeLifecycle } from './lifecycle.js';
import type { LockOptions } from './lock-file.js';
import { defaultDataDirectory } from './paths.js';
import { createTerminalPrompt } from './terminal-prompt.js';

/** Options of {@link createNodePlatform}. */
export interface NodePlatformOptions {
  /** The directory of this app's vaults. @default {@link defaultDataDirectory}(appName) */
  readonly directory?: string;
  /** Names the default directory. @default 'default' */
  readonly appName?: string;
  /** The built-in passcode prompt (used when `onPasscodeRequest` gives none). @default the terminal, without echo */
  readonly prompt?: PasscodePromptPort;
  /** PBKDF2-HMAC-SHA256 iterations for new passcodes; never below 600,000. @default 600000 */
  readonly kdfIterations?: number;
  /** Lock-file timing between processes sharing the directory. */
  readonly lock?: LockOptions;
}

/** The Node {@link Platform}, with the directory it uses and a lifecycle the app can drive. */
export interface NodePlatform extends Platform {
  readonly name: 'node';
  /** The directory holding `records/`, `device-key` and the lock. */
  readonly directory: string;
  readonly lifecycle: NodeLifecycle;
}

/**
 * The Node platform. Values are stored encrypted, one file per value, in `directory` (0700,
 * files 0600); writes are atomic and durable, and several processes may share the directory.
 * There are no biometrics (`SecurityNotAvailable`), and no background unless the app reports one
 * with `platform.lifecycle.emit('background')`.
 *
 * Values are never cached in memory (`cacheValues: false`): another process may write the same
 * vault at any time, so every read goes to the files.
 *
 * @example
 * ```ts
 * import { createNodePlatform } from 'identity-vault/node';
 * import { createPlugin } from 'identity-vault/platform';
 * const platform = createNodePlatform({ appName: 'my-cli' });
 * const vault = createPlugin(platform).getVault({ vaultId: 'my-cli', username: 'ada' });
 * ```
 * @throws VaultError `InvalidArguments` when `appName` is not a plain directory name.
 */
export function createNodePlatform(options: NodePlatformOptions = {}): NodePlatform {
  const directory = options.directory ?? defaultDataDirectory(options.appName ?? 'default');
  return {
    name: 'node',
    directory,
    store: createFileStore({ directory, ...(options.lock ? { lock: options.lock } : {}) }),
    // Node 20+ has WebCrypto at globalThis.crypto; AES-GCM of values runs synchronously (node-crypto.ts says why).
    crypto: createNodeCrypto(),
    deviceKey: createFileDeviceKey({ path: join(directory, 'device-key') }),
    biometrics: createNoBiometrics(),
    passcodePrompt: options.prompt ?? createTerminalPrompt(),
    lifecycle: createNodeLifecycle(),
    clock: createNodeClock(),
    cacheValues: false,
    ...(options.kdfIterations !== undefined ? { kdf: { iterations: options.kdfIterations } } : {}),
  };
}

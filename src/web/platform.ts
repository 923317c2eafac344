/**
 * `createWebPlatform()`: the browser platform — IndexedDB records, a non-extractable device key,
 * WebAuthn PRF biometrics, the built-in `<dialog>` passcode prompt, the Page Lifecycle, and
 * BroadcastChannel between tabs.
 *
 * Where each secret lives on the web (the threat model in one place):
 * - IndexedDB (`records`): values encrypted with the vault's data key (AES-256-GCM); the data key
 *   only wrapped (passcode: PBKDF2; biometrics: HKDF of a WebAuthn PRF output; device: below);
 *   attempt counters. Readable by any script on the origin: offline passcode guessing is bounded
 *   by the KDF cost, not by the attempt counter, and no browser storage can stop a restore of an
 *   older copy (which resets the counter).
 * - IndexedDB (`keys`): the device key, a non-extractable `CryptoKey`. Script on the origin can
 *   *use* it (so a `SecureStorage` vault protects against copying the disk, not against XSS).
 * - Memory only: the unwrapped data key and decrypted values while unlocked (dropped on lock),
 *   PRF outputs (zeroed after HKDF), passcodes (dropped after the KDF).
 * - Nothing in localStorage, sessionStorage or cookies.
 */
import { checkKdfSettings } from '../core/kdf-params.js';
import type { Platform } from '../core/ports.js';
import { BroadcastPeers, broadcastChannelAvailable } from './broadcast-peers.js';
import { createWebClock } from './clock.js';
import { IdbConnection } from './idb-connection.js';
import { IndexedDbStore } from './indexeddb-store.js';
import { PageLifecycle } from './page-lifecycle.js';
import { lazyDeviceKey, lazyPasscodeDialog, lazyWebAuthnBiometrics } from './lazy-ports.js';
import type { PasscodeDialogOptions } from '../ui/passcode-texts.js';
import { createWebCrypto } from '../shared/web-crypto.js';
import type { WebAuthnBiometricsOptions } from './webauthn-biometrics.js';

/** Options of {@link createWebPlatform}. */
export interface WebPlatformOptions {
  /** IndexedDB database name. Two platforms with different names share nothing. @default 'identity-vault' */
  readonly databaseName?: string;
  /** BroadcastChannel name used to reach other tabs. @default the database name */
  readonly channelName?: string;
  /** WebAuthn settings: relying party name, biometric type override, prompt timeout. */
  readonly webAuthn?: WebAuthnBiometricsOptions;
  /** Texts and input mode of the built-in passcode dialog. */
  readonly passcodeDialog?: PasscodeDialogOptions;
  /**
   * PBKDF2 iterations for new passcodes; never below 600,000. (The test-only fast KDF of
   * `SimulatedDevice` cannot be chosen here: a real browser must refuse records that name it.)
   */
  readonly kdfIterations?: number;
}

/** The web platform, with its parts typed concretely (for diagnostics and tests). */
export interface WebPlatform extends Platform {
  readonly name: 'web';
  readonly lifecycle: PageLifecycle;
  /** Close the IndexedDB connection and the BroadcastChannel (tests, teardown); both reopen on use. */
  close(): void;
}

/**
 * The browser platform. Touches no browser global until used, so it can be created during
 * server-side rendering.
 *
 * `cacheValues` is true when BroadcastChannel exists: every writer of the database is then a tab
 * of this origin that announces its writes to the others.
 *
 * @example
 * ```ts
 * import { createPlugin } from 'identity-vault/platform';
 * import { createWebPlatform } from 'identity-vault/web';
 * const plugin = createPlugin(createWebPlatform({ databaseName: 'my-app-vault' }));
 * ```
 */
export function createWebPlatform(options: WebPlatformOptions = {}): WebPlatform {
  const kdf = options.kdfIterations !== undefined ? { iterations: options.kdfIterations } : undefined;
  checkKdfSettings(kdf); // the range unlock accepts, checked now rather than at the first unlock
  const databaseName = options.databaseName ?? 'identity-vault';
  const connection = new IdbConnection(databaseName);
  const peers = broadcastChannelAvailable() ? new BroadcastPeers(options.channelName ?? databaseName) : undefined;
  return {
    name: 'web',
    store: new IndexedDbStore(connection),
    crypto: createWebCrypto(),
    // Loaded on first use (lazy-ports.ts): not needed before the first prompt.
    deviceKey: lazyDeviceKey(connection),
    biometrics: lazyWebAuthnBiometrics(options.webAuthn),
    passcodePrompt: lazyPasscodeDialog(options.passcodeDialog),
    lifecycle: new PageLifecycle(),
    clock: createWebClock(),
    ...(peers ? { peers } : {}),
    cacheValues: peers !== undefined,
    ...(kdf ? { kdf } : {}),
    close() {
      connection.close();
      peers?.close();
    },
  };
}

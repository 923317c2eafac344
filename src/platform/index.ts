/**
 * `identity-vault/platform`: for people who write a platform. The ports a platform implements
 * (store, crypto, device key, biometrics, passcode prompt, lifecycle, clock, peers) and
 * `createPlugin`, which runs the vault core on a platform.
 *
 * Apps do not need this entry point: they import `identity-vault` and a platform's own entry
 * (`identity-vault/web`, `/node`, `/capacitor`, `/testing`).
 *
 * @example
 * ```ts
 * import { createPlugin, type Platform } from 'identity-vault/platform';
 * const platform: Platform = createMyPlatform();
 * const vault = createPlugin(platform, { maxAttempts: 10 }).getVault({ vaultId: 'my-app', username: 'ada' });
 * ```
 * @packageDocumentation
 */
export { createPlugin, disposePlugin, DEFAULT_MAX_ATTEMPTS, type PluginDefaults } from '../core/plugin.js';
export type * from '../core/ports.js';
export { PBKDF2_MIN_ITERATIONS } from '../core/ports.js';
/** A record as JSON text with its bytes as base64: for a platform whose store keeps text (ports.ts, `StoredRecord`). */
export { recordText } from '../core/records.js';

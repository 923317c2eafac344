/**
 * `identity-vault`: the Identity Vault 3.x/4.x API and the 5.x/6.x API (`Vault`, `BrowserVault`, `Device`). The platform is picked at run time (browser →
 * the web platform); pass `plugin` in the options to choose one. Writing a platform? The ports
 * and `createPlugin` are in `identity-vault/platform`.
 *
 * @example
 * ```ts
 * import { IonicIdentityVaultUser, AuthMode, type DefaultSession } from 'identity-vault';
 *
 * class IdentityService extends IonicIdentityVaultUser<DefaultSession> {
 *   constructor() {
 *     super({ ready: () => Promise.resolve() }, { authMode: AuthMode.PasscodeOnly, unlockOnAccess: true });
 *   }
 * }
 * ```
 * @packageDocumentation
 */
export { AuthMode } from './core/types.js';
export type {
  AuthPromptOptions,
  BiometricType,
  DefaultSession,
  IdentityVault,
  IonicNativeAuthPlugin,
  LockEvent,
  PluginConfiguration,
  PluginOptions,
  VaultConfig,
  VaultDescriptor,
} from './core/types.js';
export { VaultError, VaultErrorCodes, isVaultError, type VaultErrorOptions, DeviceError, DeviceErrorCodes } from './core/errors.js';
export { defaultPlugin } from './default-plugin.js'; // setDefaultPlugin comes with the session layer below
export * from './session/index.js';
// The Identity Vault 5.x/6.x API: Vault, BrowserVault, Device, VaultMigrator and their types.
export * from './vault-api/index.js';

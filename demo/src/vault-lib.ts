/**
 * The library, from source. An app would import the published entry points instead:
 * `identity-vault` and `identity-vault/web` — the names below are exactly theirs.
 */
export {
  AuthMode,
  IonicIdentityVaultUser,
  VaultError,
  VaultErrorCodes,
  createAuthFetch,
  isVaultError,
  type DefaultSession,
  type IdentityVault,
  type LockEvent,
  type PluginConfiguration,
  type VaultConfig,
  type VaultDescriptor,
} from '../../src/index.js';
export { createWebPlugin } from '../../src/web/index.js';

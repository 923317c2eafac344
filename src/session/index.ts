/**
 * The session layer: `IonicIdentityVaultUser<T>` and the helpers that put its token on requests.
 *
 * @module
 */
export { IonicIdentityVaultUser, DEFAULT_VAULT_DESCRIPTOR, SESSION_KEY, type PlatformReady } from './identity-vault-user.js';
export type { IdentityVaultUser } from './identity-vault-user-api.js';
export type { VaultOptions } from './vault-options.js';
export { VaultUserHooks } from './vault-user-hooks.js';
export { VaultUserQueries } from './vault-user-queries.js';
export { setDefaultPlugin, type PluginProvider } from '../default-plugin.js';
export { createAuthFetch, type AuthFetchOptions } from './auth-fetch.js';
export { createAuthHeader, type AuthHeader, type AuthHeaderOptions, type SessionSource } from './auth-header.js';
export { createOriginAllowlist, type OriginAllowlist } from './origin-allowlist.js';

/**
 * The library, from source, as the 5.x/6.x page uses it. An app imports the same names from
 * `identity-vault` (before: `@ionic-enterprise/identity-vault`).
 */
export {
  BrowserVault,
  Device,
  DeviceSecurityType,
  Vault,
  VaultError,
  VaultErrorCodes,
  VaultType,
  type IdentityVaultConfig,
  type OnCompleteFunction,
} from '../../../src/index.js';

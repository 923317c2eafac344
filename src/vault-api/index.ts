/**
 * The Identity Vault 5.x/6.x API (`Vault`, `BrowserVault`, `Device`, `VaultMigrator`), on the same
 * engine as the 3.x/4.x API. Exported from the package root.
 * @module
 */
export { Vault } from './vault.js';
export { BrowserVault } from './browser-vault.js';
export { Device } from './device.js';
export { VaultMigrator, NO_LEGACY_DATA_MESSAGE, type LegacyVaultOptions } from './vault-migrator.js';
export { VaultType, DeviceSecurityType, AndroidBiometricCryptoPreference, type IdentityVaultConfig } from './config.js';
export { BiometricPermissionState, BiometricSecurityStrength, SupportedBiometricType, type ShowBiometricPromptOptions } from './device-types.js';
export type { VaultInterface, VaultLockEvent } from './vault-interface.js';
export type { OnCompleteFunction, PasscodeRequestCallback } from './passcode-requests.js';

/**
 * `VaultMigrator`: moves a vault written through this package's Identity Vault 3.x/4.x API
 * (`IonicIdentityVaultUser`, `IdentityVault`) into a 5.x/6.x `Vault`, the way Identity Vault 5.x's
 * migrator moves 4.x data:
 *
 * ```ts
 * const migrator = new VaultMigrator(legacyOptions, onPasscodeRequest);
 * const data = await migrator.exportVault();   // unlocks the legacy vault as it was configured
 * await vault.importVault(data);
 * await migrator.clear();
 * ```
 *
 * An empty legacy vault rejects with a plain `Error` whose message contains
 * "no data in legacy vault" and that has no `code`: that is how Identity Vault's migrator fails,
 * and apps test exactly that (`code == undefined && /no data in legacy vault/.test(message)`).
 */
import type { IdentityVault, VaultDescriptor } from '../core/types.js';
import { VaultError, VaultErrorCodes } from '../core/errors.js';
import { engineOfVault } from '../core/identity-vault.js';
import { defaultPlugin } from '../default-plugin.js';
import { DEFAULT_VAULT_DESCRIPTOR } from '../session/identity-vault-user.js';
import type { VaultOptions } from '../session/vault-options.js';

/** The legacy options: 3.x/4.x `VaultOptions`, plus any other 4.x option (`allowSystemPinFallback`, …), accepted and unused. */
export type LegacyVaultOptions = VaultOptions & { [option: string]: unknown };

/** The message of the error an empty legacy vault gives. */
export const NO_LEGACY_DATA_MESSAGE = 'VaultMigrator: no data in legacy vault';

/** Migrates the data of a 3.x/4.x vault. */
export class VaultMigrator {
  #vault: IdentityVault | undefined;
  readonly #options: LegacyVaultOptions;
  readonly #onPasscodeRequest: ((isPasscodeSetRequest: boolean) => Promise<string | undefined>) | undefined;
  readonly #descriptor: VaultDescriptor;

  /**
   * @param options the legacy vault's options (as passed to `IonicIdentityVaultUser`); `plugin`, when given, is where the legacy vault lives.
   * @param onPasscodeRequest asked for the legacy passcode when the legacy vault unlocks with one; resolving `undefined` shows the built-in prompt.
   * @param descriptor the legacy vault; defaults to `IonicIdentityVaultUser`'s `{ username: '_lastUser', vaultId: 'default' }`.
   */
  constructor(
    options: LegacyVaultOptions = {},
    onPasscodeRequest?: (isPasscodeSetRequest: boolean) => Promise<string | undefined>,
    descriptor: VaultDescriptor = DEFAULT_VAULT_DESCRIPTOR,
  ) {
    this.#options = options;
    this.#onPasscodeRequest = onPasscodeRequest;
    this.#descriptor = descriptor;
  }

  /**
   * Every value of the legacy vault, unlocking it first (biometrics, then the passcode, as the
   * legacy vault is set up). Rejects with `Error(NO_LEGACY_DATA_MESSAGE)` when it holds nothing.
   */
  // Identity Vault 5.x types this `Promise<any>`: the legacy session object.
  async exportVault(): Promise<any> {
    const vault = await this.#legacyVault();
    if (!(await vault.isInUse())) throw new Error(NO_LEGACY_DATA_MESSAGE);
    if (await vault.isLocked()) await this.#unlock(vault);
    const data: Record<string, unknown> = {};
    for (const key of await engineOfVault(vault).getKeys()) data[key] = await vault.getValue(key);
    return data;
  }

  /** Removes the legacy vault: its values, its passcode and its biometric key. */
  async clear(): Promise<void> {
    const vault = await this.#legacyVault();
    await vault.clear();
    await vault.setBiometricsEnabled(false);
    await vault.setPasscodeEnabled(false);
  }

  async #legacyVault(): Promise<IdentityVault> {
    if (!this.#vault) {
      const plugin = this.#options.plugin ?? (await defaultPlugin());
      this.#vault = plugin.getVault({ vaultId: this.#descriptor.vaultId, username: this.#descriptor.username });
    }
    return this.#vault;
  }

  async #unlock(vault: IdentityVault): Promise<void> {
    const config = await vault.getConfig();
    if (config.isBiometricsEnabled) {
      try {
        return await vault.unlock(false);
      } catch (error) {
        // 4.x BiometricAndPasscode: a failed or cancelled biometric prompt falls back to the passcode.
        const fallBack = config.isPasscodeEnabled && error instanceof VaultError && error.code !== VaultErrorCodes.TooManyFailedAttempts;
        if (!fallBack) throw error;
      }
    }
    if (config.isPasscodeEnabled) {
      const passcode = this.#onPasscodeRequest ? await this.#onPasscodeRequest(false) : undefined;
      return vault.unlock(true, passcode);
    }
    return vault.unlock();
  }
}

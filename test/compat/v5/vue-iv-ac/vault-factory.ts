/**
 * Pattern of ionic-enterprise/tutorials-and-demos-vue, demos/iv-ac/src/composables/vault-factory.ts
 * (a Vue app's vault factory): a native `Vault` on devices, a `BrowserVault` on the web, both
 * created without a config and initialized later. Reproduced in our own code.
 */
import { BrowserVault, Vault } from 'identity-vault';
import { platform } from '../shell/app-shell.js';

export const useVaultFactory = () => {
  const createVault = (): Vault | BrowserVault => (platform.hybrid ? new Vault() : new BrowserVault());
  return { createVault };
};

/** Opening vaults on fresh web plugins, each on its own IndexedDB database. */
import { createWebPlugin, type WebPluginOptions } from '../../src/web/index.js';
import type { IdentityVault, PluginOptions } from '../../src/index.js';

/** The passcode every bench vault uses. */
export const PASSCODE = 'correct horse battery staple';

/** A vault on a new plugin over `databaseName`, resolved once it is ready. */
export function openVault(
  databaseName: string,
  descriptor: { vaultId: string; username: string },
  options: Omit<PluginOptions, 'vaultId' | 'username' | 'onReady' | 'onError'> = {},
  pluginOptions: Omit<WebPluginOptions, 'databaseName'> = {},
): Promise<IdentityVault> {
  const plugin = createWebPlugin({ ...pluginOptions, databaseName });
  return new Promise<IdentityVault>((resolve, reject) => {
    const vault = plugin.getVault({ ...descriptor, ...options, onReady: () => resolve(vault), onError: reject });
  });
}

/** Delete a database (between runs of the bench in one browser profile). */
export function deleteDatabase(name: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => resolve();
  });
}

/**
 * A passcode vault holding `count` values, written in one commit through the public API: the
 * values go into an in-memory vault, `setInMemoryOnly(false)` persists them (one transaction),
 * then a passcode is set. Setting it changes the vault's protection, so the data key is rotated
 * (`src/core/key-rotation.ts`): a new key, wrapped to the passcode, and every value re-encrypted
 * under it in one more transaction.
 */
export async function fillVault(vault: IdentityVault, count: number, value: (index: number) => unknown, auth: 'passcode' | 'device'): Promise<void> {
  await vault.setInMemoryOnly!(true);
  for (let i = 0; i < count; i++) await vault.storeValue(`value-${i}`, value(i));
  await vault.setInMemoryOnly!(false);
  if (auth === 'passcode') {
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode(PASSCODE);
  }
}

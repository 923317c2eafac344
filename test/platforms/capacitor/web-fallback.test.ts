/** Without the native plugin (a browser, or a native shell without it), the web platform is used. */
import { expect, it } from 'vitest';
import { createCapacitorPlatform, IdentityVault, isNativeAvailable, PLUGIN_NAME } from 'identity-vault/capacitor';

it('falls back to the web platform and registers the plugin under its name', async () => {
  expect(PLUGIN_NAME).toBe('IdentityVault');
  expect(isNativeAvailable()).toBe(false);
  expect(typeof IdentityVault.storeGet).toBe('function');
  const platform = await createCapacitorPlatform();
  expect(platform.name).toBe('web');
});

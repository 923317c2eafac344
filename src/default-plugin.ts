/**
 * The platform picked at run time when `VaultOptions.plugin` is not given: the web platform in a
 * browser. Loaded lazily so that importing `identity-vault` under Node touches no browser global.
 */
import { VaultError, VaultErrorCodes } from './core/errors.js';
import type { IonicNativeAuthPlugin } from './core/types.js';

let chosen: Promise<IonicNativeAuthPlugin> | undefined;

/**
 * The default plugin for this environment.
 * @throws VaultError `VaultUnavailable` outside a browser: pass `plugin` (for example
 * `createNodePlugin()` from `identity-vault/node`, or `new SimulatedDevice().plugin`).
 */
export function defaultPlugin(): Promise<IonicNativeAuthPlugin> {
  chosen ??= choose();
  return chosen;
}

async function choose(): Promise<IonicNativeAuthPlugin> {
  const g = globalThis as { indexedDB?: unknown; document?: unknown };
  if (g.indexedDB !== undefined && g.document !== undefined) {
    const { webPlugin } = await import('./web/index.js');
    return webPlugin();
  }
  throw new VaultError(
    VaultErrorCodes.VaultUnavailable,
    'No platform for this environment: pass `plugin` in the vault options (createNodePlugin() from identity-vault/node, or new SimulatedDevice().plugin from identity-vault/testing).',
  );
}

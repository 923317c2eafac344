/**
 * The platform an `IonicIdentityVaultUser` uses when `VaultOptions.plugin` is not given: by
 * default picked at run time (the web platform in a browser); {@link setDefaultPlugin} replaces
 * the pick — chiefly so an app's own identity service, whose `super()` passes no `plugin`, can be
 * tested on a `SimulatedDevice` unchanged. The web platform is loaded lazily, so importing
 * `identity-vault` under Node touches no browser global.
 */
import { toVaultError, unavailable, VaultErrorCodes } from './core/errors.js';
import type { IdentityVault, IonicNativeAuthPlugin, PluginOptions } from './core/types.js';

/** A plugin, or a function giving the current one (a `SimulatedDevice` has a new plugin after `restart()`). */
export type PluginProvider = IonicNativeAuthPlugin | (() => IonicNativeAuthPlugin);

let override: PluginProvider | undefined;
let picked: Promise<IonicNativeAuthPlugin> | undefined;

/**
 * Makes every vault user created from now on without `plugin` use `provider`; `undefined` goes
 * back to picking the platform at run time. Users already set up keep their vault.
 *
 * @example
 * ```ts
 * import { SimulatedDevice } from 'identity-vault/testing';
 * const device = new SimulatedDevice();
 * setDefaultPlugin(() => device.plugin);
 * const service = new IdentityService(http, router, platform); // its super() passes no plugin
 * // …
 * setDefaultPlugin(undefined);
 * ```
 */
export function setDefaultPlugin(provider: PluginProvider | undefined): void {
  override = provider;
}

/**
 * The plugin a vault user gets from the default `getPlugin()` (Identity Vault 3.2+): what
 * {@link setDefaultPlugin} set; else a global `IonicNativeAuth` (the name Identity Vault's native
 * plugin had, and where 4.x apps' unit tests put a plugin: `window.IonicNativeAuth = …`); else
 * the platform picked at run time. Synchronous, as `getPlugin()` is: the picked platform is loaded
 * when the first vault is asked for.
 */
export function defaultGetPlugin(): IonicNativeAuthPlugin {
  const provider = override;
  if (provider !== undefined) return typeof provider === 'function' ? provider() : provider;
  const global = (globalThis as { IonicNativeAuth?: unknown }).IonicNativeAuth;
  if (isPlugin(global)) return global;
  return deferredPlugin(defaultPlugin);
}

function isPlugin(value: unknown): value is IonicNativeAuthPlugin {
  return typeof value === 'object' && value !== null && typeof (value as { getVault?: unknown }).getVault === 'function';
}

/**
 * A plugin whose real plugin is loaded when a vault is asked for. `getVault` must answer at once,
 * so it returns a stand-in that forwards every call to the real vault; the real vault itself
 * reaches the app through `onReady`, as with Identity Vault's own plugin. A plugin that cannot be
 * loaded reports `onError` (`VaultUnavailable` when there is no platform).
 */
function deferredPlugin(load: () => Promise<IonicNativeAuthPlugin>): IonicNativeAuthPlugin {
  return {
    getVault(options: PluginOptions): IdentityVault {
      const real = load().then((plugin) => plugin.getVault(options));
      real.catch((error: unknown) => options.onError?.(toVaultError(error, VaultErrorCodes.VaultUnavailable, 'The platform could not be loaded.')));
      return forwardingVault(real);
    },
  };
}

function forwardingVault(real: Promise<IdentityVault>): IdentityVault {
  return new Proxy({} as IdentityVault, {
    get(_target, name) {
      // Not a thenable; `config` arrives with the real vault (through onReady).
      if (name === 'then' || name === 'config' || typeof name === 'symbol') return undefined;
      return (...args: unknown[]) =>
        real.then((vault) => {
          const member = (vault as unknown as Record<string, unknown>)[name];
          if (typeof member !== 'function') return member;
          return (member as (...a: unknown[]) => unknown).apply(vault, args);
        });
    },
  });
}

/**
 * The default plugin for this environment.
 * @throws VaultError `VaultUnavailable` outside a browser when no plugin was set: pass `plugin`
 * (for example `createNodePlugin()` from `identity-vault/node`, or `new SimulatedDevice().plugin`).
 */
export async function defaultPlugin(): Promise<IonicNativeAuthPlugin> {
  const provider = override;
  if (provider !== undefined) return typeof provider === 'function' ? provider() : provider;
  picked ??= pick();
  return picked;
}

async function pick(): Promise<IonicNativeAuthPlugin> {
  const g = globalThis as { indexedDB?: unknown; document?: unknown; Capacitor?: unknown };
  const nativeShell = typeof g.Capacitor === 'object' && g.Capacitor !== null;
  if (nativeShell || (g.indexedDB !== undefined && g.document !== undefined)) {
    return (await import('./pick-platform.js')).pickPlatform(nativeShell);
  }
  picked = undefined; // let a later call, after setDefaultPlugin, try again
  throw unavailable(
    'No platform for this environment: pass `plugin` in the vault options (createNodePlugin() from identity-vault/node, or new SimulatedDevice().plugin from identity-vault/testing), or call setDefaultPlugin().',
  );
}

/**
 * The page script of `lazy-chunks.spec.ts`: the web plugin, bundled by esbuild *with code
 * splitting* as an app's bundler would, so the parts the web platform loads with `import()` are
 * separate files fetched on first use. The 3.x/4.x session layer (`IonicIdentityVaultUser`) is in
 * it too: it loads its AuthMode code (`apply-auth-mode.ts`) the same way.
 */
import { AuthMode, IonicIdentityVaultUser } from 'identity-vault';
import { createWebPlugin } from 'identity-vault/web';

declare global {
  interface Window {
    lazyApi: { createWebPlugin: typeof createWebPlugin; IonicIdentityVaultUser: typeof IonicIdentityVaultUser; AuthMode: typeof AuthMode };
    lazyReady: boolean;
  }
}

window.lazyApi = { createWebPlugin, IonicIdentityVaultUser, AuthMode };
window.lazyReady = true;

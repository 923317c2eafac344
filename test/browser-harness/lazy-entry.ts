/**
 * The page script of `lazy-chunks.spec.ts`: the web plugin, bundled by esbuild *with code
 * splitting* as an app's bundler would, so the parts the web platform loads with `import()` are
 * separate files fetched on first use.
 */
import { createWebPlugin } from 'identity-vault/web';

declare global {
  interface Window {
    lazyApi: { createWebPlugin: typeof createWebPlugin };
    lazyReady: boolean;
  }
}

window.lazyApi = { createWebPlugin };
window.lazyReady = true;

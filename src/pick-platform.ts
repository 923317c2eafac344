/**
 * The platform `defaultPlugin()` picks at run time, in one module that `default-plugin.ts` loads
 * with `import()`. The web platform and the core are static imports here, so a bundler puts them
 * in one chunk (BENCHMARKS.md, size: every chunk costs its own gzip context); the native platform
 * stays a chunk of its own, which a browser never loads.
 */
import { createPlugin } from './core/plugin.js';
import type { IonicNativeAuthPlugin } from './core/types.js';
import { webPlugin } from './web/index.js';

/**
 * The native Capacitor platform when `nativeShell` says this runs in one and its plugins are
 * installed, else the web platform.
 */
export async function pickPlatform(nativeShell: boolean): Promise<IonicNativeAuthPlugin> {
  // A native Capacitor shell defines `Capacitor` before the app runs. Only then is the native
  // platform (and with it @capacitor/core, an optional peer) loaded; it is used on iOS/Android
  // with its five plugins installed (docs/native.md), else the web platform is, as before.
  if (nativeShell) {
    try {
      const { loadPluginPlatform } = await import('./capacitor/plugin-platform.js');
      const platform = await loadPluginPlatform();
      if (platform) return createPlugin(platform);
    } catch {
      // fall through to the web platform
    }
  }
  return webPlugin();
}

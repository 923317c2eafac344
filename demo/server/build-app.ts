/**
 * Builds the demo app with Vite's JavaScript API. The app imports the library from source
 * (`src/`), which Vite compiles along with the app.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { build } from 'vite';

/** The `demo/` directory (Vite's root). */
export const demoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds `demo/index.html` and its modules into `outDir`.
 *
 * @param outDir - @default demo/dist
 * @example
 * ```ts
 * await buildDemoApp();
 * ```
 */
export async function buildDemoApp(outDir: string = path.join(demoRoot, 'dist'), options: { quiet?: boolean } = {}): Promise<string> {
  await build({
    root: demoRoot,
    configFile: false,
    envFile: false,
    publicDir: false,
    logLevel: options.quiet === false ? 'info' : 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
      // Keep one small CSS file instead of inlining it in JS: the server's CSP has no 'unsafe-inline'.
      cssCodeSplit: false,
      modulePreload: { polyfill: false },
      rollupOptions: {
        // Two pages: the main demo, and the same journey through the Identity Vault 5.x/6.x API.
        input: { main: path.join(demoRoot, 'index.html'), v5: path.join(demoRoot, 'v5.html') },
        onwarn(warning, warn) {
          // The library loads its web platform lazily when no plugin is given; the demo passes one
          // (imported statically), so the lazy import has nothing to split. Expected, not a problem.
          if (warning.message.includes('dynamic import will not move module into another chunk')) return;
          warn(warning);
        },
      },
    },
  });
  return outDir;
}

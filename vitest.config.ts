import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The compatibility suite (test/compat) imports the package by its name, as an app does; it runs
// against the build in dist/ (`npm run build` first), resolved the way the package's `exports` map
// resolves it for an app.
const dist = (entry: string) => fileURLToPath(new URL(`./dist/${entry}`, import.meta.url));

// Unit, node-platform and security tests run in Node. Browser tests are Playwright `*.spec.ts`
// files (see playwright.config.ts) and are not picked up here.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^identity-vault$/, replacement: dist('index.js') },
      { find: /^identity-vault\/(web|node|testing|capacitor)$/, replacement: dist('$1/index.js') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/e2e/**', 'test/platforms/web/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});

import { defineConfig } from 'vitest/config';

// Unit, node-platform and security tests run in Node. Browser tests are Playwright `*.spec.ts`
// files (see playwright.config.ts) and are not picked up here.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/e2e/**', 'test/platforms/web/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});

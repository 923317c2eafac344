import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

// Tests import the package by its name (`identity-vault`, `identity-vault/testing`, …), as an app
// does (docs/architecture.md, "Tests"). For unit tests the name means the sources in src/, so
// they need no build; tsconfig.json's `paths` says the same to the type-checker, tsx, esbuild and
// Playwright. The compatibility suite (test/compat) runs against the build in dist/ instead
// (`npm run build` first), resolved the way the package's `exports` map resolves it for an app.
const fromRoot = (file: string) => fileURLToPath(new URL(`./${file}`, import.meta.url));
const compatDirectory = fromRoot('test/compat/');
const PACKAGE_NAME = /^identity-vault(?:\/(web|node|testing|platform|capacitor))?$/;

function packageByName(): Plugin {
  return {
    name: 'identity-vault-by-name',
    enforce: 'pre',
    resolveId(source, importer) {
      const match = PACKAGE_NAME.exec(source);
      if (!match) return null;
      const entry = match[1] ? `${match[1]}/index` : 'index';
      const againstBuild = importer?.startsWith(compatDirectory) ?? false;
      return againstBuild ? fromRoot(`dist/${entry}.js`) : fromRoot(`src/${entry}.ts`);
    },
  };
}

// Unit, node-platform and security tests run in Node. Browser tests are Playwright `*.spec.ts`
// files (see playwright.config.ts) and are not picked up here.
export default defineConfig({
  plugins: [packageByName()],
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/e2e/**', 'test/platforms/web/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one worker on CI's 2 cores, where the
    // files then took 205 s one after another; two workers took 121 s (most files wait on child
    // processes, fsync and timers, not the CPU).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});

/**
 * The package as an app developer meets it: the packed tarball (`npm pack`, as published) is
 * installed with `npm install --offline` into a new Vite app, which
 *  - type-checks under `strict` + `noImplicitOverride` (Angular's default) with `moduleResolution`
 *    `bundler`, and again under `node10` (older tsconfigs; `typesVersions` serves the subpaths);
 *  - is built by Vite, and in Chromium the bundle has registered the `IdentityVault` Capacitor
 *    plugin from a bare `import 'identity-vault/capacitor'` (package.json `sideEffects` keeps it)
 *    and runs a vault (IndexedDB + WebCrypto) through the app's own `IonicIdentityVaultUser`;
 *  - imports `identity-vault/node` from a Node ES module and `require()`s it from CommonJS.
 * Offline and fast: Vite and TypeScript are the repository's own, and `@capacitor/core` is linked
 * from the repository's node_modules (it is an optional peer dependency the app would install).
 * Needs `npm run build` and `npm run docs` first (`npm test` runs both).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { build } from 'vite';

const repo = path.resolve(import.meta.dirname, '../..');
const tsc = path.join(repo, 'node_modules/typescript/bin/tsc');
const origin = 'http://localhost:4319'; // intercepted below; localhost makes it a secure context (WebCrypto)

let work: string;
let app: string;

/** The app's source: what a developer writes after reading the README (its first example). */
const FILES: Record<string, string> = {
  'index.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>app</title></head>
<body><script type="module" src="/src/main.ts"></script></body></html>`,
  'src/identity.service.ts': `import { AuthMode, IonicIdentityVaultUser, type DefaultSession, type LockEvent, type VaultConfig } from 'identity-vault';

export interface MySession extends DefaultSession {
  email: string;
}

export class IdentityService extends IonicIdentityVaultUser<MySession> {
  unlocked = 0;
  constructor(platform: { ready(): Promise<unknown> }) {
    super(platform, { authMode: AuthMode.SecureStorage, restoreSessionOnReady: false, unlockOnAccess: true, lockAfter: 5000 });
  }
  override onVaultUnlocked(_config: VaultConfig): void {
    this.unlocked++;
  }
  override onVaultLocked(_event: LockEvent): void {}
  override async onPasscodeRequest(_isPasscodeSetRequest: boolean): Promise<string | undefined> {
    return undefined;
  }
}
`,
  'src/main.ts': `import 'identity-vault/capacitor';
import { Capacitor } from '@capacitor/core';
import type { IdentityVaultPlugin } from 'identity-vault/capacitor';
import { IdentityService } from './identity.service';

async function main(): Promise<Record<string, unknown>> {
  // Capacitor's registry of plugins (registerPlugin adds to it; typed only internally).
  const plugins = (Capacitor as unknown as { Plugins: Record<string, unknown> }).Plugins;
  const service = new IdentityService({ ready: () => Promise.resolve() });
  await service.saveSession({ username: 'ada', token: 'tok-123', email: 'ada@example.com' });
  const session = await service.restoreSession();
  const plugin = plugins['IdentityVault'] as IdentityVaultPlugin | undefined;
  return { registered: Object.keys(plugins), pluginType: typeof plugin, token: session?.token, email: session?.email };
}

main().then(
  (result) => (document.body.dataset['result'] = JSON.stringify(result)),
  (error: unknown) => (document.body.dataset['result'] = JSON.stringify({ error: String(error) })),
);
`,
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'bundler',
      lib: ['ES2022', 'DOM'],
      types: [],
      strict: true,
      noImplicitOverride: true,
      noUnusedLocals: true,
      noEmit: true,
      skipLibCheck: false,
      verbatimModuleSyntax: true,
    },
    include: ['src'],
  }),
  'tsconfig.node10.json': JSON.stringify({
    extends: './tsconfig.json',
    compilerOptions: { module: 'ESNext', moduleResolution: 'node10', skipLibCheck: true }, // the .d.ts were checked above
  }),
  'esm-check.mjs': `import { createNodePlugin } from 'identity-vault/node';
import { AuthMode } from 'identity-vault';
console.log(typeof createNodePlugin, typeof AuthMode.PasscodeOnly);
`,
  'cjs-check.cjs': `const { createNodePlugin } = require('identity-vault/node');
const { AuthMode } = require('identity-vault');
console.log(typeof createNodePlugin, typeof AuthMode.PasscodeOnly);
`,
};

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout ?? ''}${failed.stderr ?? failed.message}`, { cause: error });
  }
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  if (!existsSync(path.join(repo, 'dist/index.js')) || !existsSync(path.join(repo, 'docs/api/README.md'))) {
    throw new Error('dist/ or docs/api/ is missing: run `npm run build && npm run docs` (npm test does) before this test.');
  }
  work = mkdtempSync(path.join(tmpdir(), 'identity-vault-vite-app-'));
  // --ignore-scripts: packs the dist/ and docs/api/ just built instead of building again (prepack).
  const [packed] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo)) as Array<{ filename: string }>;
  app = path.join(work, 'app');
  mkdirSync(path.join(app, 'src'), { recursive: true });
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'new-vite-app', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(work, packed!.filename)], app);
  mkdirSync(path.join(app, 'node_modules/@capacitor'), { recursive: true });
  symlinkSync(path.join(repo, 'node_modules/@capacitor/core'), path.join(app, 'node_modules/@capacitor/core'), 'dir');
  for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(app, name), text);
});

test.afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the installed package is the packed one, with its API reference', () => {
  const installed = path.join(app, 'node_modules/identity-vault');
  expect(existsSync(path.join(installed, 'dist/index.js'))).toBe(true);
  expect(existsSync(path.join(installed, 'src'))).toBe(false);
  for (const page of ['README.md', 'index.md', 'web.md', 'node.md', 'testing.md', 'capacitor.md']) {
    expect(existsSync(path.join(installed, 'docs/api', page)), `docs/api/${page}`).toBe(true);
  }
  expect(readFileSync(path.join(installed, 'docs/api/index.md'), 'utf8')).toContain('IonicIdentityVaultUser');
});

test('the app type-checks under noImplicitOverride, with bundler and node10 resolution', () => {
  run(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
  run(process.execPath, [tsc, '-p', 'tsconfig.node10.json'], app);
});

test('the Vite bundle keeps the Capacitor registration and runs a vault', async ({ page }) => {
  await build({ root: app, configFile: false, logLevel: 'error', build: { outDir: 'dist', emptyOutDir: true } });
  const dist = path.join(app, 'dist');
  await page.route(`${origin}/**`, async (route) => {
    const pathname = new URL(route.request().url()).pathname;
    const file = path.join(dist, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(dist) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
    return route.fulfill({ status: 200, contentType: type, body: readFileSync(file) });
  });
  await page.goto(`${origin}/`);
  await expect(page.locator('body[data-result]')).toHaveCount(1, { timeout: 15_000 });
  const result = JSON.parse((await page.locator('body').getAttribute('data-result')) ?? '{}') as Record<string, unknown>;
  expect(result).toEqual({ registered: expect.arrayContaining(['IdentityVault']), pluginType: 'object', token: 'tok-123', email: 'ada@example.com' });
});

test('Node loads it from an ES module and from CommonJS (require(esm))', () => {
  expect(run(process.execPath, ['esm-check.mjs'], app).trim()).toBe('function number');
  expect(run(process.execPath, ['cjs-check.cjs'], app).trim()).toBe('function number');
});

/**
 * Playwright fixtures of the demo's end-to-end tests: the demo server (app built by Vite into a
 * temporary directory, API with a temporary data directory) started in the test process, one per
 * worker, so the tests do not depend on `npm start`; helpers that act as a person would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { buildDemoApp } from '../../demo/server/build-app.js';
import { startDemoServer, type DemoServer } from '../../demo/server/demo-server.js';
import { VirtualAuthenticator } from '../browser-harness/virtual-authenticator.js';

export interface DemoFixtures {
  /** The demo app open in `page` (its start screen is showing). */
  app: Page;
  /** Saves a screenshot of the viewport (what a person sees; a fixed overlay covers exactly this) under the test's output directory and attaches it to the report. */
  shot: (name: string) => Promise<void>;
  /** A fresh virtual platform authenticator with PRF and user verification, on `page`. */
  authenticator: VirtualAuthenticator;
}

export const test = base.extend<DemoFixtures, { demo: DemoServer }>({
  demo: [
    async ({}, use) => {
      const dir = await mkdtemp(path.join(tmpdir(), 'identity-vault-demo-e2e-'));
      const appDir = await buildDemoApp(path.join(dir, 'dist'));
      const server = await startDemoServer({ appDir, dataDir: path.join(dir, 'data'), port: 0 });
      await use(server);
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  app: async ({ page, demo }, use) => {
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(demo.url);
    await expect(page.locator('[data-screen]').first()).toBeVisible();
    await use(page);
  },
  shot: async ({ page }, use, testInfo) => {
    let n = 0;
    await use(async (name) => {
      n += 1;
      await saveShot(page, testInfo, `${String(n).padStart(2, '0')}-${name}`);
    });
  },
  authenticator: async ({ context, app }, use) => {
    await use(await VirtualAuthenticator.attach(context, app));
  },
});

async function saveShot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/**
 * Puts the page in the background (or back): `document.visibilityState` is overridden and
 * `visibilitychange` fired, as the browser does when the tab is switched away.
 */
export async function setPageHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((isHidden) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (isHidden ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => isHidden });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/** The screen on show (`data-screen` of the visible screen). */
export function currentScreen(page: Page): Promise<string | null> {
  return page.locator('[data-screen]').first().getAttribute('data-screen');
}

export { expect };

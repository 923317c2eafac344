/**
 * Playwright fixtures of the web platform tests: one harness server per worker, the harness page
 * opened and ready, and a fresh virtual authenticator per test (a PRF authenticator that saw a
 * user-verification failure stays broken, and holds at most 3 resident credentials).
 */
import { test as base, expect, type Page } from '@playwright/test';
import { startHarnessServer, type HarnessServer } from '../../browser-harness/server.js';
import { VirtualAuthenticator } from '../../browser-harness/virtual-authenticator.js';
import type {} from '../../browser-harness/entry.js';

/** Open the harness page (or `bundle`'s page) in `page` and wait for its script. */
export async function openHarness(page: Page, server: HarnessServer, bundle?: string): Promise<void> {
  await page.goto(server.pageUrl(bundle));
  await page.waitForFunction(() => window.ivReady === true);
}

export const test = base.extend<{ harnessPage: Page; authenticator: VirtualAuthenticator }, { server: HarnessServer }>({
  server: [
    async ({}, use) => {
      const server = await startHarnessServer();
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  harnessPage: async ({ page, server }, use) => {
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await openHarness(page, server);
    await use(page);
  },
  authenticator: async ({ context, harnessPage }, use) => {
    const authenticator = await VirtualAuthenticator.attach(context, harnessPage);
    await use(authenticator);
  },
});

export { expect };

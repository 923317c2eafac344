/**
 * Quota exceeded → `VaultError(VaultUnavailable)` with the browser's `QuotaExceededError` as
 * cause, and nothing of the batch written.
 *
 * `Storage.overrideQuotaForOrigin` has no effect on Playwright's default (incognito) contexts, so
 * this test runs in a persistent profile in a temporary directory.
 */
import { chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import config from '../../../playwright.config.js';
import { expect, openHarness, test } from './fixtures.js';

test('quota exceeded → VaultUnavailable (cause QuotaExceededError); the batch is all-or-nothing', async ({ server }) => {
  const profile = mkdtempSync(path.join(tmpdir(), 'iv-quota-'));
  const context = await chromium.launchPersistentContext(profile, { ...config.use?.launchOptions, headless: true });
  try {
    const page = await context.newPage();
    await openHarness(page, server);
    // Before the origin's storage is first opened: the quota is read then.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.origin, quotaSize: 64 * 1024 });
    await page.evaluate(() => new window.iv.IndexedDbStore(new window.iv.IdbConnection('t-quota')).commit({ put: [['small', { s: 1 }]] }));
    const result = await page.evaluate(async () => {
      const store = new window.iv.IndexedDbStore(new window.iv.IdbConnection('t-quota'));
      // Random bytes, so Chromium's value compression cannot shrink the record under the quota.
      const bytes = crypto.getRandomValues(new Uint8Array(60_000));
      const big = [...bytes, ...crypto.getRandomValues(new Uint8Array(60_000))].join(',');
      const outcome = await window.iv.outcome(
        store.commit({
          delete: ['small'],
          put: [
            ['a', { big }],
            ['b', { s: 2 }],
          ],
        }),
      );
      return { outcome, keys: (await store.keys('')).sort() };
    });
    expect(result.outcome).toMatchObject({ name: 'VaultError', codeName: 'VaultUnavailable', causeName: 'QuotaExceededError' });
    expect(result.keys).toEqual(['small']);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

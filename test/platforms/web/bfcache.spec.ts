/**
 * A real trip through Chromium's back/forward cache with an open vault: `pagehide` (persisted),
 * hidden, then `pageshow` (persisted) on return — no reload, so the vault's memory survives and
 * only the lifecycle events decide whether it locks. Playwright disables the bfcache by default
 * (`--disable-back-forward-cache`); this file turns it back on.
 */
import config from '../../../playwright.config.js';
import { expect, test } from './fixtures.js';

test.use({ launchOptions: { ...config.use?.launchOptions, ignoreDefaultArgs: ['--disable-back-forward-cache'] } });

async function openVaultAndLeave(page: import('@playwright/test').Page, origin: string, lockAfter: number, awayMs: number): Promise<void> {
  await page.evaluate(async (lockAfter) => {
    const plugin = window.iv.createWebPlugin();
    const locks: unknown[] = [];
    const vault = plugin.getVault({ vaultId: 'bfcache', username: 'ada', lockAfter, onLock: (event) => locks.push(event) });
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('8642');
    await vault.storeValue('k', 'kept');
    window.iv.scratch['vault'] = vault;
    window.iv.scratch['locks'] = locks;
    window.iv.scratch['events'] = [] as string[];
    for (const type of ['pagehide', 'pageshow'] as const) {
      window.addEventListener(type, (e) => (window.iv.scratch['events'] as string[]).push(`${type}:${e.persisted}`));
    }
  }, lockAfter);
  await page.goto(`${origin}/elsewhere.html`);
  await page.waitForTimeout(awayMs);
  // A bfcache restore fires no `load`: wait for the commit, then for the restored page's script state.
  await page.goBack({ waitUntil: 'commit' });
  await page.waitForFunction(() => window.iv?.scratch['events'] !== undefined);
}

test('back from the bfcache after longer than lockAfter: locked, with timeout: true', async ({ harnessPage: page, server }) => {
  await openVaultAndLeave(page, server.origin, 300, 700);
  await expect.poll(() => page.evaluate(() => (window.iv.scratch['vault'] as { isLocked(): Promise<boolean> }).isLocked())).toBe(true);
  const state = await page.evaluate(() => ({ events: window.iv.scratch['events'], locks: window.iv.scratch['locks'] }));
  expect(state.events).toEqual(['pagehide:true', 'pageshow:true']); // restored from the bfcache, not reloaded
  expect(state.locks).toEqual([{ saved: true, timeout: true }]);
});

test('back from the bfcache sooner than lockAfter: still unlocked', async ({ harnessPage: page, server }) => {
  await openVaultAndLeave(page, server.origin, 60_000, 100);
  const state = await page.evaluate(async () => ({
    events: window.iv.scratch['events'],
    locked: await (window.iv.scratch['vault'] as { isLocked(): Promise<boolean> }).isLocked(),
    value: await (window.iv.scratch['vault'] as { getValue(k: string): Promise<unknown> }).getValue('k'),
  }));
  expect(state).toEqual({ events: ['pagehide:true', 'pageshow:true'], locked: false, value: 'kept' });
});

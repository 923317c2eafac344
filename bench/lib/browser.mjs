/**
 * Debian's Chromium, headless, through playwright-core (no browser download), and the DevTools
 * protocol's virtual WebAuthn authenticator.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { addPlatformAuthenticator } from '../../test/browser-harness/platform-authenticator.mjs';

/** The Chromium executable: `CHROMIUM_PATH` or Debian's. */
export function chromiumPath() {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launch headless Chromium with a profile on disk (`BENCH_PROFILE_DIR`'s parent, default the OS
 * temporary directory). A persistent profile matters: Playwright's ordinary contexts are
 * off-the-record, where IndexedDB lives in memory and durability costs nothing.
 * Fails with the fix when Chromium is missing.
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, profileDir: string, close(): Promise<void> }>}
 */
export async function launchChromium() {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  const profileDir = mkdtempSync(path.join(process.env.BENCH_PROFILE_DIR || tmpdir(), 'identity-vault-bench-'));
  const context = await chromium.launchPersistentContext(profileDir, { executablePath, headless: true, args: ARGS });
  return {
    context,
    profileDir,
    close: async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * Add a PRF-capable, user-verifying platform authenticator to `page` (design.md: a fresh one per
 * use, at most 3 resident credentials, always name the credential in `allowCredentials`).
 */
export async function addVirtualAuthenticator(context, page) {
  const cdp = await context.newCDPSession(page);
  const authenticatorId = await addPlatformAuthenticator(cdp);
  return {
    remove: async () => {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
      await cdp.detach();
    },
  };
}

/** Open `url` in a new page of `context` and wait until `flag` is set on `window`. */
export async function openPage(context, url, flag) {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error (${url}): ${error.message}`));
  await page.goto(url);
  if (flag) await page.waitForFunction((name) => window[name] === true, flag);
  return page;
}

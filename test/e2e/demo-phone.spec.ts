/**
 * The demo on a phone-sized screen (390×844 CSS pixels, an iPhone 12–15's): a full-page screenshot
 * of every screen and dialog, and layout checks a screenshot alone would not fail on — nothing
 * wider than the screen, and every label/value row with room for its value (the "Vault" card once
 * wrapped its values a few letters per line: "Pa/ss/co/de/onl/y").
 * Screens: starting, could-not-open, login, passcode setup, home, settings, lock screen with the
 * unlock dialog, wrong passcode, cancelled unlock, the PIN pad, the privacy screen, vault erased,
 * and the 5.x/6.x page (/v5.html): login, PIN setup, home, locked.
 */
import type { Page } from '@playwright/test';
import { expect, setPageHidden, test } from './fixtures.js';

const PHONE = { width: 390, height: 844 };
test.use({ viewport: PHONE });

/**
 * Screenshot into the test's output (attached to the report), after the layout checks: the whole
 * page, or the screen as the person sees it while a dialog or the privacy screen covers it (fixed
 * overlays cover the viewport only, and a full-page picture would misrepresent them).
 */
async function phoneShot(page: Page, name: string): Promise<void> {
  await checkLayout(page, name);
  const path = test.info().outputPath(`phone-${name}.png`);
  const covered = (await page.locator('dialog[open]').count()) > 0 || (await page.locator('.iv-privacy-screen').isVisible());
  await page.screenshot({ path, fullPage: !covered });
  await test.info().attach(`phone-${name}`, { path, contentType: 'image/png' });
}

async function checkLayout(page: Page, name: string): Promise<void> {
  const layout = await page.evaluate(() => {
    const root = document.documentElement;
    const rows = [...document.querySelectorAll<HTMLElement>('.details dd')].map((dd) => {
      const list = dd.closest('dl')!.getBoundingClientRect().width;
      return { text: dd.textContent ?? '', share: dd.getBoundingClientRect().width / list };
    });
    const tooWide = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).position !== 'fixed')
      .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, narrowValues: rows.filter((r) => r.share < 0.45), tooWide };
  });
  expect(layout.scrollWidth, `${name}: no sideways scrolling`).toBeLessThanOrEqual(layout.clientWidth);
  expect(layout.tooWide, `${name}: elements past the right edge`).toEqual([]);
  expect(layout.narrowValues, `${name}: values squeezed by their labels`).toEqual([]);
}

function builtInDialog(page: Page) {
  return page.locator('dialog.iv-passcode-dialog');
}

async function answer(page: Page, title: string, passcode: string): Promise<void> {
  const dialog = builtInDialog(page);
  await expect(dialog.getByRole('heading', { name: title })).toBeVisible();
  await dialog.getByLabel('Passcode').fill(passcode);
  await dialog.getByRole('button', { name: 'OK' }).click();
}

test('every screen of the demo at 390×844, built-in dialog', async ({ app: page }) => {
  test.setTimeout(90_000);
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await phoneShot(page, '01-login');

  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('correct horse');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(builtInDialog(page).getByRole('heading', { name: 'Create a passcode' })).toBeVisible();
  await phoneShot(page, '02-create-passcode');
  await answer(page, 'Create a passcode', '2468');
  await answer(page, 'Confirm your passcode', '2468');

  await expect(page.getByRole('heading', { name: 'Welcome, Alice Liddell' })).toBeVisible();
  await expect(page.getByTestId('api-me')).toContainText('alice@example.com');
  await expect(page.getByRole('heading', { name: 'Vault', exact: true })).toBeVisible();
  await phoneShot(page, '03-home');

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await phoneShot(page, '04-settings');
  await page.getByRole('button', { name: 'Back to home' }).click();

  await setPageHidden(page, true);
  await expect(page.locator('.iv-privacy-screen')).toBeVisible();
  await phoneShot(page, '05-privacy-screen');
  await setPageHidden(page, false);

  await page.getByRole('button', { name: 'Lock now' }).click();
  await expect(page.getByRole('heading', { name: 'Vault locked' })).toBeVisible();
  await phoneShot(page, '06-locked');

  await page.getByRole('button', { name: 'Unlock with passcode' }).click();
  await expect(builtInDialog(page).getByRole('heading', { name: 'Unlock' })).toBeVisible();
  await phoneShot(page, '07-unlock-dialog');
  await answer(page, 'Unlock', '0000');
  await expect(builtInDialog(page).getByRole('alert')).toHaveText('Wrong passcode. 4 attempts left before the vault is erased.');
  await phoneShot(page, '08-wrong-passcode');
  await builtInDialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert')).toHaveText('Unlocking was cancelled.');
  await phoneShot(page, '09-unlock-cancelled');

  await page.getByRole('button', { name: 'Unlock with passcode' }).click();
  for (let i = 0; i < 4; i++) await answer(page, 'Unlock', '0000');
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expect(page.getByRole('alert').first()).toHaveText('Too many wrong passcodes: the vault was erased. Log in again.');
  await phoneShot(page, '10-vault-erased');
});

test('the PIN pad at 390×844', async ({ app: page }) => {
  await page.getByRole('radio', { name: /Number pad/ }).check();
  await page.getByLabel('Username').fill('bob');
  await page.getByLabel('Password').fill('battery staple');
  await page.getByRole('button', { name: 'Log in' }).click();
  const pad = page.locator('dialog.pin-pad');
  await expect(pad.getByRole('heading', { name: 'Choose a passcode' })).toBeVisible();
  await phoneShot(page, '11-pin-pad');
});

test('starting, and a vault that cannot be opened, at 390×844', async ({ page, demo }) => {
  // IndexedDB that never answers: the app stays on its first screen.
  await page.addInitScript(() => {
    // A request that takes every handler and never calls one.
    const pending = new Proxy({}, { get: (_target, key) => (key === 'readyState' ? 'pending' : () => undefined), set: () => true });
    IDBFactory.prototype.open = function open() {
      return pending as IDBOpenDBRequest;
    };
  });
  await page.goto(demo.url);
  await expect(page.getByRole('heading', { name: 'Opening the vault…' })).toBeVisible();
  await phoneShot(page, '12-starting');

  // IndexedDB that refuses (private mode in some browsers, storage turned off).
  const failing = await page.context().newPage();
  await failing.addInitScript(() => {
    IDBFactory.prototype.open = function open() {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
  });
  await failing.goto(demo.url);
  await expect(failing.locator('[data-screen]:not([data-screen="starting"])')).toBeVisible();
  await phoneShot(failing, '13-could-not-open');
});

test('the 5.x/6.x page (/v5.html) at 390×844', async ({ page, demo }) => {
  await page.goto(new URL('v5.html', demo.url).href);
  await expect(page.getByRole('heading', { name: 'Log in (5.x/6.x API)' })).toBeVisible();
  await phoneShot(page, '14-v5-login');
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('correct horse');
  await page.getByLabel('Protect the session with').selectOption('CustomPasscode');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Set a PIN for this vault' })).toBeVisible();
  await phoneShot(page, '15-v5-set-pin');
  await page.locator('#pin').fill('7351');
  await page.getByRole('button', { name: 'OK' }).click();
  await expect(page.getByTestId('v5-user')).toContainText('alice');
  await phoneShot(page, '16-v5-home');
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.locator('[data-screen="v5-locked"]')).toBeVisible();
  await phoneShot(page, '17-v5-locked');
});

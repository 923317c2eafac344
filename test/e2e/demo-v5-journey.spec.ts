/**
 * The demo's second page (`/v5.html`) driven as a person would, in Chromium: the same journey as
 * the main demo — log in → token into the vault → lock → unlock → log out — written against the
 * Identity Vault 5.x/6.x API (`BrowserVault`, `onPasscodeRequested` with `onComplete`, `Device`).
 * Custom passcode through the page's own PIN form, then biometrics through the virtual
 * authenticator. A screenshot of every screen is saved with the test output.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

const PIN = '7351';

async function openV5(page: Page, url: string): Promise<void> {
  await page.goto(new URL('v5.html', url).href);
  await expect(page.locator('[data-screen]').first()).toBeVisible();
}

async function logIn(page: Page, mode: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Log in (5.x/6.x API)' })).toBeVisible();
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('correct horse');
  await page.getByLabel('Protect the session with').selectOption(mode);
  await page.getByRole('button', { name: 'Log in' }).click();
}

async function enterPin(page: Page, heading: string, pin: string): Promise<void> {
  await expect(page.getByRole('heading', { name: heading })).toBeVisible();
  await page.locator('#pin').fill(pin);
  await page.getByRole('button', { name: 'OK' }).click();
}

test('5.x/6.x page: log in with a custom passcode, lock, wrong PIN, cancel, unlock, reload, log out', async ({ page, demo, shot }) => {
  test.setTimeout(60_000);
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await openV5(page, demo.url);
  await shot('v5-login');
  await logIn(page, 'CustomPasscode');

  // updateConfig to CustomPasscode asks the app for a new PIN (isPasscodeSetRequest = true).
  await expect(page.locator('[data-screen="v5-pin"]')).toBeVisible();
  await shot('v5-set-pin');
  await enterPin(page, 'Set a PIN for this vault', PIN);
  await expect(page.getByTestId('v5-user')).toContainText('alice');
  await shot('v5-home');

  // Lock → the locked screen; a wrong PIN is refused, a cancel keeps it locked.
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.locator('[data-screen="v5-locked"]')).toBeVisible();
  await shot('v5-locked');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await enterPin(page, 'Unlock with your PIN', '0000');
  await expect(page.getByTestId('v5-notice')).toHaveText('That PIN is not right.');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.locator('[data-screen="v5-pin"]')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('v5-notice')).toHaveText('Cancelled.');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await enterPin(page, 'Unlock with your PIN', PIN);
  await expect(page.getByTestId('v5-user')).toContainText('alice');

  // A reload is a restart: the saved config (CustomPasscode) wins, the vault is locked.
  await page.reload();
  await expect(page.locator('[data-screen="v5-locked"]')).toBeVisible();
  await page.getByRole('button', { name: 'Unlock' }).click();
  await enterPin(page, 'Unlock with your PIN', PIN);
  await expect(page.getByTestId('v5-user')).toContainText('alice');

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByTestId('v5-notice')).toHaveText('Logged out: the vault was removed.');
  await expect(page.locator('[data-screen="v5-login"]')).toBeVisible();
  await shot('v5-logged-out');
});

test('5.x/6.x page: biometrics (DeviceSecurity) through the platform authenticator', async ({ page, context, demo }) => {
  test.setTimeout(60_000);
  const { VirtualAuthenticator } = await import('../browser-harness/virtual-authenticator.js');
  await openV5(page, demo.url);
  await VirtualAuthenticator.attach(context, page);
  await page.reload();
  await expect(page.locator('[data-screen="v5-login"]')).toBeVisible();
  await logIn(page, 'Biometrics');
  await expect(page.getByTestId('v5-user')).toContainText('alice');
  await expect(page.locator('.details')).toContainText('Biometrics');
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.locator('[data-screen="v5-locked"]')).toBeVisible();
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('v5-user')).toContainText('alice');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.locator('[data-screen="v5-login"]')).toBeVisible();
});

/**
 * The demo driven as a person would, in Chromium, with the library's built-in passcode dialog:
 * log in → reload → unlock with the passcode → enable biometrics → lock → unlock with the
 * (virtual) authenticator → hidden past lockAfter → locked → five wrong passcodes (the dialog stays
 * open with the attempts left) → vault erased
 * → log in again. A screenshot of every screen is saved with the test output.
 */
import type { Page } from '@playwright/test';
import { expect, setPageHidden, test } from './fixtures.js';

const PASSCODE = '2468';

/** The library's built-in passcode dialog (identity-vault/web). */
function builtInDialog(page: Page) {
  return page.locator('dialog.iv-passcode-dialog');
}

async function answerBuiltInDialog(page: Page, title: string, passcode: string): Promise<void> {
  const dialog = builtInDialog(page);
  await expect(dialog.getByRole('heading', { name: title })).toBeVisible();
  await dialog.getByLabel('Passcode').fill(passcode);
  await dialog.getByRole('button', { name: 'OK' }).click();
}

test('log in, reload, unlock, biometrics, background lock, wipe after five wrong passcodes, log in again', async ({ app: page, authenticator, shot }) => {
  void authenticator; // attached: the page has a platform authenticator with PRF
  test.setTimeout(60_000);

  // Log in.
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expect(page.getByText('Demo users:')).toBeVisible();
  await shot('login');
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('correct horse');
  await page.getByRole('button', { name: 'Log in' }).click();

  // A new vault asks for a passcode, twice, in the built-in dialog.
  await expect(builtInDialog(page).getByRole('heading', { name: 'Create a passcode' })).toBeVisible();
  await shot('create-passcode-dialog');
  await answerBuiltInDialog(page, 'Create a passcode', PASSCODE);
  await answerBuiltInDialog(page, 'Confirm your passcode', PASSCODE);

  // Home: the session from the vault and /api/me fetched with the vault's token.
  await expect(page.getByRole('heading', { name: 'Welcome, Alice Liddell' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Logged in. Your session is saved in the vault.');
  const api = page.getByTestId('api-me');
  await expect(api).toContainText('alice@example.com');
  await expect(api).toContainText('Last login');
  await shot('home');

  // Settings: lock after 1 second in the background; saving reloads the page.
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await shot('settings');
  await page.getByLabel(/Lock after this many seconds/).fill('1');
  await page.getByRole('button', { name: 'Save and reload' }).click();

  // After the reload the session is restored: the lock screen, and the dialog asks for the passcode.
  await expect(page.getByRole('heading', { name: 'Vault locked' })).toBeVisible();
  await expect(builtInDialog(page).getByRole('heading', { name: 'Unlock' })).toBeVisible();
  await shot('reloaded-locked-unlock-dialog');
  await answerBuiltInDialog(page, 'Unlock', PASSCODE);
  await expect(page.getByRole('heading', { name: 'Welcome, Alice Liddell' })).toBeVisible();
  await expect(page.getByText('Locks').locator('xpath=following-sibling::dd[1]')).toHaveText('after 1 second in the background');

  // Enable biometrics (WebAuthn PRF on the virtual authenticator).
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Unlock with biometrics').check();
  await expect(page.getByRole('status')).toHaveText('Biometric unlock is on.');
  await expect(page.getByLabel('Auth mode')).toHaveValue(String(2)); // BiometricAndPasscode (Identity Vault 4.x numbering)
  await shot('settings-biometrics-on');
  await page.getByRole('button', { name: 'Back to home' }).click();

  // Lock, then unlock with biometrics.
  await page.getByRole('button', { name: 'Lock now' }).click();
  await expect(page.getByRole('heading', { name: 'Vault locked' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('The vault is locked.');
  await expect(page.getByRole('button', { name: 'Unlock with biometrics' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unlock with passcode' })).toBeVisible();
  await shot('locked-biometrics-available');
  await page.getByRole('button', { name: 'Unlock with biometrics' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, Alice Liddell' })).toBeVisible();
  await expect(page.getByTestId('api-me')).toContainText('alice@example.com');

  // Hidden longer than lockAfter: the privacy screen covers the page, and the vault locks.
  await setPageHidden(page, true);
  await expect(page.locator('.iv-privacy-screen')).toBeVisible();
  await shot('background-privacy-screen');
  await page.waitForTimeout(1_300);
  await setPageHidden(page, false);
  await expect(page.locator('.iv-privacy-screen')).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Vault locked' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('The vault locked after 1 second in the background.');
  await shot('locked-after-background');

  // A wrong passcode: the dialog stays open with the error and the attempts left, as a phone's
  // lock screen does. Cancel: back on the lock screen, which counts the attempt too.
  await page.getByRole('button', { name: 'Unlock with passcode' }).click();
  await answerBuiltInDialog(page, 'Unlock', '0000');
  const wrong = (left: number) => `Wrong passcode. ${left} attempt${left === 1 ? '' : 's'} left before the vault is erased.`;
  await expect(builtInDialog(page).getByRole('alert')).toHaveText(wrong(4));
  await expect(builtInDialog(page).getByLabel('Passcode')).toBeFocused();
  await shot('wrong-passcode');
  await builtInDialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert')).toHaveText('Unlocking was cancelled.');
  await expect(page.getByTestId('attempts-left')).toHaveText('Passcode attempts left before the vault is erased: 4 of 5');

  // Four more wrong ones, typed into the dialog that stays open: the vault is erased.
  await page.getByRole('button', { name: 'Unlock with passcode' }).click();
  for (const left of [3, 2, 1]) {
    await answerBuiltInDialog(page, 'Unlock', '0000');
    await expect(builtInDialog(page).getByRole('alert')).toHaveText(wrong(left));
  }
  await answerBuiltInDialog(page, 'Unlock', '0000');
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expect(page.getByRole('alert').first()).toHaveText('Too many wrong passcodes: the vault was erased. Log in again.');
  await shot('vault-erased');

  // Log in again: a new passcode for the new vault.
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('correct horse');
  await page.getByRole('button', { name: 'Log in' }).click();
  await answerBuiltInDialog(page, 'Create a passcode', '1357');
  await answerBuiltInDialog(page, 'Confirm your passcode', '1357');
  await expect(page.getByRole('heading', { name: 'Welcome, Alice Liddell' })).toBeVisible();
  await shot('home-again');
});

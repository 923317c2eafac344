/**
 * The demo with its custom PIN pad (wired to `onPasscodeRequest`), the auth-mode settings, and
 * what a person sees when something goes wrong: mismatched PINs, a cancelled prompt, a wrong
 * passcode (the pad stays open with the attempts left), biometrics that this browser does not have.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

function pinPad(page: Page): Locator {
  return page.locator('dialog.pin-pad');
}

/** Types `pin` on the pad's buttons, as a person taps them, then presses `submit`. */
async function tapPin(page: Page, title: string, pin: string, submit: string): Promise<void> {
  const pad = pinPad(page);
  await expect(pad.getByRole('heading', { name: title })).toBeVisible();
  const digits = pad.getByRole('group', { name: 'PIN digits' });
  for (const digit of pin) await digits.getByRole('button', { name: digit, exact: true }).click();
  await expect(pad.getByText(`${pin.length} digits entered`)).toBeAttached();
  await pad.getByRole('button', { name: submit }).click();
}

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('custom PIN pad: set up, mismatch, cancel, wrong PIN, reload, change passcode', async ({ app: page, shot }) => {
  test.setTimeout(60_000);
  await page.getByRole('radio', { name: /Number pad/ }).check();
  await logIn(page, 'bob', 'battery staple');

  // Setup asks twice; a mismatch starts over, with the reason on the pad.
  await tapPin(page, 'Choose a passcode', '1357', 'Next');
  await tapPin(page, 'Confirm your passcode', '1375', 'Save passcode');
  await expect(pinPad(page).getByRole('alert')).toHaveText('The two PINs did not match. Choose a passcode again.');
  await shot('pin-pad-mismatch');
  await tapPin(page, 'Choose a passcode', '1357', 'Next');
  await tapPin(page, 'Confirm your passcode', '1357', 'Save passcode');
  await expect(page.getByRole('heading', { name: 'Welcome, Bob Tables' })).toBeVisible();
  await expect(page.getByTestId('api-me')).toContainText('bob@example.com');

  // Lock; cancel the PIN pad: the lock screen says so.
  await page.getByRole('button', { name: 'Lock now' }).click();
  await expect(page.getByRole('heading', { name: 'Vault locked' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unlock with biometrics' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Unlock with passcode' }).click();
  await expect(pinPad(page).getByRole('heading', { name: 'Enter your passcode' })).toBeVisible();
  await shot('pin-pad-unlock');
  await pinPad(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert')).toHaveText('Unlocking was cancelled.');
  await expect(page.getByTestId('attempts-left')).toHaveText('Passcode attempts left before the vault is erased: 5 of 5');
  await shot('unlock-cancelled');

  // A wrong PIN costs an attempt; the pad stays open with the attempts left, as a phone's lock
  // screen does, and the right PIN (typed on the keyboard this time) unlocks.
  await page.getByRole('button', { name: 'Unlock with passcode' }).click();
  await tapPin(page, 'Enter your passcode', '9999', 'Unlock');
  await expect(pinPad(page).getByRole('alert')).toHaveText('Wrong passcode. 4 attempts left before the vault is erased.');
  await expect(pinPad(page).getByRole('heading', { name: 'Enter your passcode' })).toBeVisible();
  await expect(pinPad(page).getByLabel('PIN', { exact: true })).toBeFocused();
  await shot('pin-pad-wrong-pin');
  await page.keyboard.type('1357');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Welcome, Bob Tables' })).toBeVisible();

  // The session survives a reload: the PIN pad asks at once, over the lock screen.
  await page.reload();
  await expect(pinPad(page).getByRole('heading', { name: 'Enter your passcode' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Vault locked' })).toBeVisible();
  await shot('reloaded-pin-pad');
  await tapPin(page, 'Enter your passcode', '1357', 'Unlock');
  await expect(page.getByRole('heading', { name: 'Welcome, Bob Tables' })).toBeVisible();

  // Change the passcode through the pad; the old one no longer works.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Change passcode' }).click();
  await tapPin(page, 'Choose a passcode', '864200', 'Next');
  await tapPin(page, 'Confirm your passcode', '864200', 'Save passcode');
  await expect(page.getByRole('status')).toHaveText('Passcode changed.');
  await page.getByRole('button', { name: 'Back to home' }).click();
  await page.getByRole('button', { name: 'Lock now' }).click();
  await page.getByRole('button', { name: 'Unlock with passcode' }).click();
  await tapPin(page, 'Enter your passcode', '1357', 'Unlock');
  await expect(pinPad(page).getByRole('alert')).toHaveText('Wrong passcode. 4 attempts left before the vault is erased.');
  await tapPin(page, 'Enter your passcode', '864200', 'Unlock');
  await expect(page.getByRole('heading', { name: 'Welcome, Bob Tables' })).toBeVisible();

  // Log out: the server revokes the token and the vault is emptied.
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('You are logged out. The vault on this device is empty.');
});

test('settings: auth modes, and biometrics on a browser without an authenticator', async ({ app: page, shot }) => {
  test.setTimeout(60_000);
  await logIn(page, 'alice', 'correct horse');
  const dialog = page.locator('dialog.iv-passcode-dialog');
  for (const title of ['Create a passcode', 'Confirm your passcode']) {
    await expect(dialog.getByRole('heading', { name: title })).toBeVisible();
    await dialog.getByLabel('Passcode').fill('2468');
    await dialog.getByRole('button', { name: 'OK' }).click();
  }
  await expect(page.getByRole('heading', { name: 'Welcome, Alice Liddell' })).toBeVisible();
  await page.getByRole('button', { name: 'Settings' }).click();

  // No platform authenticator here: biometrics cannot be turned on, and saying so is the UI's job.
  await expect(page.getByLabel('Unlock with biometrics')).toBeDisabled();
  await expect(page.getByText('Not available: this browser has no user-verifying platform authenticator.')).toBeVisible();
  await page.getByLabel('Auth mode').selectOption({ label: 'Biometrics only' });
  await page.getByRole('button', { name: 'Apply auth mode' }).click();
  await expect(page.getByRole('alert')).toHaveText('Changing the auth mode failed: biometrics are not available on this device.');
  await shot('settings-biometrics-unavailable');

  // SecureStorage: the session comes back on reload without a prompt.
  await page.getByLabel('Auth mode').selectOption({ label: 'Secure storage (no prompt)' });
  await page.getByRole('button', { name: 'Apply auth mode' }).click();
  await expect(page.getByRole('status')).toHaveText('Auth mode is now “Secure storage (no prompt)”.');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Welcome, Alice Liddell' })).toBeVisible();
  await expect(page.getByText('Secure storage (no prompt)')).toBeVisible();

  // InMemoryOnly: locking erases the session.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Auth mode').selectOption({ label: 'In memory only (nothing saved)' });
  await page.getByRole('button', { name: 'Apply auth mode' }).click();
  await expect(page.getByRole('status')).toHaveText('Auth mode is now “In memory only (nothing saved)”.');
  await page.getByRole('button', { name: 'Back to home' }).click();
  await page.getByRole('button', { name: 'Lock now' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('The vault was locked. It kept the session in memory only, so the session is gone: log in again.');
  await shot('in-memory-locked');
});

test('a lock in one tab locks the other tabs', async ({ app: page, context, demo }) => {
  await logIn(page, 'alice', 'correct horse');
  const dialog = page.locator('dialog.iv-passcode-dialog');
  for (const title of ['Create a passcode', 'Confirm your passcode']) {
    await expect(dialog.getByRole('heading', { name: title })).toBeVisible();
    await dialog.getByLabel('Passcode').fill('2468');
    await dialog.getByRole('button', { name: 'OK' }).click();
  }
  await expect(page.getByRole('heading', { name: 'Welcome, Alice Liddell' })).toBeVisible();

  const second = await context.newPage();
  await second.goto(demo.url);
  const secondDialog = second.locator('dialog.iv-passcode-dialog');
  await secondDialog.getByLabel('Passcode').fill('2468');
  await secondDialog.getByRole('button', { name: 'OK' }).click();
  await expect(second.getByRole('heading', { name: 'Welcome, Alice Liddell' })).toBeVisible();

  await page.getByRole('button', { name: 'Lock now' }).click();
  await expect(page.getByRole('heading', { name: 'Vault locked' })).toBeVisible();
  await expect(second.getByRole('heading', { name: 'Vault locked' })).toBeVisible();
});

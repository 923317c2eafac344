/**
 * Unlocking with the built-in dialog works like a phone's lock screen: after a wrong passcode the
 * dialog stays open with the error and the attempts left, the person types again, and `unlock()`
 * resolves once the passcode is right. A cancel ends it with `UserCanceledInteraction`; the last
 * wrong attempt clears the vault (`TooManyFailedAttempts`) and closes the dialog. Every attempt is
 * counted. Real vault: web platform, IndexedDB, WebCrypto, in Chromium.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

const PASSCODE = '8642';

/** A vault with a passcode set, locked; `unlock(true)` started in the page (built-in dialog). */
async function startUnlock(page: Page): Promise<void> {
  await page.evaluate(async (passcode) => {
    const vault = window.iv.createWebPlugin({ maxAttempts: 3 }).getVault({ vaultId: 'retry', username: 'ada' });
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode(passcode);
    await vault.storeToken('tok-retry');
    await vault.lock();
    window.iv.scratch['vault'] = vault;
    window.iv.scratch['unlock'] = window.iv.outcome(vault.unlock(true));
  }, PASSCODE);
}

function unlockOutcome(page: Page): Promise<unknown> {
  return page.evaluate(() => window.iv.scratch['unlock'] as Promise<unknown>);
}

async function type(page: Page, passcode: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Unlock' });
  await expect(dialog.getByLabel('Passcode')).toBeEnabled();
  await dialog.getByLabel('Passcode').fill(passcode);
  await dialog.getByLabel('Passcode').press('Enter');
}

test('a wrong passcode keeps the dialog open with the error and the attempts left; the right one unlocks', async ({ harnessPage: page }, testInfo) => {
  await startUnlock(page);
  const dialog = page.getByRole('dialog', { name: 'Unlock' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('alert')).toBeHidden(); // no error before the first try

  await type(page, '0000');
  await expect(dialog.getByRole('alert')).toHaveText('Wrong passcode. 2 attempts left before the vault is erased.');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Passcode')).toBeFocused();
  await expect(dialog.getByLabel('Passcode')).toHaveValue('');
  await expect(dialog).toHaveAccessibleDescription(/Wrong passcode\. 2 attempts left/);
  await page.screenshot({ path: testInfo.outputPath('wrong-passcode-dialog.png') });

  await type(page, '1111');
  await expect(dialog.getByRole('alert')).toHaveText('Wrong passcode. 1 attempt left before the vault is erased.');

  await type(page, PASSCODE);
  expect(await unlockOutcome(page)).toBe('resolved');
  await expect(page.locator('dialog.iv-passcode-dialog[open]')).toHaveCount(0);
  expect(await page.evaluate(() => (window.iv.scratch['vault'] as { getToken(): Promise<unknown> }).getToken())).toBe('tok-retry');
  expect(await page.evaluate(() => (window.iv.scratch['vault'] as { remainingAttempts(): Promise<number> }).remainingAttempts())).toBe(3);
  expect(await page.locator('dialog.iv-passcode-dialog input').inputValue()).toBe(''); // no passcode left in the DOM
});

test('Cancel after a wrong passcode ends the unlock with UserCanceledInteraction; the attempt stays counted', async ({ harnessPage: page }) => {
  await startUnlock(page);
  await type(page, '0000');
  const dialog = page.getByRole('dialog', { name: 'Unlock' });
  await expect(dialog.getByRole('alert')).toContainText('2 attempts left');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(await unlockOutcome(page)).toMatchObject({ codeName: 'UserCanceledInteraction' });
  await expect(page.locator('dialog.iv-passcode-dialog[open]')).toHaveCount(0);
  const state = await page.evaluate(async () => {
    const vault = window.iv.scratch['vault'] as { isLocked(): Promise<boolean>; remainingAttempts(): Promise<number> };
    return { locked: await vault.isLocked(), left: await vault.remainingAttempts() };
  });
  expect(state).toEqual({ locked: true, left: 2 });
});

test('the last wrong attempt clears the vault, closes the dialog and rejects with TooManyFailedAttempts', async ({ harnessPage: page }) => {
  await startUnlock(page);
  for (const wrong of ['0000', '1111', '2222']) await type(page, wrong);
  expect(await unlockOutcome(page)).toMatchObject({ codeName: 'TooManyFailedAttempts' });
  await expect(page.locator('dialog.iv-passcode-dialog[open]')).toHaveCount(0);
  const state = await page.evaluate(async () => {
    const vault = window.iv.scratch['vault'] as { isInUse(): Promise<boolean>; isLocked(): Promise<boolean> };
    return { inUse: await vault.isInUse(), locked: await vault.isLocked() };
  });
  expect(state).toEqual({ inUse: false, locked: false }); // cleared: nothing stored, nothing to unlock
});

test('a request without staysOpen closes on OK as before (setup, confirm, and prompts of other callers)', async ({ harnessPage: page }) => {
  await page.evaluate(() => {
    const prompt = new window.iv.PasscodeDialog();
    window.iv.scratch['answer'] = prompt.request({ purpose: 'unlock', descriptor: { vaultId: 'x', username: 'ada' } });
  });
  await type(page, '5555');
  expect(await page.evaluate(() => window.iv.scratch['answer'])).toBe('5555');
  await expect(page.locator('dialog.iv-passcode-dialog[open]')).toHaveCount(0);
});

/**
 * The built-in passcode prompt: a native modal `<dialog>`, labelled, focus inside, Escape and
 * Cancel resolve `undefined`, Enter resolves the typed value, wording per purpose, themable.
 */
import { expect, test } from './fixtures.js';

const DESCRIPTOR = { vaultId: 'dialog-vault', username: 'ada' };

async function ask(page: import('@playwright/test').Page, purpose: 'unlock' | 'setup' | 'confirm' = 'unlock'): Promise<void> {
  await page.evaluate(
    ({ purpose, descriptor }) => {
      const prompt = (window.iv.scratch['prompt'] ??= new window.iv.PasscodeDialog()) as InstanceType<typeof window.iv.PasscodeDialog>;
      window.iv.scratch['answer'] = prompt.request({ purpose, descriptor }).then((value) => ({ value }));
    },
    { purpose, descriptor: DESCRIPTOR },
  );
}

function answer(page: import('@playwright/test').Page): Promise<{ value: string | undefined }> {
  return page.evaluate(() => window.iv.scratch['answer'] as Promise<{ value: string | undefined }>);
}

test('typing and Enter resolves the passcode; the field is cleared afterwards', async ({ harnessPage: page }, testInfo) => {
  await ask(page);
  const dialog = page.getByRole('dialog', { name: 'Unlock' });
  await expect(dialog).toBeVisible();
  const input = dialog.getByLabel('Passcode');
  await expect(input).toBeFocused();
  await expect(input).toHaveAttribute('type', 'password');
  await expect(input).toHaveAttribute('autocomplete', 'off');
  await expect(input).toHaveAttribute('inputmode', 'numeric');
  await expect(dialog).toHaveAccessibleDescription('Enter your passcode to unlock.');
  await page.keyboard.type('2468');
  await page.screenshot({ path: testInfo.outputPath('passcode-dialog.png') });
  await page.keyboard.press('Enter');
  expect(await answer(page)).toEqual({ value: '2468' });
  await expect(dialog).toBeHidden();
  expect(await page.locator('dialog.iv-passcode-dialog input').inputValue()).toBe('');
  expect(await page.evaluate(() => typeof window.prompt)).toBe('function'); // untouched: never used
});

test('Escape resolves undefined; so does Cancel', async ({ harnessPage: page }) => {
  await ask(page);
  await expect(page.getByRole('dialog', { name: 'Unlock' })).toBeVisible();
  await page.keyboard.type('13');
  await page.keyboard.press('Escape');
  expect(await answer(page)).toEqual({ value: undefined });

  await ask(page);
  await page.getByRole('button', { name: 'Cancel' }).click();
  expect(await answer(page)).toEqual({ value: undefined });
});

test('Enter on an empty field does not submit', async ({ harnessPage: page }) => {
  await ask(page);
  const dialog = page.getByRole('dialog', { name: 'Unlock' });
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.type('1');
  await page.getByRole('button', { name: 'OK' }).click();
  expect(await answer(page)).toEqual({ value: '1' });
});

test('focus stays inside the modal dialog and the page behind is inert', async ({ harnessPage: page }) => {
  await ask(page);
  await expect(page.getByRole('dialog', { name: 'Unlock' })).toBeVisible();
  const stops: string[] = [];
  for (let i = 0; i < 7; i++) {
    await page.keyboard.press('Tab');
    stops.push(
      await page.evaluate(() => {
        const active = document.activeElement;
        // Between cycles focus may leave the document for the browser's own UI (body/null here);
        // it never lands on the page behind the dialog.
        if (active === null || active === document.body) return 'browser';
        return active.closest('dialog.iv-passcode-dialog') ? `dialog:${active.tagName.toLowerCase()}` : `page:${active.id}`;
      }),
    );
  }
  expect(stops.filter((s) => s.startsWith('page:'))).toEqual([]);
  expect(stops).toEqual(expect.arrayContaining(['dialog:input', 'dialog:button']));
  const behind = await page.evaluate(() => {
    const button = document.getElementById('focus-start')!;
    button.focus();
    const rect = button.getBoundingClientRect();
    return { focused: document.activeElement === button, hit: document.elementFromPoint(rect.x + 2, rect.y + 2) === button };
  });
  expect(behind).toEqual({ focused: false, hit: false });
  await page.keyboard.press('Escape');
  expect(await answer(page)).toEqual({ value: undefined });
});

test('wording differs for unlock, setup and confirm', async ({ harnessPage: page }) => {
  const titles: string[] = [];
  for (const purpose of ['unlock', 'setup', 'confirm'] as const) {
    await ask(page, purpose);
    const dialog = page.locator('dialog.iv-passcode-dialog[open]');
    await expect(dialog).toBeVisible();
    titles.push((await dialog.getAttribute('aria-labelledby').then((id) => page.locator(`#${id}`).textContent())) ?? '');
    await page.keyboard.press('Escape');
    await answer(page);
  }
  expect(titles).toEqual(['Unlock', 'Create a passcode', 'Confirm your passcode']);
});

test('requests made while the dialog is open wait their turn', async ({ harnessPage: page }) => {
  await page.evaluate((descriptor) => {
    const prompt = new window.iv.PasscodeDialog();
    window.iv.scratch['both'] = Promise.all([prompt.request({ purpose: 'setup', descriptor }), prompt.request({ purpose: 'confirm', descriptor })]);
  }, DESCRIPTOR);
  await expect(page.getByRole('dialog', { name: 'Create a passcode' })).toBeVisible();
  await page.keyboard.type('1111');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Confirm your passcode' })).toBeVisible();
  await page.keyboard.type('2222');
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => window.iv.scratch['both'])).toEqual(['1111', '2222']);
});

test('themable with CSS custom properties; texts can be replaced', async ({ harnessPage: page }, testInfo) => {
  await page.evaluate((descriptor) => {
    document.documentElement.style.setProperty('--iv-dialog-bg', 'rgb(10, 20, 30)');
    document.documentElement.style.setProperty('--iv-dialog-fg', 'rgb(250, 240, 230)');
    document.documentElement.style.setProperty('--iv-accent', 'rgb(200, 40, 90)');
    const prompt = new window.iv.PasscodeDialog({ texts: { unlock: { title: 'Entsperren', description: 'Code eingeben.' }, label: 'Code', ok: 'Weiter' } });
    window.iv.scratch['answer'] = prompt.request({ purpose: 'unlock', descriptor }).then((value) => ({ value }));
  }, DESCRIPTOR);
  const dialog = page.getByRole('dialog', { name: 'Entsperren' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveCSS('background-color', 'rgb(10, 20, 30)');
  await expect(dialog).toHaveCSS('color', 'rgb(250, 240, 230)');
  await expect(dialog.getByRole('button', { name: 'Weiter' })).toHaveCSS('background-color', 'rgb(200, 40, 90)');
  await expect(dialog.getByLabel('Code')).toBeFocused();
  await page.screenshot({ path: testInfo.outputPath('passcode-dialog-themed.png') });
  await page.keyboard.press('Escape');
  expect(await answer(page)).toEqual({ value: undefined });
});

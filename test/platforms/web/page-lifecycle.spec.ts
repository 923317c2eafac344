/**
 * Page lifecycle → background/foreground events, and the privacy screen, in Chromium.
 * Hidden pages are emulated (headless Chromium never hides a page; see page-controls.ts).
 */
import { setVisibility } from '../../browser-harness/page-controls.js';
import { expect, test } from './fixtures.js';

test('visibilitychange, pagehide and pageshow(persisted) give one event per transition', async ({ harnessPage: page }) => {
  await page.evaluate(() => {
    const lifecycle = new window.iv.PageLifecycle();
    const events: string[] = [];
    lifecycle.subscribe((event) => events.push(event));
    window.iv.scratch['lifecycle'] = lifecycle;
    window.iv.scratch['events'] = events;
  });
  const state = () =>
    page.evaluate(() => ({
      events: [...(window.iv.scratch['events'] as string[])],
      background: (window.iv.scratch['lifecycle'] as InstanceType<typeof window.iv.PageLifecycle>).isInBackground(),
    }));
  expect(await state()).toEqual({ events: [], background: false });
  await setVisibility(page, 'hidden');
  expect(await state()).toEqual({ events: ['background'], background: true });
  await setVisibility(page, 'hidden', { transition: 'pagehide' }); // pagehide after hidden: no second event
  expect((await state()).events).toEqual(['background']);
  await setVisibility(page, 'visible', { transition: 'pageshow' }); // back from the bfcache
  expect(await state()).toEqual({ events: ['background', 'foreground'], background: false });
  // pagehide alone (navigation away) is a background event too.
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
  expect(await state()).toEqual({ events: ['background', 'foreground', 'background'], background: true });
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
  expect((await state()).events).toEqual(['background', 'foreground', 'background', 'foreground']);
  // A normal load's pageshow (persisted false) is not a return from the background.
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false })));
  expect((await state()).events).toHaveLength(4);
});

test('unsubscribe stops events; a throwing listener does not stop the others', async ({ harnessPage: page }) => {
  await page.evaluate(() => {
    const lifecycle = new window.iv.PageLifecycle();
    const events: string[] = [];
    lifecycle.subscribe(() => {
      throw new Error('listener bug');
    });
    const stop = lifecycle.subscribe((event) => events.push(`a:${event}`));
    lifecycle.subscribe((event) => events.push(`b:${event}`));
    window.iv.scratch['stop'] = stop;
    window.iv.scratch['events'] = events;
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await setVisibility(page, 'hidden');
  await page.evaluate(() => (window.iv.scratch['stop'] as () => void)());
  await setVisibility(page, 'visible');
  expect(await page.evaluate(() => window.iv.scratch['events'])).toEqual(['a:background', 'b:background', 'b:foreground']);
  expect(errors).toContain('listener bug');
});

test('privacy screen: covers the page on background (screenshot), uncovers on foreground', async ({ harnessPage: page }, testInfo) => {
  await page.evaluate(() => {
    const lifecycle = new window.iv.PageLifecycle();
    lifecycle.setPrivacyScreen({ enabled: true });
    window.iv.scratch['lifecycle'] = lifecycle;
  });
  const cover = page.locator('.iv-privacy-screen');
  await expect(cover).toHaveCount(0);
  await setVisibility(page, 'hidden');
  await expect(cover).toBeVisible();
  const covered = await page.evaluate(() => {
    const el = document.elementFromPoint(window.innerWidth / 2, window.innerHeight / 2);
    const secret = document.getElementById('secret')!.getBoundingClientRect();
    const style = getComputedStyle(document.querySelector('.iv-privacy-screen')!);
    return {
      top: el?.classList.contains('iv-privacy-screen') ?? false,
      overSecret: document.elementFromPoint(secret.x + 5, secret.y + 5)?.classList.contains('iv-privacy-screen') ?? false,
      background: style.backgroundColor,
      size: [style.width, style.height],
    };
  });
  expect(covered.top).toBe(true);
  expect(covered.overSecret).toBe(true);
  expect(covered.background).toBe('rgb(16, 16, 20)');
  const shot = await page.screenshot({ path: testInfo.outputPath('privacy-screen.png') });
  await testInfo.attach('privacy-screen', { body: shot, contentType: 'image/png' });
  await setVisibility(page, 'visible');
  await expect(cover).toHaveCount(0);
});

test('privacy screen: enabled while already hidden covers at once; disabled never covers; colour is themable', async ({ harnessPage: page }) => {
  await page.evaluate(() => {
    window.iv.scratch['lifecycle'] = new window.iv.PageLifecycle();
    (window.iv.scratch['lifecycle'] as InstanceType<typeof window.iv.PageLifecycle>).isInBackground(); // listeners installed
  });
  await setVisibility(page, 'hidden');
  await expect(page.locator('.iv-privacy-screen')).toHaveCount(0);
  await page.evaluate(() => {
    document.documentElement.style.setProperty('--iv-privacy-bg', 'rgb(1, 2, 3)');
    (window.iv.scratch['lifecycle'] as InstanceType<typeof window.iv.PageLifecycle>).setPrivacyScreen({ enabled: true });
  });
  await expect(page.locator('.iv-privacy-screen')).toBeVisible();
  await expect(page.locator('.iv-privacy-screen')).toHaveCSS('background-color', 'rgb(1, 2, 3)');
  await page.evaluate(() => (window.iv.scratch['lifecycle'] as InstanceType<typeof window.iv.PageLifecycle>).setPrivacyScreen({ enabled: false }));
  await expect(page.locator('.iv-privacy-screen')).toHaveCount(0);
  await setVisibility(page, 'visible');
  await setVisibility(page, 'hidden');
  await expect(page.locator('.iv-privacy-screen')).toHaveCount(0);
});

test('privacy screen: covers an open modal dialog too (top layer)', async ({ harnessPage: page }, testInfo) => {
  await page.evaluate(() => {
    const lifecycle = new window.iv.PageLifecycle();
    lifecycle.setPrivacyScreen({ enabled: true });
    window.iv.scratch['lifecycle'] = lifecycle;
    void new window.iv.PasscodeDialog().request({ purpose: 'unlock', descriptor: { vaultId: 'v', username: 'u' } });
  });
  const dialog = page.getByRole('dialog', { name: 'Unlock' });
  await expect(dialog).toBeVisible();
  await setVisibility(page, 'hidden');
  // elementFromPoint skips the cover here (a modal dialog makes everything else inert), so look
  // at the pixels: the dialog's area of the screenshot is the cover's colour, nothing else.
  const box = (await dialog.boundingBox())!;
  const shot = await page.screenshot({ path: testInfo.outputPath('privacy-screen-over-dialog.png') });
  const colours = await page.evaluate(
    async ({ png, box }) => {
      const image = await createImageBitmap(await (await fetch(`data:image/png;base64,${png}`)).blob());
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const data = context.getImageData(Math.round(box.x), Math.round(box.y), Math.round(box.width), Math.round(box.height)).data;
      const seen = new Set<string>();
      for (let i = 0; i < data.length; i += 4) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      return [...seen];
    },
    { png: shot.toString('base64'), box },
  );
  expect(colours).toEqual(['16,16,20']);
  await setVisibility(page, 'visible');
  await expect(dialog).toBeVisible();
});

test('clock: timers fire and cancel; delays beyond 2^31-1 ms are chained, not fired at once', async ({ page, server }) => {
  await page.clock.install();
  await page.goto(server.pageUrl());
  await page.waitForFunction(() => window.ivReady === true);
  await page.evaluate(() => {
    const clock = window.iv.createWebClock();
    const fired: string[] = [];
    window.iv.scratch['fired'] = fired;
    clock.setTimer(1000, () => fired.push('1s'));
    const cancel = clock.setTimer(2000, () => fired.push('cancelled'));
    cancel();
    clock.setTimer(2 ** 31 + 10_000, () => fired.push('long'));
    window.iv.scratch['now'] = clock.now();
  });
  const fired = () => page.evaluate(() => [...(window.iv.scratch['fired'] as string[])]);
  await page.clock.runFor(1500);
  expect(await fired()).toEqual(['1s']);
  await page.clock.runFor(3000);
  expect(await fired()).toEqual(['1s']);
  await page.clock.runFor(2 ** 31 - 10_000);
  expect(await fired()).toEqual(['1s']);
  await page.clock.runFor(20_000);
  expect(await fired()).toEqual(['1s', 'long']);
});

/**
 * The whole vault (core + web platform) in Chromium: reloads, lockAfter measured on return,
 * hideScreenOnBackground, biometric failure paths with the passcode as fallback, several tabs,
 * and a canary scan of everything the origin persisted.
 */
import type { Page } from '@playwright/test';
import { answerPasscodeDialog, setVisibility } from '../../browser-harness/page-controls.js';
import { expect, openHarness, test } from './fixtures.js';

const CANARY_TOKEN = 'tok-CANARY-c0ffee';
const CANARY_VALUE = 'value-CANARY-5eed';
const CANARY_PASSCODE = '97531-CANARY';

interface VaultLike {
  [method: string]: (...args: unknown[]) => Promise<unknown>;
}

/** Opens `vaultId` on a new web plugin in the page, keeping it and its events in scratch. */
async function openVault(page: Page, options: { vaultId?: string; lockAfter?: number; hideScreenOnBackground?: boolean } = {}): Promise<void> {
  await page.evaluate((options) => {
    const plugin = window.iv.createWebPlugin();
    const events = { locks: [] as Array<{ event: unknown; at: number }>, configs: [] as unknown[] };
    const vault = plugin.getVault({
      vaultId: options.vaultId ?? 'app',
      username: 'ada',
      ...(options.lockAfter !== undefined ? { lockAfter: options.lockAfter } : {}),
      ...(options.hideScreenOnBackground !== undefined ? { hideScreenOnBackground: options.hideScreenOnBackground } : {}),
      onLock: (event) => events.locks.push({ event, at: Date.now() }),
      onConfig: (config) => events.configs.push(config),
    });
    window.iv.scratch['vault'] = vault;
    window.iv.scratch['events'] = events;
  }, options);
}

/** Calls `vault[method](...args)` in the page; resolves `{ value }` or the error outcome. */
function call(page: Page, method: string, ...args: unknown[]): Promise<unknown> {
  return page.evaluate(
    async ({ method, args }) => {
      const vault = window.iv.scratch['vault'] as VaultLike;
      const outcome = await window.iv.outcome(
        Promise.resolve(vault[method]!(...args)).then((value) => {
          window.iv.scratch['last'] = value;
        }),
      );
      return outcome === 'resolved' ? { value: window.iv.scratch['last'] ?? null } : outcome;
    },
    { method, args },
  );
}

async function value(page: Page, method: string, ...args: unknown[]): Promise<unknown> {
  const result = (await call(page, method, ...args)) as { value?: unknown; codeName?: string; message?: string };
  if (!('value' in result)) throw new Error(`${method} failed: ${result.codeName} ${result.message}`);
  return result.value;
}

async function setUpFullVault(page: Page): Promise<void> {
  await openVault(page);
  await value(page, 'setPasscodeEnabled', true);
  await value(page, 'setPasscode', CANARY_PASSCODE);
  await value(page, 'setBiometricsEnabled', true);
  await value(page, 'storeToken', CANARY_TOKEN);
  await value(page, 'storeValue', 'session', { token: CANARY_TOKEN, username: 'ada', note: CANARY_VALUE });
  await value(page, 'lock');
}

test('reload with a locked vault, then unlock with the passcode (built-in dialog) and with biometrics', async ({
  harnessPage: page,
  server,
  authenticator,
}) => {
  void authenticator;
  await setUpFullVault(page);

  await openHarness(page, server); // a real reload: memory gone
  await openVault(page);
  expect(await value(page, 'isLocked')).toBe(true);
  expect(await value(page, 'isBiometricsEnabled')).toBe(true);
  const unlocking = call(page, 'unlock', true); // no passcode given: the built-in dialog asks
  await expect(page.getByRole('dialog', { name: 'Unlock' })).toBeVisible();
  await answerPasscodeDialog(page, CANARY_PASSCODE);
  expect(await unlocking).toEqual({ value: null });
  expect(await value(page, 'getToken')).toBe(CANARY_TOKEN);

  await openHarness(page, server);
  await openVault(page);
  expect(await value(page, 'isLocked')).toBe(true);
  await value(page, 'unlock', false); // biometrics: the virtual authenticator verifies the user
  expect(await value(page, 'getValue', 'session')).toEqual({ token: CANARY_TOKEN, username: 'ada', note: CANARY_VALUE });
});

test('biometric user verification failing: typed error, the passcode path still works', async ({ harnessPage: page, authenticator }) => {
  await setUpFullVault(page);
  await authenticator.setUserVerified(false);
  expect(await call(page, 'unlock', false)).toMatchObject({ codeName: 'UserCanceledInteraction' });
  expect(await value(page, 'isLocked')).toBe(true);
  expect(await value(page, 'remainingAttempts')).toBe(5); // a biometric failure is not a passcode attempt
  await value(page, 'unlock', true, CANARY_PASSCODE);
  expect(await value(page, 'getToken')).toBe(CANARY_TOKEN);
});

test('biometric credential removed: typed error, the passcode path still works', async ({ harnessPage: page, authenticator }) => {
  await setUpFullVault(page);
  await authenticator.clearCredentials();
  expect(await call(page, 'unlock', false)).toMatchObject({ codeName: 'UserCanceledInteraction' });
  await value(page, 'unlock', true, CANARY_PASSCODE);
  expect(await value(page, 'getToken')).toBe(CANARY_TOKEN);
});

test('enabling biometrics on an authenticator without PRF fails with SecurityNotAvailable and changes nothing', async ({ context, harnessPage: page }) => {
  const { VirtualAuthenticator } = await import('../../browser-harness/virtual-authenticator.js');
  await VirtualAuthenticator.attach(context, page, { hasPrf: false });
  await openVault(page);
  await value(page, 'setPasscodeEnabled', true);
  await value(page, 'setPasscode', '1234');
  expect(await call(page, 'setBiometricsEnabled', true)).toMatchObject({ codeName: 'SecurityNotAvailable' });
  expect(await value(page, 'isBiometricsEnabled')).toBe(false);
});

test('lockAfter is measured on return (throttled timers): lockAfter − 1 ms stays unlocked, lockAfter locks before the first read', async ({ page, server }) => {
  await page.clock.install();
  await openHarness(page, server);
  await openVault(page, { lockAfter: 5000 });
  await value(page, 'setPasscodeEnabled', true);
  await value(page, 'setPasscode', '1234');
  await value(page, 'storeValue', 'k', 'v');
  const now = () => page.evaluate(() => Date.now());
  // Time stands still from here: only setSystemTime moves it, so the measured absence is exact.
  await page.clock.pauseAt((await now()) + 1000);

  // setSystemTime moves Date.now without running any timer: a hidden tab whose timers were throttled.
  await setVisibility(page, 'hidden');
  await page.clock.setSystemTime((await now()) + 4999);
  await setVisibility(page, 'visible');
  expect(await value(page, 'isLocked')).toBe(false);

  await setVisibility(page, 'hidden');
  await page.clock.setSystemTime((await now()) + 5000);
  await setVisibility(page, 'visible');
  expect(await call(page, 'getValue', 'k')).toMatchObject({ codeName: 'VaultLocked' });
  expect(await page.evaluate(() => (window.iv.scratch['events'] as { locks: Array<{ event: unknown }> }).locks.map((l) => l.event))).toEqual([
    { saved: true, timeout: true },
  ]);

  // A clock moved back while hidden never extends the session.
  await value(page, 'unlock', true, '1234');
  await setVisibility(page, 'hidden');
  await page.clock.setSystemTime((await now()) - 60_000);
  await setVisibility(page, 'visible');
  expect(await value(page, 'isLocked')).toBe(true);
});

test('hideScreenOnBackground covers the page while hidden (screenshot)', async ({ harnessPage: page }, testInfo) => {
  await openVault(page, { hideScreenOnBackground: true });
  await value(page, 'storeValue', 'k', 'v');
  await setVisibility(page, 'hidden');
  await expect(page.locator('.iv-privacy-screen')).toBeVisible();
  const shot = await page.screenshot({ path: testInfo.outputPath('hide-screen-on-background.png') });
  await testInfo.attach('hidden', { body: shot, contentType: 'image/png' });
  await setVisibility(page, 'visible');
  await expect(page.locator('.iv-privacy-screen')).toHaveCount(0);
  // Once the vault unsubscribes, nobody asks for the cover any more.
  await value(page, 'unsubscribe');
  await setVisibility(page, 'hidden');
  await expect(page.locator('.iv-privacy-screen')).toHaveCount(0);
});

test('two pages: config reaches the other, writes from both lose nothing, a lock reaches the other within 100 ms', async ({
  context,
  harnessPage: a,
  server,
}) => {
  const b = await context.newPage();
  await openHarness(b, server);
  await openVault(a);
  await value(a, 'setPasscodeEnabled', true);
  await value(a, 'setPasscode', '1234');
  await openVault(b);
  await value(b, 'unlock', true, '1234');

  // Concurrent writes: 40 from each page at once, then both see all 80.
  const writer = async (prefix: string) => {
    const vault = window.iv.scratch['vault'] as VaultLike;
    await Promise.all(Array.from({ length: 40 }, (_, i) => vault['storeValue']!(`${prefix}${i}`, { prefix, i })));
  };
  await Promise.all([a.evaluate(writer, 'a'), b.evaluate(writer, 'b')]);
  const readAll = async () => {
    const vault = window.iv.scratch['vault'] as VaultLike;
    const keys = [...Array.from({ length: 40 }, (_, i) => `a${i}`), ...Array.from({ length: 40 }, (_, i) => `b${i}`)];
    return (await Promise.all(keys.map((k) => vault['getValue']!(k)))).filter((v) => v !== undefined).length;
  };
  expect(await a.evaluate(readAll)).toBe(80);
  expect(await b.evaluate(readAll)).toBe(80);

  // Last writer wins on one key, and the other page sees the new value (its cache was told).
  await value(a, 'storeValue', 'shared', 'from a');
  expect(await value(b, 'getValue', 'shared')).toBe('from a');
  await value(b, 'storeValue', 'shared', 'from b');
  await expect.poll(() => value(a, 'getValue', 'shared')).toBe('from b');

  // A config change in one page reaches the other's onConfig.
  const configsBefore = await b.evaluate(() => (window.iv.scratch['events'] as { configs: unknown[] }).configs.length);
  await value(a, 'setPasscode', '5678');
  await expect.poll(() => b.evaluate(() => (window.iv.scratch['events'] as { configs: unknown[] }).configs.length)).toBeGreaterThan(configsBefore);

  // Lock in one page: the other is locked within 100 ms.
  const lockedAt = await a.evaluate(async () => {
    const t = Date.now();
    await (window.iv.scratch['vault'] as VaultLike)['lock']!();
    return t;
  });
  await expect.poll(() => b.evaluate(() => (window.iv.scratch['events'] as { locks: unknown[] }).locks.length), { timeout: 1000 }).toBe(1);
  const seenAt = await b.evaluate(() => (window.iv.scratch['events'] as { locks: Array<{ at: number }> }).locks[0]!.at);
  console.log(`lock propagation: ${seenAt - lockedAt} ms`);
  expect(seenAt - lockedAt).toBeLessThan(100);
  expect(await value(b, 'isLocked')).toBe(true);
  expect(await call(b, 'getValue', 'a0')).toMatchObject({ codeName: 'VaultLocked' });
  await value(b, 'unlock', true, '5678');
  expect(await value(b, 'getValue', 'b39')).toEqual({ prefix: 'b', i: 39 });
});

test('after a full workflow nothing the origin persisted holds a value, the token or the passcode', async ({ context, harnessPage: page, authenticator }) => {
  void authenticator;
  await setUpFullVault(page);
  // A SecureStorage vault too, so the device key and its wrap are in the dump.
  await openVault(page, { vaultId: 'device-bound' });
  await value(page, 'storeValue', 'k', CANARY_VALUE);
  await value(page, 'lock');
  const dump = `${await page.evaluate(() => window.iv.dumpStorage())}\n${JSON.stringify(await context.cookies())}`;
  const parsed = JSON.parse(dump.slice(0, dump.lastIndexOf('\n'))) as { indexedDB: Record<string, Record<string, unknown[]>> };
  expect(Object.keys(parsed.indexedDB)).toEqual(['identity-vault']);
  expect(parsed.indexedDB['identity-vault']!['records']!.length).toBeGreaterThan(4);
  expect(parsed.indexedDB['identity-vault']!['keys']!).toHaveLength(1);
  for (const canary of [CANARY_TOKEN, CANARY_VALUE, CANARY_PASSCODE, 'CANARY']) expect(dump).not.toContain(canary);

  // Positive control: the same dump finds a plaintext canary wherever the origin keeps one.
  await page.evaluate(async () => {
    await window.iv.idbKeyval.set('planted', new TextEncoder().encode('planted-CANARY'));
    localStorage.setItem('x', 'ls-CANARY');
    document.cookie = 'c=cookie-CANARY';
  });
  const control = `${await page.evaluate(() => window.iv.dumpStorage())}\n${JSON.stringify(await context.cookies())}`;
  for (const canary of ['planted-CANARY', 'ls-CANARY', 'cookie-CANARY']) expect(control).toContain(canary);
});

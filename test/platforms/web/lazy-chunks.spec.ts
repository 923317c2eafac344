/**
 * The web platform's lazily loaded parts, in real split chunks: the page script is bundled by
 * esbuild with `splitting` (as Vite, Rollup or webpack would split it), and every file the page
 * fetches is recorded. Nothing of the passcode dialog, the WebAuthn ceremonies, the privacy
 * screen, the device key (one chunk: src/web/on-first-use.ts), the core's work after the prompt or
 * the session layer's AuthMode code is fetched before its first use; each is fetched then, and works; a chunk that fails to
 * load is a `VaultError(VaultUnavailable)` and nothing stored changes.
 */
import { test as base, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../../browser-harness/server.js';
import { VaultErrorCodes } from 'identity-vault';
import { answerPasscodeDialog, setVisibility } from '../../browser-harness/page-controls.js';
import { VirtualAuthenticator } from '../../browser-harness/virtual-authenticator.js';
import type {} from '../../browser-harness/lazy-entry.js';

/** A secure-context origin served entirely by `page.route` (no server to start or stop). */
const ORIGIN = 'http://localhost:4999';

async function splitBundle(): Promise<Map<string, string>> {
  const result = await build({
    entryPoints: { app: path.join(repoRoot, 'test/browser-harness/lazy-entry.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: '/lazy',
    chunkNames: '[name]-[hash]',
    write: false,
    absWorkingDir: repoRoot,
    logLevel: 'silent',
  });
  return new Map(result.outputFiles.map((file) => [`/${path.basename(file.path)}`, file.text]));
}

const test = base.extend<{ app: { page: Page; fetched: string[]; files: Map<string, string> } }, { files: Map<string, string> }>({
  files: [async ({}, use) => use(await splitBundle()), { scope: 'worker' }],
  app: async ({ page, files }, use) => {
    const fetched: string[] = [];
    await page.route(`${ORIGIN}/**`, (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/') {
        return route.fulfill({
          contentType: 'text/html',
          body: '<!doctype html><title>lazy</title><main>app</main><script type="module" src="/app.js"></script>',
        });
      }
      const body = files.get(url.pathname);
      fetched.push(url.pathname);
      return body === undefined ? route.fulfill({ status: 404, body: '' }) : route.fulfill({ contentType: 'text/javascript', body });
    });
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => window.lazyReady === true);
    await use({ page, fetched, files });
  },
});

/** Chunks named after the module they were split at (esbuild `chunkNames: '[name]-[hash]'`). */
const chunk = (fetched: readonly string[], name: string) => fetched.filter((file) => file.startsWith(`/${name}-`));

/** The app's page loaded again, as on its next start: reloaded, and its script ready. */
async function reloadApp(page: Page): Promise<void> {
  await page.reload();
  await page.waitForFunction(() => window.lazyReady === true);
}

/**
 * Whether this browser fetches a module again after its fetch failed. HTML's module map used to
 * keep a failed fetch for the page's life, so every later `import()` of it failed at once;
 * whatwg/html#10327 changed that, and browsers adopt it one by one. Debian's Chromium 150 keeps
 * the failure (the Chromium 156 of earlier runs fetched again). The vault's answer is the same on
 * both: `VaultUnavailable`, nothing changed; what differs is whether "try again" can succeed
 * before the page is reloaded, and each test below checks the branch this browser takes.
 */
async function refetchesFailedModules(page: Page): Promise<boolean> {
  const probe = `${ORIGIN}/refetch-probe.js`;
  let online = false;
  await page.route(probe, (route) =>
    online ? route.fulfill({ contentType: 'text/javascript', body: 'export const probe = 1;' }) : route.abort('internetdisconnected'),
  );
  const load = () =>
    page.evaluate(
      (url) =>
        import(url).then(
          () => true,
          () => false,
        ),
      probe,
    );
  if (await load()) throw new Error('the probe module loaded while its fetch was failing');
  online = true;
  const refetched = await load();
  await page.unroute(probe);
  test.info().annotations.push({ type: 'browser', description: refetched ? 'fetches a failed module again' : 'keeps a failed module fetch until reload' });
  return refetched;
}

test('the split chunks exist: the web parts used on first use (one chunk), the core after the prompt, the AuthMode code', async ({ files }) => {
  const names = [...files.keys()];
  for (const name of ['on-first-use', 'after-prompt', 'apply-auth-mode']) expect(names.some((file) => file.startsWith(`/${name}-`))).toBe(true);
  // The passcode dialog, the WebAuthn ceremonies, the privacy screen and the device key share one
  // chunk (src/web/on-first-use.ts says why): none is split off on its own.
  for (const name of ['passcode-dialog', 'webauthn-biometrics', 'privacy-screen', 'device-key'])
    expect(names.some((file) => file.startsWith(`/${name}-`))).toBe(false);
  const firstUse = files.get(names.find((file) => file.startsWith('/on-first-use-'))!)!;
  for (const part of ['iv-passcode-dialog', 'iv-privacy-screen', 'credentials.create', 'device-key']) expect(firstUse).toContain(part);
});

test('nothing lazy is fetched while a vault is set up; each part is fetched at its first use and works', async ({ app, context }) => {
  const { page, fetched } = app;
  await page.evaluate(async () => {
    const plugin = window.lazyApi.createWebPlugin({ databaseName: 'lazy-1' });
    const vault = plugin.getVault({ vaultId: 'app', username: 'ada', hideScreenOnBackground: false });
    (window as unknown as { vault: typeof vault }).vault = vault;
    await vault.isLocked();
    await vault.isInUse();
    await vault.isBiometricsAvailable();
    await vault.getBiometricType();
    await vault.setPasscodeEnabled(true);
    await vault.isPasscodeSetupNeeded();
  });
  expect(chunk(fetched, 'on-first-use')).toEqual([]);

  // A passcode given in the call: no prompt, no dialog.
  await page.evaluate(async () => {
    const vault = (
      window as unknown as { vault: { setPasscode(p: string): Promise<void>; storeValue(k: string, v: unknown): Promise<void>; lock(): Promise<void> } }
    ).vault;
    await vault.setPasscode('2468');
    await vault.storeValue('token', 'abc');
    await vault.lock();
  });
  expect(chunk(fetched, 'on-first-use')).toEqual([]);

  // First passcode prompt: the first-use chunk is fetched, and the dialog unlocks.
  const unlocked = page.evaluate(async () => {
    const vault = (window as unknown as { vault: { unlock(p: boolean): Promise<void>; getValue(k: string): Promise<unknown> } }).vault;
    await vault.unlock(true);
    return vault.getValue('token');
  });
  await answerPasscodeDialog(page, '2468');
  expect(await unlocked).toBe('abc');
  expect(chunk(fetched, 'on-first-use')).toHaveLength(1);

  // First biometric use: the WebAuthn code came in the same chunk (no second fetch), and enrolment works.
  const authenticator = await VirtualAuthenticator.attach(context, page);
  await page.evaluate(() => (window as unknown as { vault: { setBiometricsEnabled(e: boolean): Promise<void> } }).vault.setBiometricsEnabled(true));
  expect(chunk(fetched, 'on-first-use')).toHaveLength(1);
  expect(await page.evaluate(() => (window as unknown as { vault: { isBiometricsEnabled(): Promise<boolean> } }).vault.isBiometricsEnabled())).toBe(true);
  expect((await authenticator.credentials()).length).toBe(1);

  // The privacy screen: in the same chunk, already here; once enabled it covers a hidden page.
  await page.evaluate(() => {
    const plugin = window.lazyApi.createWebPlugin({ databaseName: 'lazy-1' });
    plugin.getVault({ vaultId: 'other', username: 'ada', hideScreenOnBackground: true });
  });
  expect(chunk(fetched, 'on-first-use')).toHaveLength(1);
  await setVisibility(page, 'hidden');
  await expect(page.locator('.iv-privacy-screen')).toBeVisible();
  await setVisibility(page, 'visible');
  await expect(page.locator('.iv-privacy-screen')).toHaveCount(0);
});

test('a vault secured by the device key fetches its code at the first write, and it works', async ({ app }) => {
  const { page, fetched } = app;
  const result = await page.evaluate(async () => {
    const vault = window.lazyApi.createWebPlugin({ databaseName: 'lazy-device' }).getVault({ vaultId: 'app', username: 'ada' });
    const setUp = await vault.isLocked();
    await vault.storeValue('token', 'abc');
    await vault.lock();
    await vault.unlock();
    return { setUp, token: await vault.getValue('token') };
  });
  expect(result).toEqual({ setUp: false, token: 'abc' });
  expect(chunk(fetched, 'on-first-use')).toHaveLength(1);
});

test("a page opening an existing passcode vault fetches the core's after-prompt code only once it unlocks", async ({ app }) => {
  const { page, fetched } = app;
  await page.evaluate(async () => {
    const vault = window.lazyApi.createWebPlugin({ databaseName: 'lazy-after' }).getVault({ vaultId: 'app', username: 'ada' });
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('2468');
    await vault.storeValue('token', 'abc');
  });
  // A new page: nothing of this one is loaded.
  await reloadApp(page);
  fetched.length = 0;
  const setUp = await page.evaluate(async () => {
    const vault = window.lazyApi.createWebPlugin({ databaseName: 'lazy-after' }).getVault({ vaultId: 'app', username: 'ada' });
    (window as unknown as { vault: typeof vault }).vault = vault;
    return { locked: await vault.isLocked(), inUse: await vault.isInUse(), config: await vault.getConfig() };
  });
  expect(setUp).toMatchObject({ locked: true, inUse: true, config: { isPasscodeEnabled: true } });
  expect(chunk(fetched, 'after-prompt')).toEqual([]);
  const token = await page.evaluate(async () => {
    const vault = (window as unknown as { vault: { unlock(p: boolean, passcode: string): Promise<void>; getValue(k: string): Promise<unknown> } }).vault;
    await vault.unlock(true, '2468');
    return vault.getValue('token');
  });
  expect(token).toBe('abc');
  expect(chunk(fetched, 'after-prompt')).toHaveLength(1);
});

test("the core's after-prompt code cannot be fetched: unlock is VaultUnavailable, no attempt is counted, the next unlock works", async ({ app }) => {
  const { page, files } = app;
  await page.evaluate(async () => {
    const vault = window.lazyApi.createWebPlugin({ databaseName: 'lazy-after-offline' }).getVault({ vaultId: 'app', username: 'ada' });
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('2468');
    await vault.storeValue('token', 'abc');
  });
  await reloadApp(page);
  const afterPrompt = [...files.keys()].find((file) => file.startsWith('/after-prompt-'))!;
  await page.route(`${ORIGIN}${afterPrompt}`, (route) => route.abort('internetdisconnected'));
  const offline = await page.evaluate(async () => {
    const vault = window.lazyApi.createWebPlugin({ databaseName: 'lazy-after-offline' }).getVault({ vaultId: 'app', username: 'ada' });
    const before = await vault.remainingAttempts();
    const error = await vault.unlock(true, '2468').then(
      () => undefined,
      (e: { code?: number; name?: string }) => ({ code: e.code, name: e.name }),
    );
    return { error, locked: await vault.isLocked(), before, after: await vault.remainingAttempts() };
  });
  expect(offline.error).toMatchObject({ name: 'VaultError', code: VaultErrorCodes.VaultUnavailable });
  expect(offline).toMatchObject({ locked: true, after: offline.before });
  await page.unroute(`${ORIGIN}${afterPrompt}`);
  if (!(await refetchesFailedModules(page))) {
    // Back online, but this browser answers the chunk's import() with the kept failure: the same
    // VaultUnavailable, still nothing counted, until a reload.
    const again = await page.evaluate(async () => {
      const vault = window.lazyApi.createWebPlugin({ databaseName: 'lazy-after-offline' }).getVault({ vaultId: 'app', username: 'ada' });
      const error = await vault.unlock(true, '2468').then(
        () => undefined,
        (e: { code?: number; name?: string }) => ({ code: e.code, name: e.name }),
      );
      return { error, locked: await vault.isLocked(), after: await vault.remainingAttempts() };
    });
    expect(again).toMatchObject({ error: { name: 'VaultError', code: VaultErrorCodes.VaultUnavailable }, locked: true, after: offline.before });
    await reloadApp(page);
  }
  const token = await page.evaluate(async () => {
    const vault = window.lazyApi.createWebPlugin({ databaseName: 'lazy-after-offline' }).getVault({ vaultId: 'app', username: 'ada' });
    await vault.unlock(true, '2468');
    return vault.getValue('token');
  });
  expect(token).toBe('abc');
});

test("writes issued before the core's after-prompt code arrives wait for it in the queue and land in call order", async ({ app }) => {
  const { page, files } = app;
  const afterPrompt = [...files.keys()].find((file) => file.startsWith('/after-prompt-'))!;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let requested = false;
  await page.route(`${ORIGIN}${afterPrompt}`, async (route) => {
    requested = true;
    await held;
    await route.fulfill({ contentType: 'text/javascript', body: files.get(afterPrompt)! });
  });
  // A new vault (no data key yet): its first write creates the key, and every write here
  // (vault-writes.ts, value-records.ts) is in the held chunk. None is awaited before the next call.
  await page.evaluate(() => {
    const vault = window.lazyApi.createWebPlugin({ databaseName: 'lazy-order' }).getVault({ vaultId: 'app', username: 'ada' });
    const order: string[] = [];
    const results: Record<string, unknown> = {};
    const track = (name: string, call: Promise<unknown>) =>
      call.then(
        (value) => (order.push(name), (results[name] = value)),
        (error: { code?: number }) => (order.push(name), (results[name] = { error: error.code })),
      );
    const calls = [
      track('store a', vault.storeValue('a', 1)),
      track('store b', vault.storeValue('b', 2)),
      track('remove a', vault.removeValue('a')),
      track('keys', vault.getKeys()),
      track('get b', vault.getValue('b')),
      track('clear', vault.clear()),
      track('in use', vault.isInUse()),
    ];
    (window as unknown as { done: Promise<unknown> }).done = Promise.all(calls).then(() => ({ order, results }));
    (window as unknown as { order: string[] }).order = order;
  });
  await expect.poll(() => requested).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { order: string[] }).order)).toEqual([]);
  release();
  const { order, results } = await page.evaluate(() => (window as unknown as { done: Promise<{ order: string[]; results: Record<string, unknown> }> }).done);
  expect(order).toEqual(['store a', 'store b', 'remove a', 'keys', 'get b', 'clear', 'in use']);
  expect(results).toEqual({ 'store a': undefined, 'store b': undefined, 'remove a': undefined, keys: ['b'], 'get b': 2, clear: undefined, 'in use': false });
});

test('a page hidden before the privacy chunk arrived is covered as soon as it does', async ({ app }) => {
  const { page, files } = app;
  const privacy = [...files.keys()].find((file) => file.startsWith('/on-first-use-'))!;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(`${ORIGIN}${privacy}`, async (route) => {
    await held;
    await route.fulfill({ contentType: 'text/javascript', body: files.get(privacy)! });
  });
  await page.evaluate(() => {
    window.lazyApi.createWebPlugin({ databaseName: 'lazy-2' }).getVault({ vaultId: 'app', username: 'ada', hideScreenOnBackground: true });
  });
  await setVisibility(page, 'hidden');
  await expect(page.locator('.iv-privacy-screen')).toHaveCount(0);
  release();
  await expect(page.locator('.iv-privacy-screen')).toBeVisible();
});

test('a chunk that cannot be fetched: VaultUnavailable, nothing stored changes; the next call fetches it again', async ({ app }) => {
  const { page, files } = app;
  const dialog = [...files.keys()].find((file) => file.startsWith('/on-first-use-'))!;
  await page.route(`${ORIGIN}${dialog}`, (route) => route.abort('internetdisconnected'));
  const outcome = await page.evaluate(async () => {
    const plugin = window.lazyApi.createWebPlugin({ databaseName: 'lazy-3' });
    const vault = plugin.getVault({ vaultId: 'app', username: 'ada' });
    await vault.setPasscodeEnabled(true);
    const error = await vault.setPasscode().then(
      () => undefined,
      (e: { code?: number; message?: string; name?: string }) => ({ code: e.code, name: e.name, message: e.message }),
    );
    return { error, setupNeeded: await vault.isPasscodeSetupNeeded(), locked: await vault.isLocked() };
  });
  expect(outcome.error).toMatchObject({ name: 'VaultError', code: VaultErrorCodes.VaultUnavailable });
  expect(outcome.error?.message).toContain('passcode dialog could not be loaded');
  expect(outcome).toMatchObject({ setupNeeded: true, locked: false });

  // Back online: the next prompt loads the chunk again and works (after a reload, on a browser
  // that keeps the failed fetch; until then the same VaultUnavailable and no passcode set).
  await page.unroute(`${ORIGIN}${dialog}`);
  if (!(await refetchesFailedModules(page))) {
    const again = await page.evaluate(async () => {
      const vault = window.lazyApi.createWebPlugin({ databaseName: 'lazy-3' }).getVault({ vaultId: 'app', username: 'ada' });
      const error = await vault.setPasscode().then(
        () => undefined,
        (e: { code?: number; name?: string }) => ({ code: e.code, name: e.name }),
      );
      return { error, setupNeeded: await vault.isPasscodeSetupNeeded() };
    });
    expect(again).toMatchObject({ error: { name: 'VaultError', code: VaultErrorCodes.VaultUnavailable }, setupNeeded: true });
    await reloadApp(page);
  }
  const retried = page.evaluate(async () => {
    const vault = window.lazyApi.createWebPlugin({ databaseName: 'lazy-3' }).getVault({ vaultId: 'app', username: 'ada' });
    await vault.setPasscode();
    return vault.isPasscodeSetupNeeded();
  });
  for (const title of ['Create a passcode', 'Confirm your passcode']) {
    const input = page.getByRole('dialog', { name: title }).getByLabel('Passcode');
    await input.fill('1357');
    await input.press('Enter');
  }
  expect(await retried).toBe(false);
});

/**
 * An `IonicIdentityVaultUser` with the web plugin of `databaseName` whose `onPasscodeRequest`
 * answers `passcode`, defined in the page (the app's own subclass, as the README writes it).
 */
function defineUser(): void {
  const { IonicIdentityVaultUser, AuthMode, createWebPlugin } = window.lazyApi;
  class User extends IonicIdentityVaultUser<{ token: string }> {
    constructor(databaseName: string, authMode: number) {
      super(
        { ready: () => Promise.resolve() },
        { plugin: createWebPlugin({ databaseName }), authMode: authMode as typeof AuthMode.PasscodeOnly, unlockOnAccess: true },
      );
    }
    override async onPasscodeRequest(): Promise<string> {
      return '2468';
    }
  }
  (window as unknown as { User: typeof User }).User = User;
}

type PageUser = {
  login(session: { token: string }, mode?: number): Promise<void>;
  restoreSession(): Promise<{ token: string } | undefined>;
  setAuthMode(mode: number): Promise<void>;
  getAuthMode(): Promise<number>;
};

test('a 3.x/4.x app opening an existing passcode vault fetches the AuthMode code only when it changes a mode, not to unlock', async ({ app }) => {
  const { page, fetched } = app;
  await page.evaluate(defineUser);
  await page.evaluate(async () => {
    const { User } = window as unknown as { User: new (db: string, mode: number) => PageUser };
    await new User('lazy-session', window.lazyApi.AuthMode.PasscodeOnly).login({ token: 'abc' });
  });
  expect(chunk(fetched, 'apply-auth-mode')).toHaveLength(1); // a new vault's setup and login set a mode
  // A new page, as on the app's next start.
  await reloadApp(page);
  fetched.length = 0;
  await page.evaluate(defineUser);
  const restored = await page.evaluate(async () => {
    const { User } = window as unknown as { User: new (db: string, mode: number) => PageUser; user: PageUser };
    const user = new User('lazy-session', window.lazyApi.AuthMode.PasscodeOnly);
    (window as unknown as { user: PageUser }).user = user;
    return { session: await user.restoreSession(), mode: await user.getAuthMode() };
  });
  expect(restored).toEqual({ session: { token: 'abc' }, mode: 1 }); // AuthMode.PasscodeOnly
  expect(chunk(fetched, 'after-prompt')).toHaveLength(1);
  expect(chunk(fetched, 'apply-auth-mode')).toEqual([]);
  const changed = await page.evaluate(async () => {
    const { user } = window as unknown as { user: PageUser };
    await user.setAuthMode(window.lazyApi.AuthMode.SecureStorage);
    return user.getAuthMode();
  });
  expect(changed).toBe(5); // AuthMode.SecureStorage
  expect(chunk(fetched, 'apply-auth-mode')).toHaveLength(1);
});

test('the AuthMode code cannot be fetched: login is VaultUnavailable and the stored session stays; the next login works', async ({ app }) => {
  const { page, files } = app;
  await page.evaluate(defineUser);
  await page.evaluate(async () => {
    const { User } = window as unknown as { User: new (db: string, mode: number) => PageUser };
    await new User('lazy-session-offline', window.lazyApi.AuthMode.PasscodeOnly).login({ token: 'abc' });
  });
  await reloadApp(page);
  const code = [...files.keys()].find((file) => file.startsWith('/apply-auth-mode-'))!;
  await page.route(`${ORIGIN}${code}`, (route) => route.abort('internetdisconnected'));
  await page.evaluate(defineUser);
  const offline = await page.evaluate(async () => {
    const { User } = window as unknown as { User: new (db: string, mode: number) => PageUser };
    const user = new User('lazy-session-offline', window.lazyApi.AuthMode.PasscodeOnly);
    (window as unknown as { user: PageUser }).user = user;
    const error = await user.login({ token: 'new' }).then(
      () => undefined,
      (e: { code?: number; name?: string; message?: string }) => ({ code: e.code, name: e.name, message: e.message }),
    );
    return { error, session: await user.restoreSession() };
  });
  expect(offline.error).toMatchObject({ name: 'VaultError', code: VaultErrorCodes.VaultUnavailable });
  expect(offline.error?.message).toContain('AuthMode code could not be loaded');
  expect(offline.session).toEqual({ token: 'abc' });
  await page.unroute(`${ORIGIN}${code}`);
  if (!(await refetchesFailedModules(page))) {
    // This browser keeps the failed fetch: the same VaultUnavailable, the session kept, until a
    // reload (the app's next start), where the page's user is made again.
    const again = await page.evaluate(async () => {
      const { user } = window as unknown as { user: PageUser };
      const error = await user.login({ token: 'new' }).then(
        () => undefined,
        (e: { code?: number; name?: string }) => ({ code: e.code, name: e.name }),
      );
      return { error, session: await user.restoreSession() };
    });
    expect(again).toEqual({ error: { name: 'VaultError', code: VaultErrorCodes.VaultUnavailable }, session: { token: 'abc' } });
    await reloadApp(page);
    await page.evaluate(defineUser);
    await page.evaluate(() => {
      const { User } = window as unknown as { User: new (db: string, mode: number) => PageUser };
      (window as unknown as { user: PageUser }).user = new User('lazy-session-offline', window.lazyApi.AuthMode.PasscodeOnly);
    });
  }
  const online = await page.evaluate(async () => {
    const { user } = window as unknown as { user: PageUser };
    await user.login({ token: 'new' });
    return user.restoreSession();
  });
  expect(online).toEqual({ token: 'new' });
});

/**
 * @security issue 11 races between tabs, in real Chromium with real IndexedDB and BroadcastChannel:
 * a lock from a second tab that lands while the session layer waits for the vault.
 */
import { expect, openHarness, test } from '../platforms/web/fixtures.js';
import { recordFigure } from './figures.js';

const descriptor = { vaultId: 'tabs', username: 'u' };

test.describe('@security web tabs', () => {
  test('a lock from a second tab during saveSession / restoreSession leaves no session in memory', async ({ context, server }) => {
    const db = `session-lock-${Date.now()}`;
    const [a, b] = [await context.newPage(), await context.newPage()];
    for (const page of [a, b]) await openHarness(page, server);
    // Tab A: the session layer on a web platform whose store, when armed, asks tab B to lock right
    // after writing or reading the session record, and returns only once tab B's lock message has
    // reached tab A (so the lock is queued on A's vault before the session layer resumes).
    await a.evaluate(
      async ({ db, descriptor }) => {
        const iv = window.iv;
        const platform = iv.createWebPlatform({ databaseName: db });
        const control = new BroadcastChannel(`${db}-control`);
        // Tab A's own peers port, wrapped: `heardLock` fires after the vault's handler ran, i.e.
        // once the lock from tab B is queued on tab A's vault.
        const realPeers = platform.peers!;
        let heardLock: (() => void) | undefined;
        const peers = {
          post: realPeers.post.bind(realPeers),
          subscribe: (listener: Parameters<typeof realPeers.subscribe>[0]) =>
            realPeers.subscribe((message) => {
              listener(message);
              if (message.type === 'lock') heardLock?.();
            }),
        };
        let armed = false;
        const lockFromTabB = async (): Promise<void> => {
          if (!armed) return;
          armed = false;
          const heard = new Promise<void>((resolve) => (heardLock = resolve));
          control.postMessage('lock');
          await heard;
        };
        const store = platform.store;
        const isSession = (key: string) => key.endsWith('/v/session');
        const wrapped = {
          get: async (key: string) => {
            const record = await store.get(key);
            if (isSession(key)) await lockFromTabB();
            return record;
          },
          keys: (prefix: string) => store.keys(prefix),
          hasPrefix: (prefix: string) => store.hasPrefix(prefix),
          update: store.update.bind(store),
          commit: async (change: Parameters<typeof store.commit>[0]) => {
            const ok = await store.commit(change);
            if (change.put?.some(([key]) => isSession(key))) await lockFromTabB();
            return ok;
          },
        };
        const plugin = iv.createPlugin({ ...platform, store: wrapped, peers });
        class User extends iv.IonicIdentityVaultUser<{ username: string; token: string }> {
          override async onPasscodeRequest(): Promise<string> {
            return '1234';
          }
        }
        const user = new User({ ready: async () => undefined }, { plugin, authMode: iv.AuthMode.PasscodeOnly }, descriptor);
        await user.saveSession({ username: 'alice', token: 'token-1' });
        iv.scratch['user'] = user;
        iv.scratch['arm'] = () => (armed = true);
      },
      { db, descriptor },
    );
    // Tab B: unlocked on the same vault, locks when tab A asks.
    await b.evaluate(
      async ({ db, descriptor }) => {
        const vault = window.iv.createWebPlugin({ databaseName: db }).getVault(descriptor);
        await vault.unlock(true, '1234');
        const control = new BroadcastChannel(`${db}-control`);
        control.onmessage = () => void vault.lock();
        window.iv.scratch['vault'] = vault;
        window.iv.scratch['control'] = control; // kept referenced
      },
      { db, descriptor },
    );
    const afterSave = await a.evaluate(async () => {
      const iv = window.iv;
      const user = iv.scratch['user'] as InstanceType<typeof iv.IonicIdentityVaultUser<{ username: string; token: string }>>;
      (iv.scratch['arm'] as () => void)();
      await user.saveSession({ username: 'alice', token: 'token-2' });
      const vault = await user.getVault();
      return { locked: await vault.isLocked(), session: (await user.getSession()) ?? null };
    });
    expect(afterSave).toEqual({ locked: true, session: null });

    // restoreSession: unlock in tab A and B, then a lock from B lands during A's read.
    await a.evaluate(async () => {
      const iv = window.iv;
      const user = iv.scratch['user'] as InstanceType<typeof iv.IonicIdentityVaultUser<{ username: string; token: string }>>;
      // A fresh unlock starts with no cached values, so restoreSession reads the record.
      await (await user.getVault()).unlock(true, '1234');
    });
    await b.evaluate(async () => {
      await (window.iv.scratch['vault'] as { unlock(p: boolean, c: string): Promise<void> }).unlock(true, '1234');
    });
    const restored = await a.evaluate(async () => {
      const iv = window.iv;
      const user = iv.scratch['user'] as InstanceType<typeof iv.IonicIdentityVaultUser<{ username: string; token: string }>>;
      (iv.scratch['arm'] as () => void)();
      const outcome = await iv.outcome(user.restoreSession());
      const vault = await user.getVault();
      return { outcome, locked: await vault.isLocked(), session: (await user.getSession()) ?? null };
    });
    expect(restored).toMatchObject({ outcome: { codeName: 'VaultLocked' }, locked: true, session: null });
    recordFigure(
      'Session copy after a lock',
      'web (Chromium)',
      "2 tabs: a lock from tab B landing during tab A's saveSession and restoreSession leaves getSession() undefined in tab A",
    );
  });

  test('a late "cleared" from another tab never leaves a tab unlocked without a key, nor lets it write key state', async ({ context, server }) => {
    const db = `late-cleared-${Date.now()}`;
    const [a, b] = [await context.newPage(), await context.newPage()];
    for (const page of [a, b]) await openHarness(page, server);
    await a.evaluate(
      async ({ db, descriptor }) => {
        const vault = window.iv.createWebPlugin({ databaseName: db }).getVault(descriptor);
        await vault.setPasscodeEnabled(true);
        await vault.setPasscode('1234');
        await vault.storeValue('session', 'first login');
        window.iv.scratch['vault'] = vault;
      },
      { db, descriptor },
    );
    // Tab B: unlocked; when armed, its handler of the next message holds its read of the meta
    // until tab A says "go" (a busy or throttled tab hears "cleared" late).
    await b.evaluate(
      async ({ db, descriptor }) => {
        const iv = window.iv;
        const platform = iv.createWebPlatform({ databaseName: db });
        const control = new BroadcastChannel(`${db}-control`);
        let release: (() => void) | undefined;
        control.onmessage = () => release?.();
        const store = platform.store;
        const state = { armed: false, held: false };
        const wrapped = {
          get: async (key: string) => {
            if (state.armed && key.endsWith('/meta')) {
              state.armed = false;
              state.held = true;
              await new Promise<void>((resolve) => (release = resolve));
            }
            return store.get(key);
          },
          keys: (prefix: string) => store.keys(prefix),
          hasPrefix: (prefix: string) => store.hasPrefix(prefix),
          update: store.update.bind(store),
          commit: store.commit.bind(store),
        };
        const vault = iv.createPlugin({ ...platform, store: wrapped }).getVault(descriptor);
        await vault.unlock(true, '1234');
        state.armed = true;
        Object.assign(iv.scratch, { vault, state, control });
      },
      { db, descriptor },
    );
    // Tab A: logout (clear), then the user logs in again at once.
    await a.evaluate(async () => {
      const vault = window.iv.scratch['vault'] as { clear(): Promise<void> };
      await vault.clear();
    });
    await b.waitForFunction(() => (window.iv.scratch['state'] as { held: boolean }).held);
    await a.evaluate(async (db) => {
      const vault = window.iv.scratch['vault'] as { setPasscode(p: string): Promise<void>; storeValue(k: string, v: unknown): Promise<void> };
      await vault.setPasscode('5678');
      await vault.storeValue('session', 'second login');
      new BroadcastChannel(`${db}-control`).postMessage('go');
    }, db);
    const inB = await b.evaluate(async () => {
      const iv = window.iv;
      const vault = iv.scratch['vault'] as {
        isLocked(): Promise<boolean>;
        getValue(k: string): Promise<unknown>;
        setPasscodeEnabled(e: boolean): Promise<void>;
        setBiometricsEnabled(e: boolean): Promise<void>;
      };
      await new Promise((resolve) => setTimeout(resolve, 50)); // let the late handler finish
      return {
        locked: await vault.isLocked(),
        read: await iv.outcome(vault.getValue('session')),
        settingsChange: await iv.outcome(vault.setPasscodeEnabled(false)),
      };
    });
    expect(inB).toMatchObject({ locked: true, read: { codeName: 'VaultLocked' }, settingsChange: { codeName: 'VaultLocked' } });
    // The new session in tab A survived tab B.
    const inA = await a.evaluate(
      async ({ db, descriptor }) => {
        const fresh = window.iv.createWebPlugin({ databaseName: db }).getVault(descriptor);
        await fresh.unlock(true, '5678');
        return fresh.getValue('session');
      },
      { db, descriptor },
    );
    expect(inA).toBe('second login');
    recordFigure(
      'Late "cleared" between tabs',
      'web (Chromium)',
      '2 tabs: a "cleared" heard after the user logged in again leaves the tab locked; its read and settings change are refused (VaultLocked); the new session opens',
    );
  });
});

/**
 * @security attacks on the web platform in real Chromium: two tabs at once, pages closed in the
 * middle of writes, a large vault, memory after lock, and canaries in every kind of web storage.
 * Each test records the figure it proves (see figures.ts); `npm run test:security` prints them.
 */
import { expect, openHarness, test } from '../platforms/web/fixtures.js';
import { recordFigure } from './figures.js';

const CANARY_TOKEN = 'CANARY-web-token-5d1e';
const CANARY_PASSCODE = 'CANARY-pass-7731';

test.describe('@security web', () => {
  test('two tabs doing 1,000 interleaved writes each lose none', async ({ context, server }) => {
    test.setTimeout(120_000);
    const db = `two-tabs-${Date.now()}`;
    const [a, b] = [await context.newPage(), await context.newPage()];
    for (const page of [a, b]) await openHarness(page, server);
    const write = (page: typeof a, tab: string) =>
      page.evaluate(
        async ({ db, tab }) => {
          const vault = window.iv.createWebPlugin({ databaseName: db }).getVault({ vaultId: 'load', username: 'u' });
          await vault.unlock(); // an existing device-key vault opens locked; unlock() needs no one
          for (let i = 0; i < 1000; i++) await vault.storeValue(`${tab}-${i}`, { tab, i });
          return 'done';
        },
        { db, tab },
      );
    // Tab A makes the data key first, so both tabs write under one key.
    await a.evaluate(async (db) => {
      await window.iv.createWebPlugin({ databaseName: db }).getVault({ vaultId: 'load', username: 'u' }).storeValue('start', 1);
    }, db);
    expect(await Promise.all([write(a, 'a'), write(b, 'b')])).toEqual(['done', 'done']);
    const reader = await context.newPage();
    await openHarness(reader, server);
    const missing = await reader.evaluate(async (db) => {
      const vault = window.iv.createWebPlugin({ databaseName: db }).getVault({ vaultId: 'load', username: 'u' });
      await vault.unlock();
      const wrong: string[] = [];
      for (const tab of ['a', 'b']) {
        for (let i = 0; i < 1000; i++) {
          const value = (await vault.getValue(`${tab}-${i}`)) as { tab: string; i: number } | undefined;
          if (value?.tab !== tab || value.i !== i) wrong.push(`${tab}-${i}`);
        }
      }
      return wrong;
    }, db);
    expect(missing).toEqual([]);
    recordFigure('20. two tabs, concurrent writes', 'web (Chromium)', '2 tabs × 1,000 interleaved storeValue: 2,000 of 2,000 read back from a third tab');
  });

  test('failed passcode attempts from two tabs at once are all counted', async ({ context, server }) => {
    test.setTimeout(90_000);
    const db = `attempts-${Date.now()}`;
    const [a, b] = [await context.newPage(), await context.newPage()];
    for (const page of [a, b]) await openHarness(page, server);
    await a.evaluate(async (db) => {
      const vault = window.iv.createWebPlugin({ databaseName: db, maxAttempts: 10 }).getVault({ vaultId: 'att', username: 'u' });
      await vault.setPasscodeEnabled(true);
      await vault.setPasscode('1234');
      await vault.storeValue('k', 'v');
      await vault.lock();
    }, db);
    const guess = (page: typeof a, n: number) =>
      page.evaluate(
        async ({ db, n }) => {
          const vault = window.iv.createWebPlugin({ databaseName: db, maxAttempts: 10 }).getVault({ vaultId: 'att', username: 'u' });
          const codes: string[] = [];
          for (let i = 0; i < n; i++) {
            const outcome = await window.iv.outcome(vault.unlock(true, `wrong-${i}`));
            codes.push(outcome === 'resolved' ? 'resolved' : (outcome.codeName ?? '?'));
          }
          return codes;
        },
        { db, n },
      );
    const [codesA, codesB] = await Promise.all([guess(a, 3), guess(b, 3)]);
    expect([...codesA, ...codesB].every((c) => c === 'AuthFailed')).toBe(true);
    const remaining = await a.evaluate(async (db) => {
      return window.iv.createWebPlugin({ databaseName: db, maxAttempts: 10 }).getVault({ vaultId: 'att', username: 'u' }).remainingAttempts();
    }, db);
    expect(remaining).toBe(4);
    recordFigure('7. attempts from two tabs', 'web (Chromium)', '2 tabs × 3 wrong passcodes at once: the counter went from 10 to 4 (all 6 counted)');
  });

  test('a page closed in the middle of writes, 100 times, always reopens at an old or new state', async ({ context, server }) => {
    // A ceiling, not a figure: 104 new pages (each chain a setup page and 51 more). On a slow
    // machine, as one chain of 100, this test took 2.4 minutes alone, and beside the rest of the
    // suite ran out of 5 minutes at its 100th page (a new page took 0.66 s, loading the harness
    // 1.4 s: medians from the trace of that run).
    test.setTimeout(600_000);
    // Two chains of 50 closes, each on a database of its own, run side by side: opening a page is
    // mostly waiting on the browser, so two chains took about 0.8 of the time of one chain of 100.
    const CHAINS = 2;
    const CLOSES_PER_CHAIN = 50;
    const closesWithProgress = await Promise.all(
      Array.from({ length: CHAINS }, async (_, chain): Promise<number> => {
        const db = `crash-${Date.now()}-${chain}`;
        const setup = await context.newPage();
        await openHarness(setup, server);
        await setup.evaluate(async (db) => {
          const vault = window.iv.createWebPlugin({ databaseName: db }).getVault({ vaultId: 'crash', username: 'u' });
          await vault.storeValue('counter', 0);
          await vault.storeValue('pair', { a: 0, b: 0 });
        }, db);
        await setup.close();
        let last = 0;
        let lastPair = 0;
        let closedMidWrite = 0;
        // Each run's page first checks what the previous, closed page left, then writes until it is
        // itself closed after a random delay; a last page checks the chain's last close.
        for (let run = 0; run <= CLOSES_PER_CHAIN; run++) {
          const page = await context.newPage();
          await openHarness(page, server);
          const state = await page.evaluate(
            async ({ db, write }) => {
              const vault = window.iv.createWebPlugin({ databaseName: db }).getVault({ vaultId: 'crash', username: 'u' });
              await vault.unlock();
              const seen = { counter: (await vault.getValue('counter')) as number, pair: (await vault.getValue('pair')) as { a: number; b: number } };
              if (write) {
                void (async () => {
                  for (let n = seen.counter + 1; ; n++) {
                    await vault.storeValue('counter', n);
                    await vault.storeValue('pair', { a: n, b: n });
                  }
                })();
              }
              return seen;
            },
            { db, write: run < CLOSES_PER_CHAIN },
          );
          // Each value whole, neither ever behind what a reopened page saw before; `pair` is written
          // after `counter` and each run resumes from `counter`, so `pair` may trail it but never pass it.
          expect(Number.isInteger(state.counter)).toBe(true);
          expect(state.counter).toBeGreaterThanOrEqual(last);
          expect(state.pair.a).toBe(state.pair.b);
          expect(state.pair.a).toBeGreaterThanOrEqual(lastPair);
          expect(state.pair.a).toBeLessThanOrEqual(state.counter);
          if (run > 0 && state.counter > last) closedMidWrite++;
          last = state.counter;
          lastPair = state.pair.a;
          if (run < CLOSES_PER_CHAIN) await page.waitForTimeout(5 + Math.floor(Math.random() * 40));
          await page.close({ runBeforeUnload: false });
        }
        return closedMidWrite;
      }),
    );
    const closedMidWrite = closesWithProgress.reduce((total, count) => total + count, 0);
    expect(closedMidWrite).toBeGreaterThan(50);
    recordFigure(
      '22. page closed mid-write',
      'web (Chromium)',
      `100 pages closed during writes (${closedMidWrite} after some progress): the vault always reopened, every value whole, never behind`,
    );
  });

  test('a vault of 10,000 values stores, locks, unlocks and reads back; lock leaves no key or value in memory', async ({ harnessPage: page }) => {
    test.setTimeout(180_000);
    const result = await page.evaluate(async () => {
      const db = `big-${Date.now()}`;
      const vault = window.iv.createWebPlugin({ databaseName: db }).getVault({ vaultId: 'big', username: 'u' });
      await vault.setPasscodeEnabled(true);
      await vault.setPasscode('1234');
      for (let i = 0; i < 10_000; i++) await vault.storeValue(`key-${i}`, { i });
      const beforeLock = window.iv.inspectVaultMemory(vault);
      await vault.lock();
      const afterLock = window.iv.inspectVaultMemory(vault);
      const fresh = window.iv.createWebPlugin({ databaseName: db }).getVault({ vaultId: 'big', username: 'u' });
      await fresh.unlock(true, '1234');
      let wrong = 0;
      for (let i = 0; i < 10_000; i++) if (((await fresh.getValue(`key-${i}`)) as { i: number }).i !== i) wrong++;
      return { beforeLock, afterLock, wrong };
    });
    expect(result.wrong).toBe(0);
    expect(result.beforeLock.holdsDataKey).toBe(true);
    expect(result.beforeLock.cachedValues).toBe(10_000);
    expect(result.afterLock).toEqual({ locked: true, holdsDataKey: false, cachedValues: 0, inMemoryValues: 0 });
    recordFigure('Load', 'web (Chromium)', '10,000 values stored, locked, reopened in a new plugin, unlocked and read back: 0 differences');
    recordFigure('13. after lock, no key or value in memory', 'web (Chromium)', 'engine state after lock: data key dropped, 0 cached values (was 10,000)');
  });

  test('after a full workflow with biometrics, no web storage holds a value, token or passcode', async ({ harnessPage: page, authenticator }) => {
    expect(authenticator).toBeDefined();
    const dump = await page.evaluate(
      async ({ token, passcode }) => {
        const db = `canary-${Date.now()}`;
        const vault = window.iv.createWebPlugin({ databaseName: db }).getVault({ vaultId: 'c', username: 'u' });
        await vault.setPasscodeEnabled(true);
        await vault.setPasscode(passcode);
        await vault.setBiometricsEnabled(true);
        await vault.storeToken(token);
        await vault.storeValue('session', { token, note: 'CANARY-note' });
        await vault.lock();
        await vault.unlock();
        await vault.setPasscode(`${passcode}-2`);
        await vault.lock();
        return window.iv.dumpStorage();
      },
      { token: CANARY_TOKEN, passcode: CANARY_PASSCODE },
    );
    expect(dump.length).toBeGreaterThan(500);
    expect(dump).not.toContain('CANARY');
    recordFigure(
      '11. no plaintext in storage',
      'web (Chromium)',
      `IndexedDB + localStorage + sessionStorage + cookies after passcode, biometrics, token, session, re-key: ${dump.length.toLocaleString('en')} characters, 0 canaries`,
    );
  });
});

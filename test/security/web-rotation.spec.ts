/**
 * @security issue 11 (High) on the web, in real Chromium with real IndexedDB: the data key is
 * rotated in one IndexedDB transaction when protection changes. An old copy of the storage (the
 * meta record and the device key, which linger in IndexedDB's LevelDB log files) opens nothing
 * written afterwards, and a page closed in the middle of a rotation reopens at the old or the new
 * state, every value whole.
 */
import { expect, openHarness, test } from '../platforms/web/fixtures.js';
import { recordFigure } from './figures.js';

const descriptor = { vaultId: 'rot', username: 'u' };
const META = 'iv1/rot/u/meta';
/** "1 call" / "3 calls", for the figure's text. */
const calls = (n: number): string => `${n} call${n === 1 ? '' : 's'}`;

test.describe('@security web key rotation', () => {
  test('the old device-key wrap and device key, put back after a passcode was set, open no value', async ({ harnessPage: page }) => {
    const result = await page.evaluate(
      async ({ descriptor, META }) => {
        const iv = window.iv;
        const db = `rot-attack-${Date.now()}`;
        const connection = new iv.IdbConnection(db);
        const store = new iv.IndexedDbStore(connection);
        const deviceKeys = new iv.IndexedDbDeviceKey(connection);
        const vault = iv.createWebPlugin({ databaseName: db }).getVault(descriptor);
        await vault.storeValue('before', 'old secret'); // SecureStorage: device key only
        const oldMeta = (await store.get(META))!;
        const oldDeviceKey = (await deviceKeys.get({ create: false }))!;
        await vault.setPasscodeEnabled(true);
        await vault.setPasscode('1234');
        await vault.storeValue('after', 'new secret');
        const deviceKeyLeft = (await deviceKeys.get({ create: false })) !== undefined;
        // The attacker's copy: old meta and old device key back in the database.
        await store.commit({ put: [[META, oldMeta]] });
        await connection.run(iv.KEYS_STORE_NAME, 'readwrite', undefined, (keys) => void keys.put(oldDeviceKey, 'device-key'));
        const attacked = iv.createWebPlugin({ databaseName: db }).getVault(descriptor);
        const unlock = await iv.outcome(attacked.unlock());
        return {
          deviceKeyLeft,
          unlock,
          after: await iv.outcome(attacked.getValue('after')),
          before: await iv.outcome(attacked.getValue('before')),
        };
      },
      { descriptor, META },
    );
    expect(result).toMatchObject({
      deviceKeyLeft: false,
      unlock: 'resolved',
      after: { codeName: 'VaultUnavailable' },
      before: { codeName: 'VaultUnavailable' },
    });
    recordFigure(
      'Key rotation: old device wrap',
      'web (Chromium)',
      'old meta and old device key put back into IndexedDB after a passcode was set: the device key had been deleted; 0 of 2 values open',
    );
  });

  test('a rotation that finds a device key in its transaction wraps under that key, not the one it made beforehand', async ({ harnessPage: page }) => {
    // The rotation makes a device key and a wrap under it before its reads answer (issue 16); they
    // are used only when the transaction finds no device key. Here another vault's key is there.
    const result = await page.evaluate(
      async ({ descriptor }) => {
        const iv = window.iv;
        const db = `rot-found-key-${Date.now()}`;
        const deviceKeys = new iv.IndexedDbDeviceKey(new iv.IdbConnection(db));
        const plugin = iv.createWebPlugin({ databaseName: db });
        const other = plugin.getVault({ vaultId: 'other', username: 'u' });
        await other.storeValue('kept', 'other secret'); // SecureStorage: makes the device key
        const vault = plugin.getVault(descriptor);
        await vault.storeValue('a', 'secret a');
        await vault.setPasscodeEnabled(true);
        await vault.setPasscode('1234');
        const keyBefore = await deviceKeys.get({ create: false });
        await vault.setPasscodeEnabled(false); // the timed rotation: back to a device wrap
        const keyAfter = await deviceKeys.get({ create: false });
        // A new page's plugin: each vault opens through the device key stored now.
        const fresh = iv.createWebPlugin({ databaseName: db });
        const reopened = fresh.getVault(descriptor);
        const otherReopened = fresh.getVault({ vaultId: 'other', username: 'u' });
        return {
          keptThroughPasscode: keyBefore !== undefined,
          stillThere: keyAfter !== undefined,
          unlock: await iv.outcome(reopened.unlock()),
          a: await reopened.getValue('a'),
          otherUnlock: await iv.outcome(otherReopened.unlock()),
          kept: await otherReopened.getValue('kept'),
        };
      },
      { descriptor },
    );
    expect(result).toEqual({ keptThroughPasscode: true, stillThere: true, unlock: 'resolved', a: 'secret a', otherUnlock: 'resolved', kept: 'other secret' });
  });

  test('a rotation seals the values the tab holds before its reads, yet commits what storage holds: a value changed, removed or damaged under the cache is not overwritten from it', async ({
    harnessPage: page,
  }) => {
    // Issue 16: values cached with their record's fingerprint are sealed under the new key before
    // the rotation's transaction (core/known-values.ts). Here storage changes under the cache with
    // no message to this tab (as when another tab's `changed` has not arrived yet).
    const result = await page.evaluate(
      async ({ descriptor }) => {
        const iv = window.iv;
        const db = `rot-held-${Date.now()}`;
        const store = new iv.IndexedDbStore(new iv.IdbConnection(db));
        const key = (name: string) => `iv1/rot/u/v/${name}`;
        const vault = iv.createWebPlugin({ databaseName: db }).getVault(descriptor);
        await vault.setPasscodeEnabled(true);
        await vault.setPasscode('1234');
        await vault.storeValue('same', 'kept');
        await vault.storeValue('changed', 'first');
        const first = (await store.get(key('changed')))!; // the record holding 'first'
        await vault.storeValue('changed', 'second'); // this tab now holds 'second'
        await vault.storeValue('removed', 'gone soon');
        await vault.storeValue('damaged', 'damaged soon');
        const stored = (await store.get(key('damaged')))!;
        const ct = new Uint8Array(stored['ct'] as Uint8Array);
        ct[ct.length - 1]! ^= 1; // the tag no longer matches: the record does not open
        const damaged = { ...stored, ct };
        await store.commit({
          put: [
            [key('changed'), first],
            [key('damaged'), damaged],
          ],
          delete: [key('removed')],
        });
        await vault.setPasscodeEnabled(false); // the rotation, back to the device key
        const after = (await store.get(key('damaged')))!;
        const fresh = iv.createWebPlugin({ databaseName: db }).getVault(descriptor);
        await fresh.unlock();
        return {
          same: await fresh.getValue('same'),
          changed: await fresh.getValue('changed'),
          removed: await fresh.getValue('removed'),
          damaged: await iv.outcome(fresh.getValue('damaged')),
          damagedLeftAsItWas: JSON.stringify([...(after['ct'] as Uint8Array)]) === JSON.stringify([...ct]) && after['iv'] !== undefined,
          held: { same: await vault.getValue('same'), changed: await vault.getValue('changed'), removed: await vault.getValue('removed') },
        };
      },
      { descriptor },
    );
    expect(result).toEqual({
      same: 'kept',
      changed: 'first',
      removed: undefined,
      damaged: expect.objectContaining({ codeName: 'VaultUnavailable' }),
      damagedLeftAsItWas: true,
      held: { same: 'kept', changed: 'first', removed: undefined },
    });
    recordFigure(
      'Key rotation: values held, storage changed under them',
      'web (Chromium)',
      'a value changed, one removed and one damaged in storage after the tab cached them, with no message to it: the rotation that sealed its cached values beforehand committed what storage held (the older value, no value, the damaged record as it was), 0 of 3 overwritten from the cache',
    );
  });

  // 100 values: the rotating tab seals the values it holds before its transaction (issue 16); 500:
  // more than it seals so, read and re-encrypted in parts (core/key-rotation.ts `EARLY_MAX`).
  for (const count of [100, 500] as const) {
    test(`another tab writing and removing during a rotation of ${count} values loses nothing: each write lands in the new state or fails with VaultLocked`, async ({
      harnessPage: page,
    }) => {
      test.setTimeout(120_000);
      const result = await page.evaluate(
        async ({ descriptor, count }) => {
          const iv = window.iv;
          const db = `rot-concurrent-${count}-${Date.now()}`;
          const a = iv.createWebPlugin({ databaseName: db }).getVault(descriptor);
          for (let i = 0; i < count; i++) await a.storeValue(`k${i}`, { i, pad: 'x'.repeat(100) });
          await a.setPasscodeEnabled(true);
          await a.setPasscode('1234');
          // Tab B: its own plugin, connection and BroadcastChannel on the same database, unlocked.
          const b = iv.createWebPlugin({ databaseName: db }).getVault(descriptor);
          await b.unlock(true, '1234');
          let rotating = true;
          let rotation: Promise<unknown> | undefined;
          const writes: Array<{ key: string; removed?: boolean; during: boolean; outcome: string }> = [];
          for (let i = 0; rotating || i < 3; i++) {
            // A turns the passcode off (a rotation back to the device key, no KDF) while B keeps writing.
            if (i === 3) rotation = a.setPasscodeEnabled(false).finally(() => (rotating = false));
            // Every fifth call removes one of A's values instead of writing a new one.
            const removed = i % 5 === 4 && i < count;
            const key = removed ? `k${i}` : `b${i}`;
            const outcome = await iv.outcome(removed ? b.removeValue(key) : b.storeValue(key, { b: i }));
            writes.push({
              key,
              ...(removed ? { removed } : {}),
              during: rotation !== undefined,
              outcome: outcome === 'resolved' ? outcome : (outcome.codeName ?? String(outcome.message)),
            });
          }
          await rotation;
          // A holds the new key: every write B saw resolve is there; every removal B saw resolve stays removed.
          let lost = 0;
          for (const write of writes.filter((w) => w.outcome === 'resolved')) {
            const value = await a.getValue(write.key);
            if (write.removed ? value !== undefined : (value as { b?: number } | undefined)?.b !== Number(write.key.slice(1))) lost++;
          }
          // And what B's refused calls did not change is as it was.
          let changed = 0;
          for (const write of writes.filter((w) => w.outcome !== 'resolved')) {
            const value = await a.getValue(write.key);
            if (write.removed ? (value as { i?: number } | undefined)?.i !== Number(write.key.slice(1)) : value !== undefined) changed++;
          }
          const config = await a.getConfig();
          return {
            lost,
            changed,
            resolved: writes.filter((w) => w.outcome === 'resolved').length,
            refused: [...new Set(writes.filter((w) => w.outcome !== 'resolved').map((w) => w.outcome))],
            refusedCount: writes.filter((w) => w.outcome !== 'resolved').length,
            during: writes.filter((w) => w.during).length,
            resolvedDuring: writes.filter((w) => w.during && w.outcome === 'resolved').length,
            device: config.isSecureStorageModeEnabled,
          };
        },
        { descriptor, count },
      );
      expect(result.device).toBe(true);
      expect(result.lost).toBe(0);
      expect(result.changed).toBe(0);
      expect(result.resolved).toBeGreaterThan(0);
      expect(result.during).toBeGreaterThan(0);
      // 500 values take long enough that some writes always wait for the transaction; 100 may not.
      if (count === 500) expect(result.refusedCount).toBeGreaterThan(0);
      expect(result.refused).toEqual(result.refusedCount > 0 ? ['VaultLocked'] : []);
      recordFigure(
        count === 500 ? 'Key rotation: another tab writing meanwhile' : 'Key rotation: another tab writing meanwhile, values held',
        'web (Chromium)',
        `a second tab writing and removing values before and while another rotates ${count} values${count === 500 ? '' : ' it holds (sealed before its transaction)'} (${calls(result.during)} made while the rotation ran: ${result.resolvedDuring} landed before its transaction, ${result.refusedCount} waited for it and failed with VaultLocked, changing nothing): every call that resolved (${result.resolved}) is in the new state, 0 lost`,
      );
    });
  }

  // Each page reads every value before it rotates, so it holds them all: 100 are sealed before the
  // rotation's transaction (issue 16, core/known-values.ts), 500 are read and re-encrypted in parts.
  for (const COUNT of [100, 500] as const) {
    test(`pages closed in the middle of rotations of ${COUNT} values always reopen at the old or the new state`, async ({ context, server }) => {
      test.setTimeout(240_000);
      const db = `rot-crash-${COUNT}-${Date.now()}`;
      const setup = await context.newPage();
      await openHarness(setup, server);
      await setup.evaluate(
        async ({ db, descriptor, COUNT }) => {
          const vault = window.iv.createWebPlugin({ databaseName: db }).getVault(descriptor);
          for (let i = 0; i < COUNT; i++) await vault.storeValue(`k${i}`, { i, pad: 'x'.repeat(100) });
        },
        { db, descriptor, COUNT },
      );
      await setup.close();
      const states: string[] = [];
      let wrong = 0;
      let deviceRuns = 0;
      const RUNS = 16;
      for (let run = 0; run <= RUNS; run++) {
        const page = await context.newPage();
        await openHarness(page, server);
        const seen = await page.evaluate(
          async ({ db, descriptor, COUNT, run, rotate }) => {
            const iv = window.iv;
            const platform = iv.createWebPlatform({ databaseName: db });
            // Each launch is a minute after the last, so a rotation mark left by a closed page has expired.
            const clock = { now: () => Date.now() + run * 61_000, setTimer: platform.clock.setTimer.bind(platform.clock) };
            const vault = iv.createPlugin({ ...platform, clock }).getVault(descriptor);
            const config = await vault.getConfig();
            const passcodeSet = config.isPasscodeEnabled && !config.isPasscodeSetupNeeded;
            await vault.unlock(passcodeSet ? true : undefined, passcodeSet ? '1234' : undefined);
            let bad = 0;
            for (let i = 0; i < COUNT; i++) {
              const value = (await vault.getValue(`k${i}`)) as { i: number } | undefined;
              if (value?.i !== i) bad++;
            }
            if (rotate) {
              // Not awaited: the page is closed while this runs.
              void (async () => {
                if (passcodeSet) await vault.setPasscodeEnabled(false);
                else {
                  await vault.setPasscodeEnabled(true);
                  await vault.setPasscode('1234');
                }
              })().catch(() => undefined);
            }
            return { state: passcodeSet ? 'passcode' : 'device', bad };
          },
          { db, descriptor, COUNT, run, rotate: run < RUNS },
        );
        states.push(seen.state);
        wrong += seen.bad;
        // Setting a passcode runs the KDF (600,000 PBKDF2 rounds) before it commits, so closing such a
        // page at once always lands before the commit; on a quiet machine a random wait alone can
        // outlast every rotation. Every other rotation from the device state is closed at once, so the
        // old state is always among the outcomes; the rest wait at random, which lets rotations commit.
        if (seen.state === 'device') deviceRuns++;
        const closeAtOnce = seen.state === 'device' && deviceRuns % 2 === 1;
        if (run < RUNS && !closeAtOnce) await page.waitForTimeout(20 + Math.floor(Math.random() * 400));
        await page.close({ runBeforeUnload: false });
      }
      expect(wrong).toBe(0);
      const changes = states.filter((state, i) => i > 0 && state !== states[i - 1]).length;
      const kept = RUNS - changes;
      // Both outcomes must occur: some pages were closed before the rotation committed, some after.
      expect(changes).toBeGreaterThan(0);
      expect(kept).toBeGreaterThan(0);
      recordFigure(
        COUNT === 500 ? 'Key rotation: page closed mid-rotation' : 'Key rotation: page closed mid-rotation, values held',
        'web (Chromium)',
        `${RUNS} pages closed during a rotation of ${COUNT} values${COUNT === 500 ? '' : ' they held (sealed before the transaction)'}: ${changes} reopened at the new state, ${kept} at the old, 0 values wrong or missing`,
      );
    });
  }
});

/**
 * The IndexedDB `SecretStore` in real Chromium: round trips, prefixes, atomic guarded commits,
 * read-modify-write, error mapping, and writes from two tabs at once.
 */
import type { Page } from '@playwright/test';
import { expect, openHarness, test } from './fixtures.js';

test('get, keys, hasPrefix and commit round-trip plain JSON records', async ({ harnessPage: page }) => {
  const result = await page.evaluate(async () => {
    const store = new window.iv.IndexedDbStore(new window.iv.IdbConnection('t-roundtrip'));
    const record = { s: 'x', n: 1, b: true, z: null, a: [1, 'two'], o: { deep: ['y'] } };
    await store.commit({
      put: [
        ['v/a', record],
        ['v/b', { n: 2 }],
        ['w/c', { n: 3 }],
      ],
    });
    return {
      a: await store.get('v/a'),
      missing: await store.get('v/missing'),
      keysV: (await store.keys('v/')).sort(),
      keysAll: (await store.keys('')).sort(),
      hasV: await store.hasPrefix('v/'),
      hasX: await store.hasPrefix('x/'),
    };
  });
  expect(result.a).toEqual({ s: 'x', n: 1, b: true, z: null, a: [1, 'two'], o: { deep: ['y'] } });
  expect(result.missing).toBeUndefined();
  expect(result.keysV).toEqual(['v/a', 'v/b']);
  expect(result.keysAll).toEqual(['v/a', 'v/b', 'w/c']);
  expect(result.hasV).toBe(true);
  expect(result.hasX).toBe(false);
});

test('prefix ranges are exact, including keys past U+FFFF boundaries', async ({ harnessPage: page }) => {
  const keys = await page.evaluate(async () => {
    const store = new window.iv.IndexedDbStore(new window.iv.IdbConnection('t-prefix'));
    const all = ['p', 'p\uffff', 'p\uffff\uffff', 'pa', 'p\u{1F600}', 'q', 'o\uffff', 'p\uffffz'];
    await store.commit({ put: all.map((k) => [k, { k }] as const) });
    const result = {
      p: (await store.keys('p')).sort(),
      pMax: (await store.keys('p\uffff')).sort(),
    };
    await store.commit({ deletePrefixes: ['p\uffff'] });
    return { ...result, afterDelete: (await store.keys('')).sort() };
  });
  expect(keys.p).toEqual(['p', 'pa', 'p\u{1F600}', 'p\uffff', 'p\uffff\uffff', 'p\uffffz'].sort());
  expect(keys.pMax).toEqual(['p\uffff', 'p\uffff\uffff', 'p\uffffz'].sort());
  expect(keys.afterDelete).toEqual(['o\uffff', 'p', 'pa', 'p\u{1F600}', 'q'].sort());
});

test('commit applies deletePrefixes, deletes and puts atomically; a failed guard writes nothing', async ({ harnessPage: page }) => {
  const result = await page.evaluate(async () => {
    const store = new window.iv.IndexedDbStore(new window.iv.IdbConnection('t-commit'));
    await store.commit({
      put: [
        ['v/meta', { version: 1 }],
        ['v/x', { x: 1 }],
        ['v/y', { y: 1 }],
        ['keep', { k: 1 }],
      ],
    });
    const refused = await store.commit({
      guard: { key: 'v/meta', test: (r) => r?.['version'] === 2 },
      deletePrefixes: ['v/'],
      delete: ['keep'],
      put: [['new', { n: 1 }]],
    });
    const afterRefused = (await store.keys('')).sort();
    const accepted = await store.commit({
      guard: { key: 'v/meta', test: (r) => r?.['version'] === 1 },
      deletePrefixes: ['v/'],
      delete: ['keep'],
      put: [
        ['v/meta', { version: 2 }],
        ['new', { n: 1 }],
      ],
    });
    const absentGuard = await store.commit({ guard: { key: 'nope', test: (r) => r === undefined }, put: [['g', { g: 1 }]] });
    return { refused, afterRefused, accepted, after: (await store.keys('')).sort(), meta: await store.get('v/meta'), absentGuard };
  });
  expect(result.refused).toBe(false);
  expect(result.afterRefused).toEqual(['keep', 'v/meta', 'v/x', 'v/y']);
  expect(result.accepted).toBe(true);
  expect(result.after).toEqual(['g', 'new', 'v/meta']);
  expect(result.meta).toEqual({ version: 2 });
  expect(result.absentGuard).toBe(true);
});

test('a guard that throws aborts the commit and rejects with its own error', async ({ harnessPage: page }) => {
  const result = await page.evaluate(async () => {
    const store = new window.iv.IndexedDbStore(new window.iv.IdbConnection('t-throw'));
    const outcome = await window.iv.outcome(
      store.commit({
        guard: {
          key: 'g',
          test: () => {
            throw new RangeError('guard bug');
          },
        },
        put: [['a', { a: 1 }]],
      }),
    );
    return { outcome, keys: await store.keys('') };
  });
  expect(result.outcome).toMatchObject({ name: 'RangeError', message: 'guard bug' });
  expect(result.keys).toEqual([]);
});

test('update is an atomic read-modify-write; returning undefined deletes', async ({ harnessPage: page }) => {
  const result = await page.evaluate(async () => {
    const store = new window.iv.IndexedDbStore(new window.iv.IdbConnection('t-update'));
    // 50 concurrent increments: each one reads what the previous one wrote.
    await Promise.all(Array.from({ length: 50 }, () => store.update('count', (r) => ({ n: ((r?.['n'] as number) ?? 0) + 1 }))));
    const counted = await store.get('count');
    const removed = await store.update('count', () => undefined);
    return { counted, removed, after: await store.get('count') };
  });
  expect(result.counted).toEqual({ n: 50 });
  expect(result.removed).toBeUndefined();
  expect(result.after).toBeUndefined();
});

test('records are written with strict durability and IndexedDB failures become VaultUnavailable', async ({ harnessPage: page }) => {
  const result = await page.evaluate(async () => {
    const { seen, stop } = window.iv.watchTransactions();
    const store = new window.iv.IndexedDbStore(new window.iv.IdbConnection('t-durability'));
    await store.commit({ put: [['a', { a: 1 }]] });
    await store.update('a', () => ({ a: 2 }));
    await store.get('a');
    stop();
    // A value that cannot be structured-cloned: IndexedDB throws DataCloneError.
    const bad = await window.iv.outcome(store.commit({ put: [['f', { f: (() => 1) as unknown as string }]] }));
    return { seen, bad, a: await store.get('a'), f: await store.get('f') };
  });
  expect(result.seen).toEqual(['readwrite:strict', 'readwrite:strict', 'readonly:strict']);
  expect(result.bad).toMatchObject({ name: 'VaultError', codeName: 'VaultUnavailable', causeName: 'DataCloneError' });
  expect(result.a).toEqual({ a: 2 });
  expect(result.f).toBeUndefined();
});

test('a commit is strict unless it asks for relaxed durability', async ({ harnessPage: page }) => {
  const seen = await page.evaluate(async () => {
    const store = new window.iv.IndexedDbStore(new window.iv.IdbConnection('t-durability'));
    await store.get('warm-up'); // the connection opened outside the watch
    const { seen, stop } = window.iv.watchTransactions();
    await store.commit({ put: [['a', { n: 1 }]], durability: 'relaxed' });
    await store.commit({ put: [['b', { n: 2 }]] });
    stop();
    return seen;
  });
  expect(seen).toEqual(['readwrite:relaxed', 'readwrite:strict']);
});

test('the connection survives a versionchange from another tab (reopened on demand)', async ({ harnessPage: page }) => {
  const result = await page.evaluate(async () => {
    const store = new window.iv.IndexedDbStore(new window.iv.IdbConnection('t-version'));
    await store.commit({ put: [['a', { a: 1 }]] });
    // Another tab deletes the database: our connection must close on versionchange, not block it.
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase('t-version');
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('blocked'));
    });
    const afterDelete = await store.get('a');
    await store.commit({ put: [['b', { b: 1 }]] });
    return { afterDelete, b: await store.get('b') };
  });
  expect(result.afterDelete).toBeUndefined();
  expect(result.b).toEqual({ b: 1 });
});

test('two tabs writing at once lose nothing', async ({ context, harnessPage: page, server }) => {
  const other = await context.newPage();
  await openHarness(other, server);
  const writer = async (tabName: string) => {
    const store = new window.iv.IndexedDbStore(new window.iv.IdbConnection('t-two-tabs'));
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        await store.commit({ put: [[`${tabName}/${i}`, { i }]] });
        await store.update('counter', (r) => ({ n: ((r?.['n'] as number) ?? 0) + 1 }));
      }),
    );
  };
  await Promise.all([page.evaluate(writer, 'a'), other.evaluate(writer, 'b')]);
  const result = await page.evaluate(async () => {
    const store = new window.iv.IndexedDbStore(new window.iv.IdbConnection('t-two-tabs'));
    return { a: (await store.keys('a/')).length, b: (await store.keys('b/')).length, counter: await store.get('counter') };
  });
  expect(result).toEqual({ a: 100, b: 100, counter: { n: 200 } });
});

test('reads issued in one task share one readonly transaction; a read issued before a write sees the state before it', async ({ harnessPage: page }) => {
  const result = await page.evaluate(async () => {
    const store = new window.iv.IndexedDbStore(new window.iv.IdbConnection('t-read-batch'));
    await store.commit({ put: Array.from({ length: 200 }, (_, i) => [`v/${i}`, { i }] as const) });
    // Count the transactions the store opens from here on.
    const modes: string[] = [];
    const original = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      modes.push(args[1] ?? 'readonly');
      return original.apply(this, args);
    } as IDBDatabase['transaction'];
    try {
      const many = await Promise.all(Array.from({ length: 200 }, (_, i) => store.get(`v/${i}`)));
      const batchModes = [...modes];
      modes.length = 0;
      // Same task: a read, then a write of the same key, then a read.
      const before = store.get('v/0');
      const write = store.commit({ put: [['v/0', { i: 'new' }]] });
      const after = store.get('v/0');
      const [seenBefore, , seenAfter] = await Promise.all([before, write, after]);
      return { ok: many.every((record, i) => (record as { i: number }).i === i), batchModes, seenBefore, seenAfter, orderModes: modes };
    } finally {
      IDBDatabase.prototype.transaction = original;
    }
  });
  expect(result.ok).toBe(true);
  expect(result.batchModes).toEqual(['readonly']);
  expect(result.seenBefore).toEqual({ i: 0 });
  expect(result.seenAfter).toEqual({ i: 'new' });
  expect(result.orderModes).toEqual(['readonly', 'readwrite', 'readonly']);
});

test('rewrite: one strict transaction reads guard, device key and records, calls finish beside the reads, stays open while it works, then writes; another connection waits for it', async ({
  harnessPage: page,
}) => {
  const result = await page.evaluate(async () => {
    const iv = window.iv;
    const name = `t-rewrite-${Date.now()}`;
    const store = new iv.IndexedDbStore(new iv.IdbConnection(name));
    const other = new iv.IndexedDbStore(new iv.IdbConnection(name)); // another tab's connection
    const deviceKeys = new iv.IndexedDbDeviceKey(new iv.IdbConnection(name));
    const many = Array.from({ length: 600 }, (_, i) => [`v/${String(i).padStart(4, '0')}`, { i }] as const);
    await store.commit({ put: [['meta', { kid: 'a' }], ...many, ['w/1', { n: 1 }]] });
    const guard = (kid: string) => ({ key: 'meta', test: (meta: unknown) => (meta as { kid?: string } | undefined)?.kid === kid });
    const fresh = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
    const { seen, stop } = iv.watchTransactions();
    const parts: number[] = [];
    const partKeys: string[] = [];
    const order: string[] = [];
    let partsAtFinish = -1;
    const failingPart = await iv.outcome(
      store.rewrite(
        { guard: guard('a'), prefix: 'v/' },
        () => Promise.reject(new Error('part failed')),
        async () => ({ change: { put: [['meta', { kid: 'x' }]] } }),
      ),
    );
    let otherWrite: Promise<boolean> | undefined;
    const ok = await store.rewrite(
      { guard: guard('a'), prefix: 'v/', deviceKey: true },
      (records) => {
        parts.push(records.length);
        partKeys.push(...records.map(([key]) => key));
        // A part's own writes, ready a little later: put in the same transaction.
        return new Promise((resolve) => setTimeout(() => resolve([[records[0]![0], { early: true }]]), 10));
      },
      async (found) => {
        order.push(`finish:${found.deviceKey === undefined ? 'no key' : 'key'}`);
        partsAtFinish = parts.length; // called once the guard and the device key are read, beside the records
        // Another tab writes while the transaction is open: it waits, then finds the new meta.
        otherWrite = other.commit({ guard: guard('a'), put: [['v/0000', { i: 'lost?' }]] }).then((done) => (order.push('other'), done));
        await new Promise((resolve) => setTimeout(resolve, 50)); // async work (WebCrypto in a rotation)
        order.push('finished');
        return {
          change: {
            // Records no part writes (the order between a part's puts and finish's writes is not defined).
            put: [
              ['meta', { kid: 'b' }],
              ['v/0002', { i: -1 }],
            ],
            delete: ['v/0001'],
          },
          deviceKey: fresh,
        };
      },
    );
    order.push('committed');
    const otherDone = await otherWrite;
    stop();
    const stale = await store.rewrite(
      { guard: guard('a'), prefix: 'v/' },
      () => void order.push('read refused'),
      async () => {
        throw new Error('never called');
      },
    );
    const failing = await iv.outcome(
      store.rewrite(
        { guard: guard('b'), prefix: 'v/' },
        () => undefined,
        async () => {
          throw new Error('finish failed');
        },
      ),
    );
    return {
      ok,
      parts,
      partKeys,
      order,
      partsAtFinish,
      otherDone,
      seen,
      stale,
      failing,
      failingPart,
      meta: await store.get('meta'),
      v0: await store.get('v/0000'),
      v1: await store.get('v/0001'),
      v2: await store.get('v/0002'),
      v256: await store.get('v/0256'),
      deviceKeyStored: (await deviceKeys.get({ create: false })) === fresh ? 'same object' : (await deviceKeys.get({ create: false })) ? 'stored' : 'none',
    };
  });
  expect(result.ok).toBe(true);
  expect(result.parts.reduce((a, b) => a + b, 0)).toBe(600);
  expect(result.parts.length).toBeGreaterThan(1);
  // Every record once, in key order, across the parts.
  expect(result.partKeys).toEqual(Array.from({ length: 600 }, (_, i) => `v/${String(i).padStart(4, '0')}`));
  // The other connection's write waited for the whole transaction, then failed its guard: nothing lost, nothing mixed.
  expect(result.order).toEqual(['finish:no key', 'finished', 'committed', 'other']);
  expect(result.partsAtFinish).toBe(0);
  expect(result.otherDone).toBe(false);
  expect(result.seen[0]).toBe('readwrite:strict');
  expect(result.meta).toEqual({ kid: 'b' });
  expect(result.v0).toEqual({ early: true }); // the first part's first record
  expect(result.v1).toBeUndefined();
  expect(result.v2).toEqual({ i: -1 });
  expect(result.v256).toEqual({ early: true }); // the second part's first record
  expect(result.deviceKeyStored).toBe('stored');
  // A failed guard reads nothing and writes nothing; a failing finish rejects with its error and writes nothing.
  expect(result.stale).toBe(false);
  expect(result.failing).toMatchObject({ message: 'finish failed' });
  expect(result.failingPart).toMatchObject({ message: 'part failed' }); // and the meta stayed 'a' until the rewrite above
});

/**
 * The rotation's transaction reads records with one request where the browser has
 * `getAllRecords` (Chromium here), and with `getAllKeys` + `getAll` where it does not (src/web/read-records.ts):
 * the rewrite tests run both ways, the second with `getAllRecords` taken off the prototype for the test.
 */
const READ_WAYS = ['getAllRecords', 'getAllKeys and getAll'] as const;

/**
 * Makes the test's own page (a new one per test: nothing to put back) read records `way`, counting
 * the one-request reads (see {@link oneRequestReads}).
 */
async function readRecordsThe(way: (typeof READ_WAYS)[number], page: Page): Promise<void> {
  await page.evaluate((way) => {
    const proto = IDBObjectStore.prototype as unknown as Record<string, unknown>;
    const original = proto['getAllRecords'];
    if (typeof original !== 'function') throw new Error('this Chromium has no IDBObjectStore.getAllRecords');
    const counted = window as unknown as { oneRequestReads: number };
    counted.oneRequestReads = 0;
    if (way === 'getAllKeys and getAll') delete proto['getAllRecords'];
    else
      proto['getAllRecords'] = function (this: IDBObjectStore, ...args: unknown[]) {
        counted.oneRequestReads++;
        return (original as (...args: unknown[]) => unknown).apply(this, args);
      };
  }, way);
}

/** How many reads used `getAllRecords` since {@link readRecordsThe}. */
function oneRequestReads(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { oneRequestReads: number }).oneRequestReads);
}

for (const way of READ_WAYS) {
  test(`rewrite reads parts at their edges: no record, exactly one full part, one record past it; each record once, each put lands (${way})`, async ({
    harnessPage: page,
  }) => {
    await readRecordsThe(way, page);
    const result = await page.evaluate(async () => {
      const iv = window.iv;
      const runs: Array<{ count: number; parts: number[]; keysInOrder: boolean; rewritten: number; meta: unknown }> = [];
      for (const count of [0, 256, 257]) {
        const store = new iv.IndexedDbStore(new iv.IdbConnection(`t-rewrite-edges-${count}-${Date.now()}`));
        const keys = Array.from({ length: count }, (_, i) => `v/${String(i).padStart(4, '0')}`);
        // Records just outside the prefix on both sides must not be read.
        await store.commit({ put: [['meta', { kid: 'a' }], ['u/last', { n: 0 }], ['w/first', { n: 0 }], ...keys.map((key, i) => [key, { i }] as const)] });
        const parts: number[] = [];
        const seen: string[] = [];
        const ok = await store.rewrite(
          { guard: { key: 'meta', test: (meta) => meta?.['kid'] === 'a' }, prefix: 'v/' },
          async (records) => {
            parts.push(records.length);
            seen.push(...records.map(([key]) => key));
            await new Promise((resolve) => setTimeout(resolve, 5)); // asynchronous, as WebCrypto is
            return records.map(([key, record]) => [key, { ...record, rewritten: true }] as const);
          },
          async () => ({ change: { put: [['meta', { kid: 'b' }]] } }),
        );
        if (!ok) throw new Error('the rewrite did not commit');
        const after = await Promise.all(keys.map((key) => store.get(key)));
        runs.push({
          count,
          parts,
          keysInOrder: JSON.stringify(seen) === JSON.stringify(keys),
          rewritten: after.filter((record) => record?.['rewritten'] === true).length,
          meta: await store.get('meta'),
        });
      }
      return runs;
    });
    expect(result).toEqual([
      { count: 0, parts: [0], keysInOrder: true, rewritten: 0, meta: { kid: 'b' } },
      { count: 256, parts: [256], keysInOrder: true, rewritten: 256, meta: { kid: 'b' } },
      { count: 257, parts: [256, 1], keysInOrder: true, rewritten: 257, meta: { kid: 'b' } },
    ]);
    // One first-part read per rewrite, the way asked for.
    expect(await oneRequestReads(page)).toBe(way === 'getAllRecords' ? 3 : 0);
  });

  test(`rewrite with early records: reads see the records as they were, early puts land before the parts’ puts (which win), an early record whose key was not read is deleted again, and all records come in one part (${way})`, async ({
    harnessPage: page,
  }) => {
    await readRecordsThe(way, page);
    const result = await page.evaluate(async () => {
      const iv = window.iv;
      const store = new iv.IndexedDbStore(new iv.IdbConnection(`t-rewrite-early-${Date.now()}`));
      const keys = Array.from({ length: 300 }, (_, i) => `v/${String(i).padStart(4, '0')}`);
      const initial = [['meta', { kid: 'a' }], ['w/out', { n: 0 }], ...keys.map((key, i) => [key, { i }] as const)] as const;
      await store.commit({ put: [...initial] });
      const guard = (kid: string) => ({ key: 'meta', test: (meta: unknown) => (meta as { kid?: string } | undefined)?.kid === kid });
      // Early copies for two stored keys and one that is not stored (as if removed by another tab).
      const early = [
        ['v/0000', { early: 0 }],
        ['v/0001', { early: 1 }],
        ['v/9999', { early: 'gone' }],
      ] as const;
      // A guard that fails: nothing lands, not even an early record.
      const refused = await store.rewrite(
        { guard: guard('nope'), prefix: 'v/', early },
        () => undefined,
        async () => ({ change: {} }),
      );
      const afterRefused = await Promise.all(['v/0000', 'v/9999'].map((key) => store.get(key)));
      const parts: number[] = [];
      let seenFirst: unknown;
      const ok = await store.rewrite(
        { guard: guard('a'), prefix: 'v/', early },
        (records) => {
          parts.push(records.length);
          seenFirst = records[0]![1];
          // v/0001 corrected later, asynchronously (as a re-encryption is): it must win over its early put.
          return new Promise((resolve) => setTimeout(() => resolve([['v/0001', { fixed: 1 }]]), 10));
        },
        async () => ({ change: { put: [['meta', { kid: 'b' }]] } }),
      );
      return {
        refused,
        afterRefused,
        ok,
        parts,
        seenFirst,
        v0: await store.get('v/0000'),
        v1: await store.get('v/0001'),
        v2: await store.get('v/0002'),
        gone: await store.get('v/9999'),
        outside: await store.get('w/out'),
        meta: await store.get('meta'),
        count: (await store.keys('v/')).length,
      };
    });
    expect(result).toEqual({
      refused: false,
      afterRefused: [{ i: 0 }, undefined],
      ok: true,
      parts: [300],
      seenFirst: { i: 0 },
      v0: { early: 0 },
      v1: { fixed: 1 },
      v2: { i: 2 },
      gone: undefined,
      outside: { n: 0 },
      meta: { kid: 'b' },
      count: 300,
    });
    // Two rewrites (the refused one reads too), the way asked for.
    expect(await oneRequestReads(page)).toBe(way === 'getAllRecords' ? 2 : 0);
  });
}

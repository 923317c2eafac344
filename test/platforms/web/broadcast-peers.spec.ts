/**
 * BroadcastChannel peers: a message from one tab reaches another within 100 ms; a tab does not
 * hear itself; malformed messages are ignored; a tab alone sends no `changed` message, and sends
 * the keys it wrote meanwhile as soon as another tab is heard (its hello, or anything else).
 */
import { expect, openHarness, test } from './fixtures.js';

test('a message from one page reaches another page of the origin within 100 ms', async ({ context, harnessPage: page, server }) => {
  const other = await context.newPage();
  await openHarness(other, server);
  await other.evaluate(() => {
    const peers = new window.iv.BroadcastPeers('t-peers');
    const received: Array<{ message: unknown; at: number }> = [];
    peers.subscribe((message) => received.push({ message, at: Date.now() }));
    window.iv.scratch['received'] = received;
    window.iv.scratch['peers'] = peers;
  });
  const sent = await page.evaluate(async () => {
    const peers = new window.iv.BroadcastPeers('t-peers');
    const own: unknown[] = [];
    peers.subscribe((message) => own.push(message));
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      times.push(Date.now());
      peers.post({ type: 'lock', vault: `v${i}`, timeout: false });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Not a PeerMessage: ignored by the receiver.
    new BroadcastChannel('t-peers').postMessage({ type: 'lock', vault: 1 });
    new BroadcastChannel('t-peers').postMessage('hello');
    peers.post({ type: 'changed', vault: 'v', keys: ['a', 'b'] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { times, own };
  });
  await expect.poll(() => other.evaluate(() => (window.iv.scratch['received'] as unknown[]).length)).toBe(21);
  const received = await other.evaluate(() => window.iv.scratch['received'] as Array<{ message: { vault: string }; at: number }>);
  const latencies = received.slice(0, 20).map((r, i) => r.at - sent.times[i]!);
  console.log(`BroadcastChannel latency ms: max ${Math.max(...latencies)}, median ${latencies.sort((a, b) => a - b)[10]}`);
  expect(Math.max(...latencies)).toBeLessThan(100);
  expect(received.slice(0, 20).map((r) => r.message.vault)).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`));
  expect(received[20]!.message).toEqual({ type: 'changed', vault: 'v', keys: ['a', 'b'] });
  expect(sent.own).toEqual([]); // a tab never hears its own messages
});

test('changed messages: sent one task later, consecutive ones for a vault as one, never after a later message', async ({
  context,
  harnessPage: page,
  server,
}) => {
  const other = await context.newPage();
  await openHarness(other, server);
  await other.evaluate(() => {
    const received: unknown[] = [];
    new window.iv.BroadcastPeers('t-order').subscribe((message) => received.push(message));
    window.iv.scratch['received'] = received;
  });
  const sentSynchronously = await page.evaluate(async () => {
    const peers = new window.iv.BroadcastPeers('t-order');
    const probe = new BroadcastChannel('t-order');
    const seen: unknown[] = [];
    peers.subscribe(() => undefined); // opens the channel: says hello, and the other tab answers
    await new Promise((resolve) => setTimeout(resolve, 100));
    probe.onmessage = (event) => seen.push(event.data);
    peers.post({ type: 'changed', vault: 'a', keys: ['x'] });
    peers.post({ type: 'changed', vault: 'a', keys: ['y', 'x'] });
    peers.post({ type: 'changed', vault: 'b', keys: ['z'] });
    peers.post({ type: 'lock', vault: 'a', timeout: false }); // sends the pending changes first
    peers.post({ type: 'changed', vault: 'a', keys: ['w'] });
    const inSameTask = seen.length; // nothing is delivered within the posting task
    await new Promise((resolve) => setTimeout(resolve, 100));
    probe.close();
    return { inSameTask, seen };
  });
  expect(sentSynchronously.inSameTask).toBe(0);
  const expected = [
    { type: 'changed', vault: 'a', keys: ['x', 'y'] },
    { type: 'changed', vault: 'b', keys: ['z'] },
    { type: 'lock', vault: 'a', timeout: false },
    { type: 'changed', vault: 'a', keys: ['w'] },
  ];
  expect(sentSynchronously.seen).toEqual(expected);
  await expect.poll(() => other.evaluate(() => window.iv.scratch['received'])).toEqual(expected);
});

test('pagehide sends what is pending at once, so a tab leaving right after a write still tells the others', async ({ harnessPage: page }) => {
  const calls = await page.evaluate(async () => {
    // Count the channel's sends as they happen (delivery to other tabs is asynchronous).
    const { sent, stop } = window.iv.watchChannelSends();
    try {
      const peers = new window.iv.BroadcastPeers('t-leave');
      const other = new BroadcastChannel('t-leave');
      peers.subscribe(() => undefined);
      other.postMessage({ type: 'here' }); // a peer is heard
      await new Promise((resolve) => setTimeout(resolve, 50));
      sent.length = 0;
      peers.post({ type: 'changed', vault: 'a', keys: ['token'] });
      const beforePagehide = sent.length;
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
      other.close();
      return { beforePagehide, afterPagehide: [...sent] };
    } finally {
      stop();
    }
  });
  expect(calls.beforePagehide).toBe(0);
  expect(calls.afterPagehide).toEqual([{ type: 'changed', vault: 'a', keys: ['token'] }]);
});

test('alone, a tab sends no changed message; the keys it wrote go out when a peer says hello, and each hello is answered', async ({
  context,
  harnessPage: page,
  server,
}) => {
  const alone = await page.evaluate(async () => {
    // Count the channel's sends as they happen (delivery to other tabs is asynchronous).
    const { sent, stop } = window.iv.watchChannelSends();
    try {
      const peers = new window.iv.BroadcastPeers('t-alone');
      peers.subscribe(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (let i = 0; i < 5; i++) {
        peers.post({ type: 'changed', vault: 'a', keys: [`k${i % 2}`] });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      peers.post({ type: 'changed', vault: 'b', keys: ['z'] });
      await new Promise((resolve) => setTimeout(resolve, 50));
      window.iv.scratch['peers'] = peers;
      return sent;
    } finally {
      stop();
    }
  });
  expect(alone).toEqual([{ type: 'hello' }]); // nothing but its own hello
  const other = await context.newPage();
  await openHarness(other, server);
  const heard = await other.evaluate(async () => {
    const received: unknown[] = [];
    const raw: unknown[] = [];
    const probe = new BroadcastChannel('t-alone');
    probe.onmessage = (event) => raw.push(event.data);
    new window.iv.BroadcastPeers('t-alone').subscribe((message) => received.push(message));
    window.iv.scratch['received'] = received;
    await new Promise((resolve) => setTimeout(resolve, 200));
    probe.close();
    return { received: [...received], raw };
  });
  // The kept keys, one message per vault, then the answer to the hello; presence never reaches listeners.
  expect(heard.received).toEqual([
    { type: 'changed', vault: 'a', keys: ['k0', 'k1'] },
    { type: 'changed', vault: 'b', keys: ['z'] },
  ]);
  expect(heard.raw).toEqual(expect.arrayContaining([{ type: 'hello' }, { type: 'here' }]));
  // From now on the first tab sends its changes (one task later).
  await page.evaluate(() =>
    (window.iv.scratch['peers'] as InstanceType<typeof window.iv.BroadcastPeers>).post({ type: 'changed', vault: 'a', keys: ['later'] }),
  );
  await expect.poll(() => other.evaluate(() => (window.iv.scratch['received'] as unknown[]).at(-1))).toEqual({ type: 'changed', vault: 'a', keys: ['later'] });
});

test('alone, pagehide still sends the kept keys: a peer whose hello is on its way may have read them before the write', async ({ harnessPage: page }) => {
  const sent = await page.evaluate(async () => {
    // Count the channel's sends as they happen (delivery to other tabs is asynchronous).
    const { sent, stop } = window.iv.watchChannelSends();
    try {
      const peers = new window.iv.BroadcastPeers('t-alone-leave');
      peers.post({ type: 'changed', vault: 'a', keys: ['token'] });
      await new Promise((resolve) => setTimeout(resolve, 20));
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
      return sent;
    } finally {
      stop();
    }
  });
  expect(sent).toEqual([{ type: 'hello' }, { type: 'changed', vault: 'a', keys: ['token'] }]);
});

test('a read in flight when another tab announces a write to its key returns what it read, and does not cache it', async ({ harnessPage: page }) => {
  const result = await page.evaluate(async () => {
    const iv = window.iv;
    const databaseName = `in-flight-${Date.now()}`;
    const descriptor = { vaultId: 'in-flight', username: 'u' };
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // Two plugins on one database, each with its own channel: two tabs, as far as the vault can tell.
    const writer = iv.createWebPlugin({ databaseName }).getVault(descriptor);
    await writer.storeValue('k', 'v1');
    const platform = iv.createWebPlatform({ databaseName });
    const store = platform.store;
    let hold: Promise<void> | undefined;
    const held = {
      get: async (key: string) => {
        const record = await store.get(key);
        if (hold && key.endsWith('/v/k')) await hold; // the record is read; its answer waits
        return record;
      },
      keys: store.keys.bind(store),
      hasPrefix: store.hasPrefix.bind(store),
      update: store.update.bind(store),
      commit: store.commit.bind(store),
    };
    const reader = iv.createPlugin({ ...platform, store: held }).getVault(descriptor);
    await reader.unlock();
    let release!: () => void;
    hold = new Promise<void>((resolve) => (release = resolve));
    const inFlight = reader.getValue('k');
    await sleep(20);
    await writer.storeValue('k', 'v2');
    await sleep(100); // the writer's `changed` reaches the reader while its read still waits
    release();
    const first: unknown = await inFlight;
    hold = undefined;
    return { first, next: (await reader.getValue('k')) as unknown };
  });
  expect(result).toEqual({ first: 'v1', next: 'v2' });
});

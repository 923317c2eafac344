/**
 * BroadcastChannel peers: a message from one tab reaches another within 100 ms; a tab does not
 * hear itself; malformed messages are ignored.
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
  const calls = await page.evaluate(() => {
    // Count the channel's sends as they happen (delivery to other tabs is asynchronous).
    const sent: unknown[] = [];
    const original = BroadcastChannel.prototype.postMessage;
    BroadcastChannel.prototype.postMessage = function (this: BroadcastChannel, message: unknown) {
      sent.push(message);
      return original.call(this, message);
    };
    try {
      const peers = new window.iv.BroadcastPeers('t-leave');
      peers.post({ type: 'changed', vault: 'a', keys: ['token'] });
      const beforePagehide = sent.length;
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
      return { beforePagehide, afterPagehide: [...sent] };
    } finally {
      BroadcastChannel.prototype.postMessage = original;
    }
  });
  expect(calls.beforePagehide).toBe(0);
  expect(calls.afterPagehide).toEqual([{ type: 'changed', vault: 'a', keys: ['token'] }]);
});

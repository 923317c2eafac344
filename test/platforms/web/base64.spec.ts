/**
 * The core's base64 on the browser's own `Uint8Array.prototype.toBase64` / `Uint8Array.fromBase64`
 * (what Chromium uses; Node 20 runs the loops, tested in test/core/envelope.test.ts): the same
 * text as `btoa` for every length, and the same refusals — non-canonical input, including what
 * `fromBase64` alone would accept (ASCII whitespace, base64url characters).
 */
import { test, expect } from './fixtures.js';

test('native base64: same text as btoa, round-trips, and refuses what the loop refuses', async ({ harnessPage: page }) => {
  const result = await page.evaluate(() => {
    const { toBase64, fromBase64 } = window.iv.coreBytes;
    const native = typeof (Uint8Array.prototype as { toBase64?: unknown }).toBase64 === 'function';
    const mismatches: number[] = [];
    for (let length = 0; length < 300; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      const text = toBase64(bytes);
      const reference = btoa(String.fromCharCode(...bytes));
      const back = fromBase64(text);
      if (text !== reference || !back || back.length !== length || back.some((b, i) => b !== bytes[i])) mismatches.push(length);
    }
    const bad = ['abc', 'ab=c', '====', 'QQ=A', 'QR==', '$$$$', 'QQ', 'QUFB    QUFB', 'QUFB\n\nQUFB', 'QUFB-_8=', 'QUFBQUE'];
    return { native, mismatches, accepted: bad.filter((text) => fromBase64(text) !== undefined) };
  });
  expect(result.native).toBe(true); // otherwise this test would not test the native path
  expect(result.mismatches).toEqual([]);
  expect(result.accepted).toEqual([]);
});

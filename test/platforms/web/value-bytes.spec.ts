/**
 * Value records hold their IV and ciphertext as bytes in IndexedDB (issue 16: "store bytes as
 * bytes"), in real Chromium: what a vault writes, that a record written the old way (base64 text)
 * still opens and is rotated into bytes, and that a mistyped or tampered record is a typed error
 * that changes nothing.
 */
import { expect, test } from './fixtures.js';

test('a stored value is bytes in IndexedDB: a 12-byte IV and the ciphertext, no base64 text', async ({ harnessPage: page }) => {
  const record = await page.evaluate(async () => {
    const db = 't-bytes-written';
    const value = { token: 'x'.repeat(1000) };
    await window.iv.createWebPlugin({ databaseName: db }).getVault({ vaultId: 'b', username: 'u' }).storeValue('session', value);
    const stored = await new window.iv.IndexedDbStore(new window.iv.IdbConnection(db)).get('iv1/b/u/v/session');
    const iv = stored?.iv;
    const ct = stored?.ct;
    return {
      v: stored?.v,
      ivIsBytes: iv instanceof Uint8Array,
      ctIsBytes: ct instanceof Uint8Array,
      ivLength: iv instanceof Uint8Array ? iv.byteLength : -1,
      // The value's JSON text plus GCM's 16-byte tag. Each field owns its whole buffer.
      ctOverJson: ct instanceof Uint8Array ? ct.byteLength - JSON.stringify(value).length : -1,
      ownBuffers: iv instanceof Uint8Array && ct instanceof Uint8Array && iv.buffer.byteLength === 12 && ct.buffer.byteLength === ct.byteLength,
    };
  });
  expect(record).toEqual({ v: 1, ivIsBytes: true, ctIsBytes: true, ivLength: 12, ctOverJson: 16, ownBuffers: true });
});

test('a value record written as base64 text (before bytes) still opens, and a key rotation rewrites it as bytes', async ({ harnessPage: page }) => {
  const result = await page.evaluate(async () => {
    const db = 't-bytes-old-records';
    const { toBase64 } = window.iv.coreBytes;
    const store = new window.iv.IndexedDbStore(new window.iv.IdbConnection(db));
    const first = window.iv.createWebPlugin({ databaseName: db }).getVault({ vaultId: 'old', username: 'u' });
    await first.storeValue('a', { n: 1 });
    await first.storeValue('b', 'two');
    // Rewrite both records the way versions before bytes wrote them: { v: 1, iv: base64, ct: base64 }.
    for (const key of ['iv1/old/u/v/a', 'iv1/old/u/v/b']) {
      const r = await store.get(key);
      await store.commit({ put: [[key, { v: 1, iv: toBase64(r!.iv as Uint8Array), ct: toBase64(r!.ct as Uint8Array) }]] });
    }
    const asText = typeof (await store.get('iv1/old/u/v/a'))?.iv === 'string';
    // A new app instance: the vault is locked, unlocks with the device key, reads from storage.
    const second = window.iv.createWebPlugin({ databaseName: db }).getVault({ vaultId: 'old', username: 'u' });
    await second.unlock();
    const read = [await second.getValue('a'), await second.getValue('b')];
    // Setting a passcode rotates the data key and re-encrypts every value.
    await second.setPasscodeEnabled(true);
    await second.setPasscode('2468');
    const rotated = await store.get('iv1/old/u/v/a');
    await second.lock();
    await second.unlock(true, '2468');
    return { asText, read, rotatedIsBytes: rotated?.iv instanceof Uint8Array && rotated.ct instanceof Uint8Array, after: await second.getValue('a') };
  });
  expect(result).toEqual({ asText: true, read: [{ n: 1 }, 'two'], rotatedIsBytes: true, after: { n: 1 } });
});

test('a mistyped or tampered value record is VaultUnavailable, is left untouched, and other values still open', async ({ harnessPage: page }) => {
  const outcomes = await page.evaluate(async () => {
    const db = 't-bytes-tampered';
    const store = new window.iv.IndexedDbStore(new window.iv.IdbConnection(db));
    const writer = window.iv.createWebPlugin({ databaseName: db }).getVault({ vaultId: 't', username: 'u' });
    await writer.storeValue('good', 'fine');
    await writer.storeValue('victim', 'secret');
    const original = (await store.get('iv1/t/u/v/victim'))!;
    const iv = original.iv as Uint8Array<ArrayBuffer>;
    const ct = original.ct as Uint8Array<ArrayBuffer>;
    const flipped = ct.slice();
    flipped[3] = flipped[3]! ^ 1;
    const variants: Record<string, Record<string, unknown>> = {
      'iv a number': { v: 1, iv: 12, ct },
      'ct missing': { v: 1, iv },
      'ct a plain array': { v: 1, iv, ct: [...ct] },
      'ct an Int8Array': { v: 1, iv, ct: new Int8Array(ct.buffer.slice(0)) },
      'ct a DataView': { v: 1, iv, ct: new DataView(ct.buffer.slice(0)) },
      'ct an ArrayBuffer': { v: 1, iv, ct: ct.buffer.slice(0) },
      'ct a Blob': { v: 1, iv, ct: new Blob([ct]) },
      'iv 11 bytes': { v: 1, iv: iv.slice(0, 11), ct },
      'ct shorter than the tag': { v: 1, iv, ct: ct.slice(0, 15) },
      'ct one bit flipped': { v: 1, iv, ct: flipped },
      'ct text that is not base64': { v: 1, iv, ct: 'not base64!' },
      'unknown version': { v: 2, iv, ct },
      'the record an array': [1, 2] as unknown as Record<string, unknown>,
    };
    const results: Record<string, unknown> = {};
    for (const [name, record] of Object.entries(variants)) {
      // Written under the store's own API with a cast: exactly what a tampered database holds.
      await store.commit({ put: [['iv1/t/u/v/victim', record as never]] });
      const reader = window.iv.createWebPlugin({ databaseName: db }).getVault({ vaultId: 't', username: 'u' });
      await reader.unlock();
      const outcome = await window.iv.outcome(reader.getValue('victim'));
      const after = await store.get('iv1/t/u/v/victim');
      results[name] = {
        codeName: outcome === 'resolved' ? 'resolved' : outcome.codeName,
        untouched: after !== undefined && Object.keys(after).length === Object.keys(record).length,
        good: await reader.getValue('good'),
      };
    }
    await store.commit({ put: [['iv1/t/u/v/victim', original]] });
    const restored = window.iv.createWebPlugin({ databaseName: db }).getVault({ vaultId: 't', username: 'u' });
    await restored.unlock();
    return { results, restored: await restored.getValue('victim') };
  });
  for (const [name, result] of Object.entries(outcomes.results)) {
    expect(result, name).toEqual({ codeName: 'VaultUnavailable', untouched: true, good: 'fine' });
  }
  expect(outcomes.restored).toBe('secret');
});

import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../../src/core/envelope.js';
import { VaultErrorCodes } from 'identity-vault';
import { openValue, sealValue, sealValues } from '../../src/core/value-records.js';
import { testContext } from './vault-context.js';
import { toBase64 } from '../../src/core/bytes.js';
import { recordText } from '../../src/core/records.js';
import type { StoredRecord } from '../../src/core/ports.js';

const unavailable = expect.objectContaining({ code: VaultErrorCodes.VaultUnavailable });

describe('value records', () => {
  it('a sealed value opens to its JSON text, and its record holds no plaintext', async () => {
    const ctx = testContext();
    const key = await generateDataKey(ctx.platform.crypto);
    const record = await sealValue(ctx, key, 'token', '"secret-token"');
    expect(recordText(record)).not.toContain('secret-token');
    expect(await openValue(ctx, key, 'token', record)).toBe('"secret-token"');
  });

  it('a record moved to another key name, another user or under another data key does not open (VaultUnavailable)', async () => {
    const ctx = testContext();
    const key = await generateDataKey(ctx.platform.crypto);
    const record = await sealValue(ctx, key, 'token', '1');
    await expect(openValue(ctx, key, 'other', record)).rejects.toEqual(unavailable);
    await expect(openValue(testContext('app', 'bob'), key, 'token', record)).rejects.toEqual(unavailable);
    await expect(openValue(ctx, await generateDataKey(ctx.platform.crypto), 'token', record)).rejects.toEqual(unavailable);
  });

  it('a record holds its IV and ciphertext as bytes; the same record as base64 text (text stores, older versions) opens too', async () => {
    const ctx = testContext();
    const key = await generateDataKey(ctx.platform.crypto);
    const record = await sealValue(ctx, key, 'token', '"t"');
    expect(record.iv).toBeInstanceOf(Uint8Array);
    expect(record.ct).toBeInstanceOf(Uint8Array);
    expect((record.iv as Uint8Array).byteLength).toBe(12);
    const asText = { v: 1, iv: toBase64(record.iv as Uint8Array), ct: toBase64(record.ct as Uint8Array) };
    expect(await openValue(ctx, key, 'token', asText)).toBe('"t"');
    // What a text store writes and reads back (records.ts recordText) is that same base64 form.
    expect(JSON.parse(recordText(record))).toEqual(asText);
  });

  it('a tampered or malformed record is VaultUnavailable', async () => {
    const ctx = testContext();
    const key = await generateDataKey(ctx.platform.crypto);
    const record = (await sealValue(ctx, key, 'token', '1')) as { v: 1; iv: Uint8Array<ArrayBuffer>; ct: Uint8Array<ArrayBuffer> };
    const flipped = record.ct.slice();
    flipped[0] = flipped[0]! ^ 1;
    const text = toBase64(record.ct);
    const flippedText = text.startsWith('A') ? `B${text.slice(1)}` : `A${text.slice(1)}`;
    const bad: Array<Record<string, unknown>> = [
      { ...record, ct: flipped },
      { ...record, ct: flippedText },
      { v: 2, iv: record.iv, ct: record.ct },
      { v: 1, iv: record.iv },
      { v: 1, iv: 7, ct: record.ct },
      { v: 1, iv: record.iv, ct: [...record.ct] },
      { v: 1, iv: record.iv, ct: new Int8Array(record.ct) },
      { v: 1, iv: record.iv, ct: new DataView(record.ct.buffer) },
      { v: 1, iv: record.iv, ct: record.ct.buffer },
      { v: 1, iv: record.iv.slice(0, 11), ct: record.ct },
      { v: 1, iv: record.iv, ct: record.ct.slice(0, 15) },
      { v: 1, iv: record.iv, ct: `${text} ` },
    ];
    for (const tampered of bad) await expect(openValue(ctx, key, 'token', tampered as StoredRecord)).rejects.toEqual(unavailable);
  });

  it('sealValues gives store keys and records for one commit', async () => {
    const ctx = testContext();
    const key = await generateDataKey(ctx.platform.crypto);
    const put = await sealValues(
      ctx,
      key,
      new Map([
        ['a', '1'],
        ['b', '2'],
      ]),
    );
    expect(put.map(([storeKey]) => storeKey)).toEqual([ctx.keys.value('a'), ctx.keys.value('b')]);
    expect(await openValue(ctx, key, 'b', put[1]![1])).toBe('2');
  });
});

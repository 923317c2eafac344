import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../../src/core/envelope.js';
import { VaultErrorCodes } from 'identity-vault';
import { openValue, sealValue, sealValues } from '../../src/core/value-records.js';
import { testContext } from './vault-context.js';

const unavailable = expect.objectContaining({ code: VaultErrorCodes.VaultUnavailable });

describe('value records', () => {
  it('a sealed value opens to its JSON text, and its record holds no plaintext', async () => {
    const ctx = testContext();
    const key = await generateDataKey(ctx.platform.crypto);
    const record = await sealValue(ctx, key, 'token', '"secret-token"');
    expect(JSON.stringify(record)).not.toContain('secret-token');
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

  it('a tampered or malformed record is VaultUnavailable', async () => {
    const ctx = testContext();
    const key = await generateDataKey(ctx.platform.crypto);
    const record = (await sealValue(ctx, key, 'token', '1')) as { v: 1; iv: string; ct: string };
    const flipped = record.ct.startsWith('A') ? `B${record.ct.slice(1)}` : `A${record.ct.slice(1)}`;
    await expect(openValue(ctx, key, 'token', { ...record, ct: flipped })).rejects.toEqual(unavailable);
    await expect(openValue(ctx, key, 'token', { v: 2, iv: record.iv, ct: record.ct })).rejects.toEqual(unavailable);
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

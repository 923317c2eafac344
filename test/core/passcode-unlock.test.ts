import { describe, expect, it } from 'vitest';
import { attemptsRecord } from '../../src/core/attempts.js';
import { generateDataKey, wrapDataKey } from '../../src/core/envelope.js';
import { VaultErrorCodes } from 'identity-vault';
import { derivePasscodeKey, newKdfParams } from '../../src/core/kdf.js';
import { makeWraps, withLimit, wrapBinding } from '../../src/core/key-wraps.js';
import { openWithPasscode } from '../../src/core/passcode-unlock.js';
import { EMPTY_META, toStored, type MetaRecord } from '../../src/core/records.js';
import { passcodeUnlockOf } from '../../src/core/unlock-method.js';
import { testContext } from './vault-context.js';

async function passcodeVault(limit = 3) {
  const ctx = testContext();
  const { crypto, kdf: settings } = ctx.platform;
  const dataKey = await generateDataKey(crypto);
  const kdf = newKdfParams(crypto, settings);
  const key = await derivePasscodeKey(crypto, '1234', kdf);
  const meta: MetaRecord = { ...EMPTY_META, kid: 'k', passcodeEnabled: true };
  const made = await makeWraps(ctx, meta, dataKey, { passcode: { key, kdf } }, { meta: EMPTY_META, dataKey: undefined }, limit);
  const stored = withLimit({ ...meta, wraps: made.wraps }, made.maxAttempts);
  await ctx.store.commit({
    put: [
      [ctx.keys.meta, toStored(stored)],
      [ctx.keys.attempts, attemptsRecord(limit)],
    ],
  });
  return { ctx, meta: stored, unlock: passcodeUnlockOf(stored, settings) };
}

describe('openWithPasscode', () => {
  it('a wrong passcode costs an attempt (AuthFailed with what is left); the right one puts the limit back', async () => {
    const { ctx, meta, unlock } = await passcodeVault(3);
    await expect(openWithPasscode(ctx, meta, 5, unlock, '0000')).rejects.toMatchObject({ code: VaultErrorCodes.AuthFailed, remainingAttempts: 2 });
    expect(await ctx.store.get(ctx.keys.attempts)).toEqual({ v: 1, remaining: 2 });
    const opened = await openWithPasscode(ctx, meta, 5, unlock, '1234');
    expect(opened).not.toBe('exhausted');
    expect(await ctx.store.get(ctx.keys.attempts)).toEqual({ v: 1, remaining: 3 });
  });

  it('the last wrong attempt, and any try at zero, is "exhausted" (even with the right passcode)', async () => {
    const { ctx, meta, unlock } = await passcodeVault(1);
    expect(await openWithPasscode(ctx, meta, 5, unlock, '0000')).toBe('exhausted');
    expect(await openWithPasscode(ctx, meta, 5, unlock, '1234')).toBe('exhausted');
  });

  it('a passcode wrap from before the slot moves to a slot on the right passcode (same data key, stored)', async () => {
    const ctx = testContext();
    const { crypto, kdf: settings } = ctx.platform;
    const dataKey = await generateDataKey(crypto);
    const kdf = newKdfParams(crypto, settings);
    const key = await derivePasscodeKey(crypto, '1234', kdf);
    const plain = await wrapDataKey(crypto, dataKey, key, wrapBinding(ctx, 'passcode', 'k', kdf));
    const meta: MetaRecord = { ...EMPTY_META, kid: 'k', passcodeEnabled: true, wraps: { passcode: { ...plain, kdf } } };
    await ctx.store.commit({ put: [[ctx.keys.meta, toStored(meta)]] });
    const opened = await openWithPasscode(ctx, meta, 5, passcodeUnlockOf(meta, settings), '1234');
    if (opened === 'exhausted') throw new Error('unexpected');
    expect(opened.meta.wraps.passcode?.slot).toBeDefined();
    expect(opened.meta.maxAttempts).toBe(5);
    expect(await ctx.store.get(ctx.keys.meta)).toEqual(toStored(opened.meta));
  });
});

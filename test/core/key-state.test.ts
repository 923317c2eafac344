import { describe, expect, it } from 'vitest';
import { VaultErrorCodes } from 'identity-vault';
import { generateDataKey } from '../../src/core/envelope.js';
import { derivePasscodeKey, newKdfParams } from '../../src/core/kdf.js';
import { StaleKeyState } from '../../src/core/key-rotation.js';
import { settleDeviceKey, writeKeyState } from '../../src/core/key-state.js';
import { openDeviceWrap } from '../../src/core/key-wraps.js';
import { EMPTY_META, parseMeta, toStored, type MetaRecord } from '../../src/core/records.js';
import { testContext, type TestContext } from './vault-context.js';

/** A stored vault under the device key, as the first storeValue leaves it. */
async function deviceVault(ctx: TestContext) {
  const dataKey = await generateDataKey(ctx.platform.crypto);
  const written = await writeKeyState(ctx, EMPTY_META, { ...EMPTY_META, kid: 'kid-1' }, dataKey, {}, { maxAttempts: 5, expectedKid: null });
  return { dataKey, meta: written.meta };
}

const storedMeta = async (ctx: TestContext) => parseMeta(await ctx.store.get(ctx.keys.meta));

describe('writeKeyState', () => {
  it('a new data key is stored with a device wrap when no method is on; the counter is left alone', async () => {
    const ctx = testContext();
    const { meta } = await deviceVault(ctx);
    expect(Object.keys(meta.wraps)).toEqual(['device']);
    expect(await storedMeta(ctx)).toEqual(meta);
    expect(await ctx.store.get(ctx.keys.attempts)).toBeUndefined();
  });

  it('a key id the store no longer holds is StaleKeyState, and nothing is written', async () => {
    const ctx = testContext();
    const { dataKey, meta } = await deviceVault(ctx);
    const writes = ctx.store.writes;
    const attempt = writeKeyState(ctx, meta, { ...meta, passcodeEnabled: true }, dataKey, {}, { maxAttempts: 5, expectedKid: 'someone-else' });
    await expect(attempt).rejects.toBeInstanceOf(StaleKeyState);
    expect(ctx.store.writes).toBe(writes);
    expect(await storedMeta(ctx)).toEqual(meta);
  });

  it('setting a passcode rotates the data key and writes the counter at the full limit; turning it off deletes the counter', async () => {
    const ctx = testContext();
    const { dataKey, meta } = await deviceVault(ctx);
    const kdf = newKdfParams(ctx.platform.crypto, ctx.platform.kdf);
    const key = await derivePasscodeKey(ctx.platform.crypto, '1234', kdf);
    const withPasscode: MetaRecord = { ...meta, passcodeEnabled: true };
    const set = await writeKeyState(ctx, meta, withPasscode, dataKey, { passcode: { key, kdf } }, { maxAttempts: 3, expectedKid: meta.kid });
    expect(set.rotatedKey).toBeDefined();
    expect(set.meta.kid).not.toBe(meta.kid);
    expect(Object.keys(set.meta.wraps)).toEqual(['passcode']);
    expect(await ctx.store.get(ctx.keys.attempts)).toEqual({ v: 1, remaining: 3 });

    const off = await writeKeyState(ctx, set.meta, { ...set.meta, passcodeEnabled: false }, set.rotatedKey, {}, { maxAttempts: 3, expectedKid: set.meta.kid });
    expect(Object.keys(off.meta.wraps)).toEqual(['device']);
    expect(await ctx.store.get(ctx.keys.attempts)).toBeUndefined();
  });

  it('no device key can be made: SecurityNotAvailable, nothing written', async () => {
    const ctx = testContext();
    ctx.deviceKey.get = async () => undefined;
    const dataKey = await generateDataKey(ctx.platform.crypto);
    await expect(writeKeyState(ctx, EMPTY_META, { ...EMPTY_META, kid: 'k' }, dataKey, {}, { maxAttempts: 5, expectedKid: null })).rejects.toMatchObject({
      code: VaultErrorCodes.SecurityNotAvailable,
    });
    expect(await ctx.store.get(ctx.keys.meta)).toBeUndefined();
  });
});

describe('settleDeviceKey', () => {
  it('a device wrap written just as another tab deleted the device key is made again under a new device key', async () => {
    const ctx = testContext();
    const { dataKey, meta } = await deviceVault(ctx);
    await ctx.deviceKey.delete(); // the other tab's last device wrap went away between our get and our commit
    const rewrapped = await settleDeviceKey(ctx, EMPTY_META, meta, dataKey);
    expect(rewrapped?.wraps.device).not.toEqual(meta.wraps.device);
    expect(await storedMeta(ctx)).toEqual(rewrapped);
    await expect(openDeviceWrap(ctx, rewrapped!)).resolves.toBeDefined();
  });

  it('a device wrap that still opens is left alone; a device key no wrap uses any more is released', async () => {
    const ctx = testContext();
    const { dataKey, meta } = await deviceVault(ctx);
    expect(await settleDeviceKey(ctx, EMPTY_META, meta, dataKey)).toBeUndefined();
    expect(ctx.deviceKey.exists).toBe(true);
    const stored = { ...meta, wraps: {} };
    await ctx.store.commit({ put: [[ctx.keys.meta, toStored(stored)]] });
    expect(await settleDeviceKey(ctx, meta, stored, dataKey)).toBeUndefined();
    expect(ctx.deviceKey.exists).toBe(false);
  });

  it('the store changed meanwhile (another key id): StaleKeyState', async () => {
    const ctx = testContext();
    const { dataKey, meta } = await deviceVault(ctx);
    await ctx.deviceKey.delete();
    await ctx.store.commit({ put: [[ctx.keys.meta, toStored({ ...meta, kid: 'other' })]] });
    await expect(settleDeviceKey(ctx, EMPTY_META, meta, dataKey)).rejects.toBeInstanceOf(StaleKeyState);
  });
});

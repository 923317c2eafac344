/**
 * Opening a vault with a passcode: the attempt is counted first (attempts.ts), then the passcode
 * wrap is opened (key-wraps.ts). The right passcode puts the limit back, and moves a wrap from
 * before the passcode slot to a slot (same data key).
 */
import { OpenFailed } from './envelope.js';
import { attemptLimit, attemptsRecord, countAttempt, wrongPasscode } from './attempts.js';
import { derivePasscodeKey, type KdfParams } from './kdf.js';
import { openPasscodeWrap, upgradePasscodeWrap, type VaultContext } from './key-wraps.js';
import { toStored, type MetaRecord } from './records.js';
import type { PasscodeUnlock } from './unlock-method.js';

/** What a right passcode gives: the data key, and the meta now stored (moved to a slot when it was not in one). */
export interface PasscodeOpened {
  readonly dataKey: CryptoKey;
  readonly meta: MetaRecord;
}

/**
 * @returns the data key and meta, or `'exhausted'` when no attempt was left (the caller clears the
 *   vault or refuses the passcode, as the vault is set up)
 * @throws AuthFailed with the attempts left, after a wrong passcode
 */
export async function openWithPasscode(
  ctx: VaultContext,
  meta: MetaRecord,
  clientMaxAttempts: number,
  { wrap, kdf }: PasscodeUnlock,
  passcode: string,
): Promise<PasscodeOpened | 'exhausted'> {
  const { store, crypto } = ctx.platform;
  const { limit, before, remaining } = await countAttempt(store, ctx.keys.attempts, meta, clientMaxAttempts);
  if (before === 0) return 'exhausted';
  let dataKey: CryptoKey;
  let key: CryptoKey;
  try {
    key = await derivePasscodeKey(crypto, passcode, kdf);
    dataKey = await openPasscodeWrap(ctx, wrap, kdf, key, meta.kid!, meta.maxAttempts);
  } catch (error) {
    if (!(error instanceof OpenFailed)) throw error;
    if (remaining === 0) return 'exhausted';
    throw wrongPasscode(remaining);
  }
  await store.commit({ put: [[ctx.keys.attempts, attemptsRecord(limit)]] });
  const upgraded = wrap.slot === undefined ? await moveToSlot(ctx, meta, key, kdf, attemptLimit(meta, clientMaxAttempts), dataKey) : undefined;
  return { dataKey, meta: upgraded ?? meta };
}

/** The meta with the passcode wrap moved to a slot, once stored; `undefined` when another tab changed it meanwhile (it moves next time). */
async function moveToSlot(
  ctx: VaultContext,
  meta: MetaRecord,
  key: CryptoKey,
  kdf: KdfParams,
  limit: number,
  dataKey: CryptoKey,
): Promise<MetaRecord | undefined> {
  const next = await upgradePasscodeWrap(ctx, meta, key, kdf, limit, dataKey);
  const ok = await ctx.platform.store.commit({
    guard: { key: ctx.keys.meta, test: (stored) => (stored as { kid?: unknown } | undefined)?.kid === meta.kid },
    put: [[ctx.keys.meta, toStored(next)]],
  });
  return ok ? next : undefined;
}

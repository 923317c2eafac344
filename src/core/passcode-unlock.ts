/**
 * Opening a vault with a passcode: the attempt is counted first (attempts.ts), durably, then the
 * passcode wrap is opened (key-wraps.ts); the KDF runs beside the count. The right passcode puts
 * the limit back, and upgrades the wrap when it is older than the platform asks for: a wrap from
 * before the passcode slot moves to a slot, and on a platform that binds the passcode to the
 * device key (Capacitor), a slot not yet sealed under the device key is sealed (passcode-slot.ts
 * says why).
 */
import { OpenFailed } from './envelope.js';
import { attemptLimit, attemptsRecord, countAttempt, wrongPasscode } from './attempts.js';
import { derivePasscodeKey, type KdfParams } from './kdf.js';
import { rotateDataKey } from './key-rotation.js';
import { settlePasscodeSeal } from './key-state.js';
import { openPasscodeWrap, passcodeWrapNeedsUpgrade, unsealPasscodeSlot, upgradePasscodeWrap, type VaultContext } from './key-wraps.js';
import { toStored, type MetaRecord } from './records.js';
import type { PasscodeUnlock } from './unlock-method.js';

/** What a right passcode gives: the data key, and the meta now stored (upgraded when it was older). */
export interface PasscodeOpened {
  readonly dataKey: CryptoKey;
  readonly meta: MetaRecord;
}

/**
 * @returns the data key and meta, or `'exhausted'` when no attempt was left (the caller clears the
 *   vault or refuses the passcode, as the vault is set up)
 * @throws AuthFailed with the attempts left, after a wrong passcode; KeyNotFound, before any
 *   attempt is counted, when the device key the passcode slot is sealed under is gone or replaced
 */
export async function openWithPasscode(
  ctx: VaultContext,
  meta: MetaRecord,
  clientMaxAttempts: number,
  { wrap, kdf }: PasscodeUnlock,
  passcode: string,
): Promise<PasscodeOpened | 'exhausted'> {
  const { store, crypto } = ctx.platform;
  const unsealed = await unsealPasscodeSlot(ctx, wrap);
  // The KDF runs while the attempt is counted (a strict commit, or a file write with fsync, beside
  // PBKDF2's hundreds of milliseconds), but nothing is checked with its key before the count is
  // durable: the wrap is opened only after countAttempt resolved. A key derived for an attempt that
  // was not counted (the write failed, or no attempt was left) is dropped unused.
  const deriving = derivePasscodeKey(crypto, passcode, kdf);
  deriving.catch(() => undefined); // awaited below once counted; never awaited when the count fails or none was left
  const { limit, before, remaining } = await countAttempt(store, ctx.keys.attempts, meta, clientMaxAttempts);
  if (before === 0) return 'exhausted';
  let dataKey: CryptoKey;
  let key: CryptoKey;
  try {
    key = await deriving;
    dataKey = await openPasscodeWrap(ctx, unsealed, kdf, key, meta.kid!, meta.maxAttempts);
  } catch (error) {
    if (!(error instanceof OpenFailed)) throw error;
    if (remaining === 0) return 'exhausted';
    throw wrongPasscode(remaining);
  }
  await store.commit({ put: [[ctx.keys.attempts, attemptsRecord(limit)]] });
  if (!passcodeWrapNeedsUpgrade(ctx, wrap)) return { dataKey, meta };
  const upgrade = { key, kdf, limit: attemptLimit(meta, clientMaxAttempts) };
  return (await sealWithNewDataKey(ctx, meta, dataKey, upgrade)) ?? { dataKey, meta: (await moveToSlot(ctx, meta, upgrade, dataKey)) ?? meta };
}

interface Upgrade {
  readonly key: CryptoKey;
  readonly kdf: KdfParams;
  readonly limit: number;
}

/**
 * Seals a passcode vault under the device key for the first time, with a new data key: a backup
 * copy taken before (whose passcode can be guessed offline) then opens only the values of that
 * time, never those written later. Skipped when the vault has a biometric wrap (remaking it would
 * show a biometric prompt during a passcode unlock: the slot is sealed without a new key, and the
 * key changes at the vault's next rotation) and where the platform does not bind. `undefined` when
 * skipped or failed: the caller then moves the wrap without a new key, and the unlock never fails
 * for an upgrade.
 */
async function sealWithNewDataKey(ctx: VaultContext, meta: MetaRecord, dataKey: CryptoKey, upgrade: Upgrade): Promise<PasscodeOpened | undefined> {
  if (ctx.platform.bindPasscodeToDeviceKey !== true || meta.wraps.biometric !== undefined) return undefined;
  const passcode = { key: upgrade.key, kdf: upgrade.kdf };
  let rotated: Awaited<ReturnType<typeof rotateDataKey>>;
  try {
    rotated = await rotateDataKey(ctx, meta, meta, dataKey, { passcode }, { maxAttempts: upgrade.limit, attempts: 'keep' });
  } catch {
    return undefined;
  }
  // Stored from here on: the vault goes on with the new key whatever the check below finds.
  const settled = await settlePasscodeSeal(ctx, rotated.meta, rotated.dataKey, passcode).catch(() => rotated.meta);
  return { dataKey: rotated.dataKey, meta: settled };
}

/** The meta with a new passcode slot for the same data key, once stored; `undefined` when that failed or another tab changed the vault meanwhile (it moves next time). */
async function moveToSlot(ctx: VaultContext, meta: MetaRecord, { key, kdf, limit }: Upgrade, dataKey: CryptoKey): Promise<MetaRecord | undefined> {
  try {
    const next = await upgradePasscodeWrap(ctx, meta, key, kdf, limit, dataKey);
    const ok = await ctx.platform.store.commit({
      guard: { key: ctx.keys.meta, test: (stored) => (stored as { kid?: unknown } | undefined)?.kid === meta.kid },
      put: [[ctx.keys.meta, toStored(next)]],
    });
    return ok ? await settlePasscodeSeal(ctx, next, dataKey, { key, kdf }).catch(() => next) : undefined;
  } catch {
    return undefined;
  }
}

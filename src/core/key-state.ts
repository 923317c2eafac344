/**
 * Writing a vault's key state: the meta record with the wraps its switches call for
 * (key-wraps.ts), and the attempt counter. When that adds, removes or replaces a wrap of the
 * current data key, the data key is rotated instead (key-rotation.ts): a new one, every value
 * re-encrypted, one commit. Otherwise one commit, guarded by the key id, writes the new meta.
 * A device key no wrap uses any more is deleted.
 */
import { wrapDataKey } from './envelope.js';
import { securityNotAvailable } from './errors.js';
import { attemptsOnWrapChange, attemptsRecord } from './attempts.js';
import { StaleKeyState, rotateDataKey } from './key-rotation.js';
import {
  DeviceKeyMissing,
  canRotate,
  changesWraps,
  deviceWrapStillOpens,
  makeWraps,
  newPasscodeWrap,
  passcodeSealStillOpens,
  releaseDeviceKeyIfUnused,
  withLimit,
  wrapBinding,
  type VaultContext,
  type WrapInputs,
} from './key-wraps.js';
import { rekeyInProgress, toStored, usesDeviceKey, type MetaRecord } from './records.js';
import type { KnownValue } from './value-cache.js';

/** What {@link writeKeyState} wrote: the new meta, and the new data key when it rotated. */
export interface WrittenKeyState {
  readonly meta: MetaRecord;
  readonly rotatedKey?: CryptoKey;
  /** The rotation knows its device wrap opens with the stored device key ({@link settleDeviceKey} need not look). */
  readonly deviceWrapChecked?: boolean;
  /** After a rotation that sealed values held before its reads: the cache's new fingerprints (value-cache.ts `resealed`). */
  readonly values?: ReadonlyMap<string, Uint8Array | undefined>;
}

const storedKid = (stored: unknown): unknown => (stored as { kid?: unknown } | undefined)?.kid ?? null;

/**
 * Writes `meta` over `previous` (what the engine holds), with `dataKey` wrapped as `meta` calls
 * for. `expectedKid` is the key id the store must still hold (`null` when creating the data key).
 * `known`: the values held with their records' fingerprints, for a rotation (key-rotation.ts).
 *
 * @throws StaleKeyState when another tab or process changed or is rotating the key (nothing was
 *   written); SecurityNotAvailable when the platform could not create a device key.
 */
export async function writeKeyState(
  ctx: VaultContext,
  previous: MetaRecord,
  meta: MetaRecord,
  dataKey: CryptoKey | undefined,
  extra: WrapInputs,
  { maxAttempts, expectedKid, known }: { readonly maxAttempts: number; readonly expectedKid: string | null; readonly known?: readonly KnownValue[] },
): Promise<WrittenKeyState> {
  const attempts = attemptsOnWrapChange(extra.passcode !== undefined, meta.passcodeEnabled);
  try {
    if (
      dataKey !== undefined &&
      previous.kid !== null &&
      meta.kid === previous.kid &&
      changesWraps(previous, meta, extra) &&
      canRotate(previous, meta, extra)
    ) {
      const rotated = await rotateDataKey(ctx, previous, meta, dataKey, extra, { maxAttempts, attempts }, known);
      return {
        meta: await settlePasscodeSeal(ctx, rotated.meta, rotated.dataKey, extra.passcode),
        rotatedKey: rotated.dataKey,
        deviceWrapChecked: rotated.deviceWrapChecked === true,
        ...(rotated.values ? { values: rotated.values } : {}),
      };
    }
    let next: MetaRecord = { ...meta, wraps: {} };
    if (dataKey !== undefined && meta.kid !== null) {
      const made = await makeWraps(ctx, meta, dataKey, extra, { meta: previous, dataKey }, maxAttempts);
      next = withLimit({ ...meta, wraps: made.wraps }, made.maxAttempts);
    }
    const now = ctx.platform.clock.now();
    const ok = await ctx.platform.store.commit({
      guard: { key: ctx.keys.meta, test: (stored) => storedKid(stored) === expectedKid && !rekeyInProgress(stored, now) },
      put: [[ctx.keys.meta, toStored(next)], ...(attempts === 'write' ? [[ctx.keys.attempts, attemptsRecord(maxAttempts)] as const] : [])],
      ...(attempts === 'delete' ? { delete: [ctx.keys.attempts] } : {}),
    });
    if (!ok) throw new StaleKeyState();
    return { meta: dataKey === undefined ? next : await settlePasscodeSeal(ctx, next, dataKey, extra.passcode) };
  } catch (error) {
    if (error instanceof DeviceKeyMissing) throw deviceKeyNotCreated();
    throw error;
  }
}

/**
 * Device-key housekeeping after the wraps changed from `previous` to `current` (see
 * {@link DeviceKeyPort.delete}). Another tab or process may have deleted the device key between
 * our `get` and our commit (its last device wrap went away then): the data key is then wrapped
 * again under a new device key, and that meta is returned. A device key no wrap uses any more is
 * released.
 *
 * `dataKey` is the key the engine held before the change (`undefined` while the first data key is
 * being made: a new vault's first device wrap is not checked). `wrapChecked`: the write already
 * knows its device wrap opens with the stored key ({@link WrittenKeyState.deviceWrapChecked}).
 *
 * @throws StaleKeyState, SecurityNotAvailable as {@link writeKeyState}
 */
export async function settleDeviceKey(
  ctx: VaultContext,
  previous: MetaRecord,
  current: MetaRecord,
  dataKey: CryptoKey | undefined,
  wrapChecked = false,
): Promise<MetaRecord | undefined> {
  const newWrap = current.wraps.device !== undefined && current.wraps.device !== previous.wraps.device;
  if (newWrap && !wrapChecked && dataKey && !(await deviceWrapStillOpens(ctx, current))) {
    const deviceKey = await ctx.platform.deviceKey.get({ create: true });
    if (!deviceKey) throw deviceKeyNotCreated();
    const next: MetaRecord = {
      ...current,
      wraps: { device: await wrapDataKey(ctx.platform.crypto, dataKey, deviceKey, wrapBinding(ctx, 'device', current.kid!)) },
    };
    const ok = await ctx.platform.store.commit({
      guard: { key: ctx.keys.meta, test: (stored) => (stored as { kid?: unknown } | undefined)?.kid === current.kid },
      put: [[ctx.keys.meta, toStored(next)]],
    });
    if (!ok) throw new StaleKeyState();
    return next;
  }
  if (usesDeviceKey(previous.wraps) && !usesDeviceKey(current.wraps)) await releaseDeviceKey(ctx);
  return undefined;
}

/**
 * After a new passcode slot sealed under the device key was committed: checks that the device key
 * still opens the seal. Another vault may have released the device key between our `get` and our
 * commit (its scan did not see our slot yet); the slot is then made again under a new device key
 * (the passcode key is at hand: `input`), as {@link settleDeviceKey} does for device wraps.
 *
 * @throws StaleKeyState when the vault changed meanwhile; DeviceKeyMissing
 */
export async function settlePasscodeSeal(ctx: VaultContext, meta: MetaRecord, dataKey: CryptoKey, input: WrapInputs['passcode']): Promise<MetaRecord> {
  const { kid, maxAttempts } = meta;
  if (input === undefined || meta.wraps.passcode?.slotKey === undefined || kid === null || maxAttempts === undefined) return meta;
  if (await passcodeSealStillOpens(ctx, meta)) return meta;
  const passcode = await newPasscodeWrap(ctx, input, maxAttempts, kid, dataKey);
  const next: MetaRecord = { ...meta, wraps: { ...meta.wraps, passcode } };
  const ok = await ctx.platform.store.commit({
    guard: { key: ctx.keys.meta, test: (stored) => storedKid(stored) === kid },
    put: [[ctx.keys.meta, toStored(next)]],
  });
  if (!ok) throw new StaleKeyState();
  return next;
}

/** Deletes the device key when no vault uses it. Best effort: a key that stays is what an older version left anyway; never fail the change for it. */
export async function releaseDeviceKey(ctx: VaultContext): Promise<void> {
  await releaseDeviceKeyIfUnused(ctx).catch(() => undefined);
}

function deviceKeyNotCreated() {
  return securityNotAvailable('The platform could not create a device key.');
}

/**
 * The data key's wraps: which wraps a vault's switches call for, how each is bound to its vault
 * and key id (the additional data of every wrap), and how they are made and opened. A wrap is the
 * data key encrypted under one unlock method's key: the passcode (through the passcode slot,
 * passcode-slot.ts), the biometric key, or the device key when no method is switched on.
 * Rotating the data key when the wraps change is key-rotation.ts's job.
 */
import { OpenFailed, bindingData, unwrapDataKey, wrapDataKey } from './envelope.js';
import { invalidatedCredential, keyNotFound } from './errors.js';
import type { KdfParams } from './kdf.js';
import {
  newSlotKeys,
  openSlotPublicKey,
  openSlotUnderDeviceKey,
  sealSlotPublicKey,
  sealSlotUnderDeviceKey,
  unwrapFromSlot,
  unwrapSlotPrivateKey,
  wrapSlotPrivateKey,
  wrapToSlot,
} from './passcode-slot.js';
import type { Platform, StoredRecord } from './ports.js';
import { parseMeta, usesDeviceKey, type MetaRecord, type PasscodeWrap, type VaultKeys, type Wraps } from './records.js';
import type { VaultDescriptor } from './types.js';

/** What the wrap and rotation functions need to know about the vault. */
export interface VaultContext {
  readonly platform: Platform;
  readonly descriptor: VaultDescriptor;
  readonly keys: VaultKeys;
}

/** New key material for a wrap: a new passcode, or a biometric key just enrolled. */
export interface WrapInputs {
  readonly passcode?: { readonly key: CryptoKey; readonly kdf: KdfParams };
  readonly biometricKey?: CryptoKey;
}

type WrapKind = 'passcode' | 'biometric' | 'device';

/** Additional data of a wrap (the KDF parameters are bound too: editing them makes the wrap fail to open). */
export function wrapBinding(ctx: VaultContext, kind: WrapKind | 'passcode-slot', kid: string, kdf?: KdfParams): Uint8Array<ArrayBuffer> {
  return bindingData('wrap', kind, ctx.descriptor.vaultId, ctx.descriptor.username, kid, kdf ? { ...kdf } : null);
}

/** Additional data of the slot's private key: the KDF parameters and the attempt limit are bound to it. */
function slotBinding(ctx: VaultContext, kdf: KdfParams, maxAttempts: number): Uint8Array<ArrayBuffer> {
  return bindingData('passcode-slot', ctx.descriptor.vaultId, ctx.descriptor.username, { ...kdf }, maxAttempts);
}

/** Additional data of the slot's seal under the device key (passcode-slot.ts `sealSlotUnderDeviceKey`). */
function slotDeviceBinding(ctx: VaultContext): Uint8Array<ArrayBuffer> {
  return bindingData('passcode-device', ctx.descriptor.vaultId, ctx.descriptor.username);
}

function slotPublicBinding(ctx: VaultContext, kid: string): Uint8Array<ArrayBuffer> {
  return bindingData('passcode-public', ctx.descriptor.vaultId, ctx.descriptor.username, kid);
}

export function valueBinding(ctx: VaultContext, key: string): Uint8Array<ArrayBuffer> {
  return bindingData('value', ctx.descriptor.vaultId, ctx.descriptor.username, key);
}

/** The wrap kinds `meta` calls for: passcode and biometrics as switched on (and set up), else the device key. */
export function wrapKinds(meta: MetaRecord, inputs: WrapInputs, previous: MetaRecord): Set<WrapKind> {
  const kinds = new Set<WrapKind>();
  if (meta.passcodeEnabled && (inputs.passcode || previous.wraps.passcode)) kinds.add('passcode');
  if (meta.biometricsEnabled && meta.credential !== null) kinds.add('biometric');
  if (kinds.size === 0) kinds.add('device');
  return kinds;
}

/**
 * Whether writing `next` over `current` (same key id) adds, removes or replaces a wrap, so the
 * data key must be rotated.
 */
export function changesWraps(current: MetaRecord, next: MetaRecord, inputs: WrapInputs): boolean {
  if (inputs.passcode || inputs.biometricKey) return true;
  if (JSON.stringify(next.credential) !== JSON.stringify(current.credential)) return true;
  const before = Object.keys(current.wraps).sort().join();
  const after = [...wrapKinds(next, inputs, current)].sort().join();
  return before !== after;
}

/**
 * Whether a new data key can be wrapped for every method that stays. Only a passcode wrap from
 * before the passcode slot cannot be remade without the passcode; such a vault moves to a slot at
 * its next passcode unlock, and until then keeps its data key (docs/security.md says so).
 */
export function canRotate(current: MetaRecord, next: MetaRecord, inputs: WrapInputs): boolean {
  if (inputs.passcode || !next.passcodeEnabled) return true;
  const wrap = current.wraps.passcode;
  return wrap === undefined || wrap.slot !== undefined;
}

/** Wraps `dataKey` to the passcode slot of `wrap`, opening the slot's public key with `previousKey`. */
async function rewrapToSlot(
  ctx: VaultContext,
  wrap: PasscodeWrap,
  previousKid: string,
  previousKey: CryptoKey,
  kid: string,
  dataKey: CryptoKey,
): Promise<PasscodeWrap> {
  const crypto = ctx.platform.crypto;
  const publicKey = await openSlotPublicKey(crypto, wrap.pub!, previousKey, slotPublicBinding(ctx, previousKid));
  const sealed = await wrapToSlot(crypto, dataKey, publicKey, wrapBinding(ctx, 'passcode-slot', kid));
  // The slot itself (and its seal under the device key, when it has one) stays as it is.
  return { ...wrap, pub: await sealSlotPublicKey(crypto, publicKey, dataKey, slotPublicBinding(ctx, kid)), ...sealed };
}

/**
 * A new passcode slot for `dataKey` under the passcode key in `input`, sealed under the device key
 * too when the platform asks for it (`bindPasscodeToDeviceKey`: see passcode-slot.ts for why).
 */
export async function newPasscodeWrap(
  ctx: VaultContext,
  input: NonNullable<WrapInputs['passcode']>,
  maxAttempts: number,
  kid: string,
  dataKey: CryptoKey,
): Promise<PasscodeWrap> {
  const crypto = ctx.platform.crypto;
  const keys = await newSlotKeys(crypto);
  const slot = await wrapSlotPrivateKey(crypto, keys.privateKey, input.key, slotBinding(ctx, input.kdf, maxAttempts));
  const bound =
    ctx.platform.bindPasscodeToDeviceKey === true ? await sealSlotUnderDeviceKey(crypto, slot, await deviceKeyToWrap(ctx), slotDeviceBinding(ctx)) : { slot };
  const sealed = await wrapToSlot(crypto, dataKey, keys.publicKey, wrapBinding(ctx, 'passcode-slot', kid));
  return { kdf: input.kdf, ...bound, pub: await sealSlotPublicKey(crypto, keys.publicKey, dataKey, slotPublicBinding(ctx, kid)), ...sealed };
}

/** Whether the passcode wrap should be (re)made at the next passcode unlock: from before the slot, or not yet sealed under the device key where the platform asks for that. */
export function passcodeWrapNeedsUpgrade(ctx: VaultContext, wrap: PasscodeWrap): boolean {
  return wrap.slot === undefined || (ctx.platform.bindPasscodeToDeviceKey === true && wrap.slotKey === undefined);
}

/**
 * The passcode wrap with its slot taken out of the seal under the device key (unchanged when it
 * has none). Done before an attempt is counted: a missing or replaced device key is not a wrong
 * passcode, and asking again would not help.
 *
 * @throws KeyNotFound: the device key is gone (on Android, lost to `apply()`: the platform's
 *   message says so), or another device key replaced it. The records are left as they are.
 */
export async function unsealPasscodeSlot(ctx: VaultContext, wrap: PasscodeWrap): Promise<PasscodeWrap> {
  const { slotKey, ...rest } = wrap;
  if (slotKey === undefined || wrap.slot === undefined) return wrap;
  const deviceKey = await ctx.platform.deviceKey.get({ create: false });
  if (!deviceKey) throw keyNotFound('The device key this passcode vault is bound to was not found on this device; clear the vault and log in again.');
  try {
    return { ...rest, slot: await openSlotUnderDeviceKey(ctx.platform.crypto, { slot: wrap.slot, slotKey }, deviceKey, slotDeviceBinding(ctx)) };
  } catch (error) {
    if (!(error instanceof OpenFailed)) throw error;
    throw keyNotFound('The device key no longer opens this passcode vault (it was replaced); clear the vault and log in again.');
  }
}

/** Whether the device key there is now still opens the seal of `meta`'s passcode slot (true when it has none). */
export async function passcodeSealStillOpens(ctx: VaultContext, meta: MetaRecord): Promise<boolean> {
  const wrap = meta.wraps.passcode;
  if (wrap?.slotKey === undefined) return true;
  try {
    await unsealPasscodeSlot(ctx, wrap);
    return true;
  } catch {
    return false;
  }
}

/**
 * The data key from a passcode wrap (slot or, for older vaults, plain), given the passcode key.
 * @throws OpenFailed; KeyNotFound as {@link unsealPasscodeSlot} (give it an unsealed wrap to have that checked first)
 */
export async function openPasscodeWrap(
  ctx: VaultContext,
  sealedWrap: PasscodeWrap,
  kdf: KdfParams,
  passcodeKey: CryptoKey,
  kid: string,
  maxAttempts: number | undefined,
): Promise<CryptoKey> {
  const crypto = ctx.platform.crypto;
  const wrap = await unsealPasscodeSlot(ctx, sealedWrap);
  if (wrap.slot === undefined || wrap.epk === undefined) return unwrapDataKey(crypto, wrap, passcodeKey, wrapBinding(ctx, 'passcode', kid, kdf));
  if (maxAttempts === undefined) throw new OpenFailed(); // a slot is always written with its limit
  const privateKey = await unwrapSlotPrivateKey(crypto, wrap.slot, passcodeKey, slotBinding(ctx, kdf, maxAttempts));
  return unwrapFromSlot(crypto, { epk: wrap.epk, iv: wrap.iv, ct: wrap.ct }, privateKey, wrapBinding(ctx, 'passcode-slot', kid));
}

/** Moves an older vault's plain passcode wrap to a slot (same data key, same key id). */
export async function upgradePasscodeWrap(
  ctx: VaultContext,
  meta: MetaRecord,
  passcodeKey: CryptoKey,
  kdf: KdfParams,
  maxAttempts: number,
  dataKey: CryptoKey,
): Promise<MetaRecord> {
  const wrap = await newPasscodeWrap(ctx, { key: passcodeKey, kdf }, maxAttempts, meta.kid!, dataKey);
  return { ...meta, maxAttempts, wraps: { ...meta.wraps, passcode: wrap } };
}

/**
 * The wraps `meta` calls for, of `dataKey` under key id `meta.kid`: keeps the wraps of `previous`
 * that are still valid (same key id), remakes the others, and keeps a device wrap exactly when no
 * passcode or biometric wrap can open the data key (removing the last unlock method falls back
 * to `SecureStorage`, never to loss). `deviceKeyFetched`: the device key, `get({ create: true })`
 * already under way (key rotation starts it first thing); fetched here when absent.
 */
export async function makeWraps(
  ctx: VaultContext,
  meta: MetaRecord,
  dataKey: CryptoKey,
  inputs: WrapInputs,
  previous: { readonly meta: MetaRecord; readonly dataKey: CryptoKey | undefined },
  maxAttempts: number,
  deviceKeyFetched?: Promise<CryptoKey | undefined>,
): Promise<{ wraps: Wraps; maxAttempts: number | undefined }> {
  const kid = meta.kid!;
  const crypto = ctx.platform.crypto;
  const sameKey = kid === previous.meta.kid;
  const wraps: { -readonly [K in keyof Wraps]: Wraps[K] } = {};
  let limit = meta.maxAttempts;
  if (meta.passcodeEnabled) {
    const old = previous.meta.wraps.passcode;
    if (inputs.passcode) {
      wraps.passcode = await newPasscodeWrap(ctx, inputs.passcode, maxAttempts, kid, dataKey);
      limit = maxAttempts;
    } else if (old && sameKey) wraps.passcode = old;
    else if (old?.slot && previous.dataKey && previous.meta.kid !== null) {
      wraps.passcode = await rewrapToSlot(ctx, old, previous.meta.kid, previous.dataKey, kid, dataKey);
    }
  }
  if (!wraps.passcode) limit = undefined;
  if (meta.biometricsEnabled && meta.credential !== null) {
    const old = previous.meta.wraps.biometric;
    if (!inputs.biometricKey && sameKey && old && JSON.stringify(previous.meta.credential) === JSON.stringify(meta.credential)) wraps.biometric = old;
    else {
      const key = inputs.biometricKey ?? (await ctx.platform.biometrics.keyForWrap({ credential: meta.credential }));
      wraps.biometric = await wrapDataKey(crypto, dataKey, key, wrapBinding(ctx, 'biometric', kid));
    }
  }
  if (!wraps.passcode && !wraps.biometric) {
    if (sameKey && previous.meta.wraps.device) wraps.device = previous.meta.wraps.device;
    else wraps.device = await wrapDataKey(crypto, dataKey, await deviceKeyToWrap(ctx, deviceKeyFetched), wrapBinding(ctx, 'device', kid));
  }
  return { wraps, maxAttempts: limit };
}

async function deviceKeyToWrap(ctx: VaultContext, fetched?: Promise<CryptoKey | undefined>): Promise<CryptoKey> {
  const deviceKey = await (fetched ?? ctx.platform.deviceKey.get({ create: true }));
  // The engine turns this into SecurityNotAvailable; kept as a plain error here to stay free of codes.
  if (!deviceKey) throw new DeviceKeyMissing();
  return deviceKey;
}

export class DeviceKeyMissing extends Error {
  constructor() {
    super('the platform could not create a device key');
    this.name = 'DeviceKeyMissing';
  }
}

/** `meta` with `maxAttempts` set, or without the field when undefined (records are JSON: no undefined fields). */
export function withLimit(meta: MetaRecord, maxAttempts: number | undefined): MetaRecord {
  const { maxAttempts: dropped, ...rest } = meta;
  void dropped;
  return maxAttempts === undefined ? rest : { ...rest, maxAttempts };
}

/**
 * Deletes the device key when no vault in the store still has a device wrap or a passcode slot
 * sealed under it (deleting it then would make that passcode vault unopenable). Conservative: a
 * meta that cannot be read counts as using it. The device key is shared by every vault of the platform.
 */
export async function releaseDeviceKeyIfUnused(ctx: VaultContext): Promise<boolean> {
  const { store, deviceKey } = ctx.platform;
  // `iv1/<id>/<user>/meta`: id and user are percent-encoded, so a meta key has exactly three slashes
  // (a value named "meta" lives under `.../v/meta`, one level deeper).
  const isMetaKey = (key: string) => key.endsWith('/meta') && key.split('/').length === 4;
  // Where the platform can, the look and the delete are one transaction (key rotation relies on it).
  if (deviceKey.deleteUnlessUsed) return deviceKey.deleteUnlessUsed('iv1/', isMetaKey, metaUsesDeviceKey);
  for (const key of (await store.keys('iv1/')).filter(isMetaKey)) {
    const used = await store.get(key).then(metaUsesDeviceKey, () => true);
    if (used) return false;
  }
  await deviceKey.delete();
  return true;
}

function metaUsesDeviceKey(record: StoredRecord | undefined): boolean {
  try {
    const meta = parseMeta(record);
    return meta !== undefined && usesDeviceKey(meta.wraps);
  } catch {
    return true;
  }
}

/**
 * After a device wrap was written: checks that the device key still opens it. Another tab or
 * process may have deleted the device key between our `get` and our commit (its last device wrap
 * went away at that moment); then the wrap is made again under a new device key.
 */
export async function deviceWrapStillOpens(ctx: VaultContext, meta: MetaRecord): Promise<boolean> {
  const wrap = meta.wraps.device;
  if (!wrap || meta.kid === null) return true;
  const key = await ctx.platform.deviceKey.get({ create: false });
  if (!key) return false;
  try {
    await unwrapDataKey(ctx.platform.crypto, wrap, key, wrapBinding(ctx, 'device', meta.kid));
    return true;
  } catch (error) {
    if (error instanceof OpenFailed) return false;
    throw error;
  }
}

/** The data key from the biometric wrap, given the key the platform released. @throws InvalidatedCredential (the key no longer opens it) */
export async function openBiometricWrap(ctx: VaultContext, wrap: NonNullable<Wraps['biometric']>, kid: string, key: CryptoKey): Promise<CryptoKey> {
  try {
    return await unwrapDataKey(ctx.platform.crypto, wrap, key, wrapBinding(ctx, 'biometric', kid));
  } catch (error) {
    if (!(error instanceof OpenFailed)) throw error;
    throw invalidatedCredential('The biometric key no longer opens this vault (biometrics changed); unlock with the passcode or log in again.');
  }
}

/** The data key from the device wrap of `meta`. @throws KeyNotFound (no device wrap, no device key, or another device key) */
export async function openDeviceWrap(ctx: VaultContext, meta: MetaRecord): Promise<CryptoKey> {
  const { wraps, kid } = meta;
  const deviceKey = await ctx.platform.deviceKey.get({ create: false });
  if (!wraps.device || !deviceKey || kid === null) throw keyNotFound('The device key of this vault was not found.');
  try {
    return await unwrapDataKey(ctx.platform.crypto, wraps.device, deviceKey, wrapBinding(ctx, 'device', kid));
  } catch (error) {
    if (!(error instanceof OpenFailed)) throw error;
    throw keyNotFound('The device key no longer opens this vault (it was replaced).');
  }
}

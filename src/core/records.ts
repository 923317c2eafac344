/**
 * What a vault persists, and where. Every record is plain data; nothing in it is a secret in the
 * clear (values and the data key only ever appear sealed).
 *
 * Value records hold their IV and ciphertext as bytes ({@link ValueRecord}); a text store writes
 * them as base64 ({@link recordText}), as every record was written before bytes were stored.
 *
 * Keys, per vault (`<id>` and `<user>` percent-encoded so no descriptor can reach another's keys):
 * - `iv1/<id>/<user>/meta`      {@link MetaRecord}: switches, key id, wrapped data keys
 * - `iv1/<id>/<user>/attempts`  {@link AttemptsRecord}: failed passcode attempts left
 * - `iv1/<id>/<user>/v/<key>`   {@link ValueRecord}: one sealed value per key
 *
 * Value keys are visible in storage (values are not). Say so in the security model.
 */
import { corrupted } from './errors.js';
import type { Sealed, SealedStored } from './envelope.js';
import type { BiometricCredential, JsonRecord, StoredBytes, StoredRecord } from './ports.js';
import { toBase64 } from './bytes.js';
import type { KdfParams } from './kdf.js';

export const RECORD_VERSION = 1;

export interface VaultKeys {
  readonly prefix: string;
  readonly meta: string;
  readonly attempts: string;
  readonly valuesPrefix: string;
  value(key: string): string;
  keyOfValue(storeKey: string): string;
}

export function vaultKeys(vaultId: string, username: string): VaultKeys {
  const prefix = `iv1/${encodeURIComponent(vaultId)}/${encodeURIComponent(username)}/`;
  const valuesPrefix = `${prefix}v/`;
  return {
    prefix,
    meta: `${prefix}meta`,
    attempts: `${prefix}attempts`,
    valuesPrefix,
    value: (key) => valuesPrefix + encodeURIComponent(key),
    keyOfValue: (storeKey) => decodeURIComponent(storeKey.slice(valuesPrefix.length)),
  };
}

/** The wrapped data key under each unlock method that is set up. */
export interface Wraps {
  /**
   * With `slot`/`pub`/`epk`: the data key wrapped to the passcode slot (passcode-slot.ts); without
   * them (vaults from before the slot): wrapped directly under the passcode's PBKDF2 key.
   */
  readonly passcode?: PasscodeWrap;
  readonly biometric?: Sealed;
  readonly device?: Sealed;
}

/**
 * The passcode's wrap of the data key, see {@link Wraps.passcode}. With `slotKey`, `slot` is also
 * sealed under the device key (passcode-slot.ts `sealSlotUnderDeviceKey`).
 */
export type PasscodeWrap = Sealed & {
  readonly kdf: KdfParams;
  readonly slot?: Sealed;
  readonly pub?: Sealed;
  readonly epk?: string;
  readonly slotKey?: Sealed;
};

/** Whether `wraps` need the platform's device key: a device wrap, or a passcode slot sealed under it. */
export function usesDeviceKey(wraps: Wraps): boolean {
  return wraps.device !== undefined || wraps.passcode?.slotKey !== undefined;
}

export interface MetaRecord {
  readonly v: typeof RECORD_VERSION;
  readonly passcodeEnabled: boolean;
  readonly biometricsEnabled: boolean;
  /** Random id of the current data key; `null` before any key exists (new or cleared vault). */
  readonly kid: string | null;
  readonly wraps: Wraps;
  /** The biometric credential the platform created; kept across `clear()` while biometrics stay enabled. */
  readonly credential: BiometricCredential | null;
  /**
   * The failed-passcode limit, fixed when the passcode is set and bound into the passcode wrap's
   * additional data (so editing it makes the wrap fail to open). Absent in vaults whose passcode
   * was set before the limit was stored: those keep the client's limit (see {@link parseAttempts}).
   */
  readonly maxAttempts?: number;
  /**
   * Set while a data-key rotation is between its two commits (see key-rotation.ts): value writes
   * under the old key are refused meanwhile so none is lost. A mark older than
   * {@link REKEY_MARK_STALE_MS} was left by a crash and is ignored.
   */
  readonly rekeying?: { readonly kid: string; readonly at: number };
}

/** After this long, a rotation mark is taken as left behind by a crash (a rotation of 10,000 values takes a few seconds). */
export const REKEY_MARK_STALE_MS = 60_000;

/** Whether `meta` (as stored) carries a rotation mark that is still live at `now`. */
export function rekeyInProgress(meta: { rekeying?: unknown } | undefined, now: number): boolean {
  const mark = meta?.rekeying as { at?: unknown } | undefined;
  if (mark === undefined || typeof mark.at !== 'number') return false;
  const age = now - mark.at;
  return age >= 0 && age < REKEY_MARK_STALE_MS;
}

export interface AttemptsRecord {
  readonly v: typeof RECORD_VERSION;
  readonly remaining: number;
}

/**
 * One sealed value. Written with bytes (`sealValue`); read back as bytes from IndexedDB, as base64
 * text from a text store or from a record written before bytes were stored (both open).
 */
export interface ValueRecord extends SealedStored {
  readonly v: typeof RECORD_VERSION;
}

/** A value record as written: the bytes themselves. */
export interface ValueRecordBytes extends ValueRecord {
  readonly iv: StoredBytes;
  readonly ct: StoredBytes;
}

export const EMPTY_META: MetaRecord = { v: 1, passcodeEnabled: false, biometricsEnabled: false, kid: null, wraps: {}, credential: null };

const isSealed = (x: unknown): x is Sealed => isRecord(x) && typeof x.iv === 'string' && typeof x.ct === 'string';

function isPasscodeWrap(x: unknown): boolean {
  if (!isSealed(x)) return false;
  const w = x as unknown as Record<string, unknown>;
  if (!isRecord(w.kdf)) return false;
  const slotFields = [w.slot, w.pub, w.epk].filter((f) => f !== undefined).length;
  if (slotFields === 0) return w.slotKey === undefined;
  return slotFields === 3 && isSealed(w.slot) && isSealed(w.pub) && typeof w.epk === 'string' && (w.slotKey === undefined || isSealed(w.slotKey));
}

export function parseMeta(record: StoredRecord | undefined): MetaRecord | undefined {
  if (record === undefined) return undefined;
  const r = record as Record<string, unknown>;
  const wraps = r.wraps;
  if (
    r.v !== RECORD_VERSION ||
    typeof r.passcodeEnabled !== 'boolean' ||
    typeof r.biometricsEnabled !== 'boolean' ||
    !(r.kid === null || typeof r.kid === 'string') ||
    !isRecord(wraps) ||
    !(r.credential === null || isRecord(r.credential)) ||
    (wraps.passcode !== undefined && !isPasscodeWrap(wraps.passcode)) ||
    (wraps.biometric !== undefined && !isSealed(wraps.biometric)) ||
    (wraps.device !== undefined && !isSealed(wraps.device)) ||
    (r.maxAttempts !== undefined && !(typeof r.maxAttempts === 'number' && Number.isInteger(r.maxAttempts) && r.maxAttempts >= 1)) ||
    (r.rekeying !== undefined && !(isRecord(r.rekeying) && typeof r.rekeying.kid === 'string' && typeof r.rekeying.at === 'number'))
  ) {
    throw corrupted('vault configuration');
  }
  return record as unknown as MetaRecord;
}

/**
 * Failed passcode attempts left. `limitStored` says whether the vault stores its limit (passcode
 * set by this version): then the counter is written with the passcode and only ever rewritten, so
 * a missing one was deleted by someone else and counts as one attempt left. Older vaults never
 * wrote a counter before the first failure: for them a missing counter is the full limit.
 */
export function parseAttempts(record: StoredRecord | undefined, limit: number, limitStored = false): number {
  if (record === undefined) return limitStored ? Math.min(1, limit) : limit;
  const r = record as Record<string, unknown>;
  if (r.v !== RECORD_VERSION || typeof r.remaining !== 'number' || !Number.isInteger(r.remaining) || r.remaining < 0) {
    // A damaged counter is read as one attempt left: tampering buys no extra guesses, and the
    // right passcode still opens the vault (and rewrites the counter) instead of a silent wipe.
    return Math.min(1, limit);
  }
  return Math.min(r.remaining, limit);
}

/** A bytes field as stored: bytes over an `ArrayBuffer` (IndexedDB), or base64 text (text stores, older records). */
const isStoredBytes = (x: unknown): boolean => typeof x === 'string' || (x instanceof Uint8Array && x.buffer instanceof ArrayBuffer);

export function parseValue(record: StoredRecord): ValueRecord {
  const r = record as Record<string, unknown>;
  if (r.v !== RECORD_VERSION || !isStoredBytes(r.iv) || !isStoredBytes(r.ct)) throw corrupted('value');
  return record as unknown as ValueRecord;
}

/** Whether `value` is a JSON object: not null, not an array (the shape of every stored record). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A stored record from its JSON text, or `undefined` when the text is not JSON or not an object. */
export function parseStoredRecord(text: string): JsonRecord | undefined {
  try {
    const record = JSON.parse(text) as unknown;
    return isRecord(record) ? (record as JsonRecord) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A record as JSON text, for the stores that keep text (Node files, memory, SQLite, the native
 * plugin): bytes become their base64 text, the form every record had before bytes were stored, so
 * text stores write exactly what they always wrote and `parseValue` reads it back.
 */
export function recordText(record: StoredRecord | object): string {
  return JSON.stringify(record, bytesAsBase64);
}

function bytesAsBase64(_field: string, value: unknown): unknown {
  return value instanceof Uint8Array ? toBase64(value) : value;
}

export function toStored(record: MetaRecord | AttemptsRecord | ValueRecord): StoredRecord {
  return record as unknown as StoredRecord;
}

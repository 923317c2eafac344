/**
 * What a vault persists, and where. Every record is plain JSON; nothing in it is a secret in the
 * clear (values and the data key only ever appear sealed).
 *
 * Keys, per vault (`<id>` and `<user>` percent-encoded so no descriptor can reach another's keys):
 * - `iv1/<id>/<user>/meta`      {@link MetaRecord}: switches, key id, wrapped data keys
 * - `iv1/<id>/<user>/attempts`  {@link AttemptsRecord}: failed passcode attempts left
 * - `iv1/<id>/<user>/v/<key>`   {@link ValueRecord}: one sealed value per key
 *
 * Value keys are visible in storage (values are not). Say so in the security model.
 */
import { VaultError, VaultErrorCodes } from './errors.js';
import type { Sealed } from './envelope.js';
import type { BiometricCredential, JsonValue, StoredRecord } from './ports.js';
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
  readonly passcode?: Sealed & { readonly kdf: KdfParams };
  readonly biometric?: Sealed;
  readonly device?: Sealed;
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
}

export interface AttemptsRecord {
  readonly v: typeof RECORD_VERSION;
  readonly remaining: number;
}

export interface ValueRecord extends Sealed {
  readonly v: typeof RECORD_VERSION;
}

export const EMPTY_META: MetaRecord = { v: 1, passcodeEnabled: false, biometricsEnabled: false, kid: null, wraps: {}, credential: null };

export function corrupted(what: string): VaultError {
  return new VaultError(VaultErrorCodes.VaultUnavailable, `The stored ${what} is corrupted or was written by an unknown version; it was left untouched.`);
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isSealed = (x: unknown): x is Sealed => isObject(x) && typeof x.iv === 'string' && typeof x.ct === 'string';

export function parseMeta(record: StoredRecord | undefined): MetaRecord | undefined {
  if (record === undefined) return undefined;
  const r = record as Record<string, unknown>;
  const wraps = r.wraps;
  if (
    r.v !== RECORD_VERSION ||
    typeof r.passcodeEnabled !== 'boolean' ||
    typeof r.biometricsEnabled !== 'boolean' ||
    !(r.kid === null || typeof r.kid === 'string') ||
    !isObject(wraps) ||
    !(r.credential === null || isObject(r.credential)) ||
    (wraps.passcode !== undefined && !(isSealed(wraps.passcode) && isObject((wraps.passcode as unknown as Record<string, unknown>).kdf))) ||
    (wraps.biometric !== undefined && !isSealed(wraps.biometric)) ||
    (wraps.device !== undefined && !isSealed(wraps.device))
  ) {
    throw corrupted('vault configuration');
  }
  return record as unknown as MetaRecord;
}

export function parseAttempts(record: StoredRecord | undefined, limit: number): number {
  if (record === undefined) return limit;
  const r = record as Record<string, unknown>;
  if (r.v !== RECORD_VERSION || typeof r.remaining !== 'number' || !Number.isInteger(r.remaining) || r.remaining < 0) {
    // A damaged counter is read as one attempt left: tampering buys no extra guesses, and the
    // right passcode still opens the vault (and rewrites the counter) instead of a silent wipe.
    return Math.min(1, limit);
  }
  return Math.min(r.remaining, limit);
}

export function parseValue(record: StoredRecord): ValueRecord {
  const r = record as Record<string, unknown>;
  if (r.v !== RECORD_VERSION || !isSealed(r)) throw corrupted('value');
  return record as unknown as ValueRecord;
}

/** Whether `value` is a JSON object: not null, not an array (the shape of every stored record). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A stored record from its JSON text, or `undefined` when the text is not JSON or not an object. */
export function parseStoredRecord(text: string): StoredRecord | undefined {
  try {
    const record = JSON.parse(text) as unknown;
    return isRecord(record) ? (record as StoredRecord) : undefined;
  } catch {
    return undefined;
  }
}

export function toStored(record: MetaRecord | AttemptsRecord | ValueRecord): StoredRecord {
  return record as unknown as { readonly [field: string]: JsonValue };
}

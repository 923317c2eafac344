/**
 * The crypto envelope: AES-256-GCM for values and for wrapping the data key.
 *
 * - One random 256-bit data key per vault encrypts every value.
 * - Every encryption uses a fresh random 96-bit IV (NIST SP 800-38D 8.2.2: random IVs are safe
 *   well below 2^32 encryptions per key).
 * - Additional authenticated data binds each ciphertext to where it belongs (vault id, username,
 *   value key or wrap kind), so a ciphertext copied elsewhere fails to open instead of opening as
 *   the wrong thing.
 * - Failure to open is reported without detail: the caller decides the error code, and nothing
 *   about the plaintext or key leaks through a message.
 */
import { fromBase64, toBase64, utf8 } from './bytes.js';
import type { CryptoPort, JsonValue, StoredBytes } from './ports.js';

const AES_GCM = 'AES-GCM';
const IV_BYTES = 12;

/** A sealed blob as text: base64 IV and ciphertext (the GCM tag is the last 16 bytes). Wraps in the meta record. */
export interface Sealed {
  readonly iv: string;
  readonly ct: string;
}

/** A sealed blob as bytes: how a value record holds it (records.ts), so IndexedDB stores no base64. */
export interface SealedBytes {
  readonly iv: StoredBytes;
  readonly ct: StoredBytes;
}

/** A sealed blob as read from storage: bytes, or base64 text (text stores, records from before bytes). */
export interface SealedStored {
  readonly iv: string | StoredBytes;
  readonly ct: string | StoredBytes;
}

/** Thrown when a sealed blob does not open (wrong key, tampering, wrong place). Carries no detail. */
export class OpenFailed extends Error {
  constructor() {
    super('sealed data did not open');
    this.name = 'OpenFailed';
  }
}

/** The additional data: a versioned, unambiguous encoding of the binding fields. */
export function bindingData(...fields: readonly JsonValue[]): Uint8Array<ArrayBuffer> {
  return utf8(JSON.stringify(['identity-vault/1', ...fields]));
}

/** A new random data key. Extractable only so it can be wrapped; it is never stored unwrapped. */
export function generateDataKey(cryptoPort: CryptoPort): Promise<CryptoKey> {
  return cryptoPort.subtle.generateKey({ name: AES_GCM, length: 256 }, true, ['encrypt', 'decrypt']) as Promise<CryptoKey>;
}

export async function seal(cryptoPort: CryptoPort, key: CryptoKey, plaintext: Uint8Array<ArrayBuffer>, binding: Uint8Array<ArrayBuffer>): Promise<Sealed> {
  const { iv, ct } = await sealBytes(cryptoPort, key, plaintext, binding);
  return { iv: toBase64(iv), ct: toBase64(ct) };
}

/** {@link seal}, keeping the bytes (each its own exactly-sized buffer, so a structured clone copies nothing more). */
export async function sealBytes(
  cryptoPort: CryptoPort,
  key: CryptoKey,
  plaintext: Uint8Array<ArrayBuffer>,
  binding: Uint8Array<ArrayBuffer>,
): Promise<SealedBytes> {
  const iv = cryptoPort.randomBytes(IV_BYTES);
  const ct = await cryptoPort.subtle.encrypt({ name: AES_GCM, iv, additionalData: binding }, key, plaintext);
  return { iv, ct: new Uint8Array(ct) };
}

export async function open(cryptoPort: CryptoPort, key: CryptoKey, sealed: SealedStored, binding: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const { iv, ct } = decodeSealed(sealed);
  try {
    return new Uint8Array(await cryptoPort.subtle.decrypt({ name: AES_GCM, iv, additionalData: binding }, key, ct));
  } catch {
    throw new OpenFailed();
  }
}

/** Wraps the data key under `wrappingKey` (AES-GCM, usage `wrapKey`). */
export async function wrapDataKey(cryptoPort: CryptoPort, dataKey: CryptoKey, wrappingKey: CryptoKey, binding: Uint8Array<ArrayBuffer>): Promise<Sealed> {
  const iv = cryptoPort.randomBytes(IV_BYTES);
  const ct = await cryptoPort.subtle.wrapKey('raw', dataKey, wrappingKey, { name: AES_GCM, iv, additionalData: binding });
  return { iv: toBase64(iv), ct: toBase64(new Uint8Array(ct)) };
}

/**
 * Unwraps a data key. The result is extractable because changing the passcode or enabling
 * biometrics must wrap it again; it lives in memory only while the vault is unlocked.
 */
export async function unwrapDataKey(cryptoPort: CryptoPort, sealed: Sealed, wrappingKey: CryptoKey, binding: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const { iv, ct } = decodeSealed(sealed);
  try {
    return await cryptoPort.subtle.unwrapKey('raw', ct, wrappingKey, { name: AES_GCM, iv, additionalData: binding }, { name: AES_GCM, length: 256 }, true, [
      'encrypt',
      'decrypt',
    ]);
  } catch {
    throw new OpenFailed();
  }
}

/**
 * What identifies a sealed blob: its IV and GCM tag (the last 16 bytes of the ciphertext), 28 bytes;
 * `undefined` for a damaged one. Another blob under the same key with the same IV and tag but other
 * bytes would be a forgery of the tag (it does not open), so equal fingerprints mean the same blob
 * for every blob that opens. Not secret: both are stored in the clear beside the ciphertext.
 */
export function sealedFingerprint(sealed: SealedStored): Uint8Array | undefined {
  let decoded: { iv: Uint8Array; ct: Uint8Array };
  try {
    decoded = decodeSealed(sealed);
  } catch {
    return undefined;
  }
  const fingerprint = new Uint8Array(IV_BYTES + 16);
  fingerprint.set(decoded.iv);
  fingerprint.set(decoded.ct.subarray(decoded.ct.length - 16), IV_BYTES);
  return fingerprint;
}

/** Whether two fingerprints ({@link sealedFingerprint}) are equal. */
export function sameFingerprint(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Bytes as they are, base64 text decoded; anything else (a tampered record) is `undefined`. */
function storedBytes(field: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (typeof field === 'string') return fromBase64(field);
  return field instanceof Uint8Array && field.buffer instanceof ArrayBuffer ? (field as Uint8Array<ArrayBuffer>) : undefined;
}

function decodeSealed(sealed: SealedStored): { iv: Uint8Array<ArrayBuffer>; ct: Uint8Array<ArrayBuffer> } {
  const iv = storedBytes(sealed.iv);
  const ct = storedBytes(sealed.ct);
  // A GCM ciphertext is at least its 16-byte tag; anything else is damage, not a wrong key.
  if (!iv || iv.length !== IV_BYTES || !ct || ct.length < 16) throw new OpenFailed();
  return { iv, ct };
}

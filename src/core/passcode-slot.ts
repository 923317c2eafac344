/**
 * The passcode slot: how the data key is wrapped for the passcode so that a new data key can be
 * wrapped for it *without* the passcode.
 *
 * Why: every change of protection makes a new data key (key-rotation.ts), and every unlock method
 * that stays must wrap the new key. A vault unlocked with biometrics does not know the passcode,
 * and asking for it to, say, disable biometrics would change the API. So the passcode protects a
 * private key instead of the data key itself:
 *
 * - `slot`: a random ECDH P-256 private key, wrapped (PKCS #8, AES-GCM) under the PBKDF2 key of the
 *   passcode. Made when the passcode is set; a passcode change makes a new one.
 * - `pub`: the slot's public key, *sealed under the current data key* (so it is authenticated: an
 *   attacker who can write storage cannot substitute their own public key and receive the next
 *   data key; and it is re-sealed under each new data key).
 * - `epk`/`iv`/`ct`: the data key wrapped ECIES-style: an ephemeral ECDH key agreement with the
 *   slot's public key, HKDF-SHA-256 to an AES-256-GCM key, AES-GCM key wrap.
 *
 * An old copy of storage plus the passcode of that time opens the old slot, whose private key
 * opens only data keys wrapped to *its* public key: a passcode change makes a new slot, and every
 * data key after it is wrapped to the new slot only.
 *
 * Vaults whose passcode was set before this scheme hold a plain wrap (`iv`/`ct` under the PBKDF2
 * key, no `slot`): they still open, and are moved to a slot at their next passcode unlock.
 *
 * On a platform that sets `bindPasscodeToDeviceKey` (Capacitor), `slot` is sealed once more under
 * the device key ({@link sealSlotUnderDeviceKey}), and `slotKey` holds that seal's key wrapped
 * under the device key.
 */
import { fromBase64, toBase64 } from './bytes.js';
import { OpenFailed, generateDataKey, open, seal, unwrapDataKey, wrapDataKey, type Sealed } from './envelope.js';
import type { CryptoPort } from './ports.js';

const EC = { name: 'ECDH', namedCurve: 'P-256' } as const;
const IV_BYTES = 12;

/** The slot's part of a stored passcode wrap. */
export interface PasscodeSlot {
  /** The slot's private key (PKCS #8) wrapped under the passcode key. */
  readonly slot: Sealed;
  /** The slot's public key (raw), sealed under the data key it accompanies. */
  readonly pub: Sealed;
  /** Ephemeral public key (raw, base64) of the data-key wrap. */
  readonly epk: string;
}

/** The slot's keys while they are in memory (one call only). */
export interface SlotKeys {
  readonly publicKey: CryptoKey;
  readonly privateKey: CryptoKey;
}

/** A new slot key pair (the private key extractable only so it can be wrapped once). */
export async function newSlotKeys(cryptoPort: CryptoPort): Promise<{ publicKey: CryptoKey; privateKey: CryptoKey }> {
  return (await cryptoPort.subtle.generateKey(EC, true, ['deriveBits'])) as CryptoKeyPair;
}

/** Wraps the slot's private key under the passcode key. */
export async function wrapSlotPrivateKey(
  cryptoPort: CryptoPort,
  privateKey: CryptoKey,
  passcodeKey: CryptoKey,
  binding: Uint8Array<ArrayBuffer>,
): Promise<Sealed> {
  const iv = cryptoPort.randomBytes(IV_BYTES);
  const ct = await cryptoPort.subtle.wrapKey('pkcs8', privateKey, passcodeKey, { name: 'AES-GCM', iv, additionalData: binding });
  return { iv: toBase64(iv), ct: toBase64(new Uint8Array(ct)) };
}

/** The slot's private key, non-extractable. @throws OpenFailed (wrong passcode, tampering) */
export async function unwrapSlotPrivateKey(cryptoPort: CryptoPort, slot: Sealed, passcodeKey: CryptoKey, binding: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const iv = fromBase64(slot.iv);
  const ct = fromBase64(slot.ct);
  if (!iv || iv.length !== IV_BYTES || !ct || ct.length < 16) throw new OpenFailed();
  try {
    return await cryptoPort.subtle.unwrapKey('pkcs8', ct, passcodeKey, { name: 'AES-GCM', iv, additionalData: binding }, EC, false, ['deriveBits']);
  } catch {
    throw new OpenFailed();
  }
}

/** The slot's public key sealed under `dataKey` (its authenticity rides on the data key). */
export async function sealSlotPublicKey(cryptoPort: CryptoPort, publicKey: CryptoKey, dataKey: CryptoKey, binding: Uint8Array<ArrayBuffer>): Promise<Sealed> {
  const raw = new Uint8Array(await cryptoPort.subtle.exportKey('raw', publicKey));
  return seal(cryptoPort, dataKey, raw, binding);
}

/** The slot's public key, opened with the current data key. @throws OpenFailed */
export async function openSlotPublicKey(cryptoPort: CryptoPort, pub: Sealed, dataKey: CryptoKey, binding: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const raw = await open(cryptoPort, dataKey, pub, binding);
  try {
    return await cryptoPort.subtle.importKey('raw', raw, EC, true, []);
  } catch {
    throw new OpenFailed();
  }
}

/** The AES-GCM key agreed between `privateKey` and `publicKey`, bound to `binding` through HKDF's info. */
async function agreedKey(cryptoPort: CryptoPort, privateKey: CryptoKey, publicKey: CryptoKey, binding: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const shared = await cryptoPort.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  const material = await cryptoPort.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return cryptoPort.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: binding },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/** Wraps `dataKey` to the slot's public key: needs no passcode. */
export async function wrapToSlot(
  cryptoPort: CryptoPort,
  dataKey: CryptoKey,
  publicKey: CryptoKey,
  binding: Uint8Array<ArrayBuffer>,
): Promise<{ epk: string; iv: string; ct: string }> {
  const ephemeral = (await cryptoPort.subtle.generateKey(EC, true, ['deriveBits'])) as CryptoKeyPair;
  const key = await agreedKey(cryptoPort, ephemeral.privateKey, publicKey, binding);
  const iv = cryptoPort.randomBytes(IV_BYTES);
  const ct = await cryptoPort.subtle.wrapKey('raw', dataKey, key, { name: 'AES-GCM', iv, additionalData: binding });
  const epk = new Uint8Array(await cryptoPort.subtle.exportKey('raw', ephemeral.publicKey));
  return { epk: toBase64(epk), iv: toBase64(iv), ct: toBase64(new Uint8Array(ct)) };
}

/** Unwraps the data key with the slot's private key. @throws OpenFailed */
export async function unwrapFromSlot(
  cryptoPort: CryptoPort,
  wrap: { epk: string; iv: string; ct: string },
  privateKey: CryptoKey,
  binding: Uint8Array<ArrayBuffer>,
): Promise<CryptoKey> {
  const epkRaw = fromBase64(wrap.epk);
  const iv = fromBase64(wrap.iv);
  const ct = fromBase64(wrap.ct);
  if (!epkRaw || !iv || iv.length !== IV_BYTES || !ct || ct.length < 16) throw new OpenFailed();
  try {
    const epk = await cryptoPort.subtle.importKey('raw', epkRaw, EC, false, []);
    const key = await agreedKey(cryptoPort, privateKey, epk, binding);
    return await cryptoPort.subtle.unwrapKey('raw', ct, key, { name: 'AES-GCM', iv, additionalData: binding }, { name: 'AES-GCM', length: 256 }, true, [
      'encrypt',
      'decrypt',
    ]);
  } catch {
    throw new OpenFailed();
  }
}

/** A slot sealed under the device key: `slot` is the outer ciphertext, `slotKey` its key wrapped under the device key. */
export interface DeviceSealedSlot {
  readonly slot: Sealed;
  readonly slotKey: Sealed;
}

/**
 * Seals the slot (the private key already wrapped under the passcode key) under the device key.
 *
 * Why, and why in this order: the passcode layer's GCM tag is what tells a right passcode guess
 * from a wrong one. A copy of the records (a phone backup: Android Auto Backup includes the SQLite
 * database) would let anyone run PBKDF2 over guesses and test each against that tag, offline; a
 * 4-6 digit PIN falls in minutes. Under the outer layer the copy holds no such tag: without the
 * device key, which no backup carries (Keychain `ThisDeviceOnly`, Android Keystore), there is
 * nothing to test a guess against. The outer layer is a fresh AES-GCM key wrapped under the device
 * key (whose usages are `wrapKey`/`unwrapKey` only), and the slot's bytes (IV ‖ ciphertext)
 * encrypted under that key.
 */
export async function sealSlotUnderDeviceKey(
  cryptoPort: CryptoPort,
  slot: Sealed,
  deviceKey: CryptoKey,
  binding: Uint8Array<ArrayBuffer>,
): Promise<DeviceSealedSlot> {
  const iv = fromBase64(slot.iv);
  const ct = fromBase64(slot.ct);
  if (!iv || !ct) throw new OpenFailed();
  const bytes = new Uint8Array(iv.length + ct.length);
  bytes.set(iv);
  bytes.set(ct, iv.length);
  const key = await generateDataKey(cryptoPort);
  return { slot: await seal(cryptoPort, key, bytes, binding), slotKey: await wrapDataKey(cryptoPort, key, deviceKey, binding) };
}

/** The slot as the passcode key opens it, from its device seal. @throws OpenFailed (another device key, tampering) */
export async function openSlotUnderDeviceKey(
  cryptoPort: CryptoPort,
  sealed: DeviceSealedSlot,
  deviceKey: CryptoKey,
  binding: Uint8Array<ArrayBuffer>,
): Promise<Sealed> {
  const key = await unwrapDataKey(cryptoPort, sealed.slotKey, deviceKey, binding);
  const bytes = await open(cryptoPort, key, sealed.slot, binding);
  if (bytes.length < IV_BYTES + 16) throw new OpenFailed();
  return { iv: toBase64(bytes.subarray(0, IV_BYTES)), ct: toBase64(bytes.subarray(IV_BYTES)) };
}

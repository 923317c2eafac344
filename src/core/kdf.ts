/**
 * Passcode key derivation: PBKDF2-HMAC-SHA256 through WebCrypto, with a random 16-byte salt per
 * passcode and the parameters stored beside the wrapped key so they can be raised later.
 *
 * Why PBKDF2 and not Argon2id: it is in every WebCrypto (no WebAssembly, no dependency, nothing
 * added to the bundle) and at 600,000 iterations meets OWASP's floor; measured here at ~90–140 ms,
 * the same cost as Argon2id m=19 MiB t=2 p=1 with hash-wasm. Memory-hard Argon2id resists GPU
 * guessing better; the record format has an `alg` field so it can be added without a migration.
 *
 * The parameters (algorithms, floors, the checks of settings and of stored parameters) are in
 * kdf-params.ts, which runs before the first prompt; this module derives keys and makes new
 * parameters, after it (the engine reaches it through after-prompt.ts).
 */
import { fromBase64, toBase64, utf8 } from './bytes.js';
import { unavailable } from './errors.js';
import { KDF_ALG, SALT_BYTES, TEST_KDF_ALG, TEST_KDF_ITERATIONS, type KdfParams } from './kdf-params.js';
import { PBKDF2_MIN_ITERATIONS, type CryptoPort, type KdfSettings } from './ports.js';

export * from './kdf-params.js';

/** Fresh parameters for a new passcode. */
export function newKdfParams(cryptoPort: CryptoPort, settings: KdfSettings | undefined): KdfParams {
  const salt = toBase64(cryptoPort.randomBytes(SALT_BYTES));
  if (settings?.testOnlyFastKdf) return { alg: TEST_KDF_ALG, iterations: TEST_KDF_ITERATIONS, salt };
  return { alg: KDF_ALG, iterations: Math.max(PBKDF2_MIN_ITERATIONS, Math.ceil(settings?.iterations ?? PBKDF2_MIN_ITERATIONS)), salt };
}

/** Derives the passcode wrapping key: AES-GCM-256, non-extractable, usages wrapKey/unwrapKey only. */
export async function derivePasscodeKey(cryptoPort: CryptoPort, passcode: string, params: KdfParams): Promise<CryptoKey> {
  const salt = fromBase64(params.salt);
  if (!salt) throw unavailable('The stored passcode salt is malformed.');
  const material = await cryptoPort.subtle.importKey('raw', utf8(passcode), 'PBKDF2', false, ['deriveKey']);
  return cryptoPort.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: params.iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

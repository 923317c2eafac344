/**
 * The biometric wrapping key of the web platform, derived from a WebAuthn PRF output.
 * Internal: not re-exported from `identity-vault/web`.
 */
import { toBytes, utf8 } from './bytes.js';
import { webCrypto } from '../shared/web-crypto.js';

/** What the key is bound to (HKDF `info`). */
export interface PrfKeyBinding {
  /** The credential record's version: 1 joined the fields with NUL (ambiguous), 2 encodes them as JSON. */
  readonly version: 1 | 2;
  readonly id: string;
  readonly vaultId: string;
  readonly username: string;
}

/**
 * The HKDF `info`. Version 2 is JSON (a `vaultId` or `username` holding NUL cannot make two
 * vaults' infos equal); version 1 is kept byte for byte so vaults enrolled before still open.
 */
export function prfInfo(record: PrfKeyBinding): Uint8Array<ArrayBuffer> {
  if (record.version === 1) return utf8(`identity-vault/webauthn-prf-wrap/v1\0${record.vaultId}\0${record.username}\0${record.id}`);
  return utf8(JSON.stringify(['identity-vault/webauthn-prf-wrap/v2', record.vaultId, record.username, record.id]));
}

/**
 * HKDF-SHA256 (RFC 5869) of the PRF output into a non-extractable AES-256-GCM wrapping key. The
 * `info` binds the key to the vault and the credential; the PRF output is zeroed after import.
 */
export async function deriveWrappingKey(prfOutput: BufferSource, record: PrfKeyBinding): Promise<CryptoKey> {
  const subtle = webCrypto().subtle;
  const secret = toBytes(prfOutput);
  try {
    const ikm = await subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
    const info = prfInfo(record);
    return await subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info }, ikm, { name: 'AES-GCM', length: 256 }, false, [
      'wrapKey',
      'unwrapKey',
    ]);
  } finally {
    secret.fill(0);
    if (prfOutput instanceof ArrayBuffer) new Uint8Array(prfOutput).fill(0);
  }
}

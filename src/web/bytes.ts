/**
 * Byte helpers the web platform needs beyond the core's (`toBase64`, `utf8` come from there):
 * base64url and lenient base64 decoding for WebAuthn credential ids, and buffer copies.
 * Internal: not re-exported from `identity-vault/web`.
 */
import { toBase64 } from '../core/bytes.js';

export { toBase64, utf8 } from '../core/bytes.js';

/**
 * Decodes standard base64 or base64url (RFC 4648 §5), with or without padding, and throws
 * (`atob`'s `InvalidCharacterError`) on anything else. Lenient on purpose, for WebAuthn ids; the
 * core's strict `fromBase64` (canonical padded base64 only, `undefined` otherwise) reads records.
 */
export function fromBase64OrBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const normalized = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = normalized + '='.repeat((4 - (normalized.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** base64url without padding (the encoding WebAuthn uses for credential ids). */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A copy of `source` as a `Uint8Array` backed by a plain `ArrayBuffer`. */
export function toBytes(source: ArrayBuffer | ArrayBufferView): Uint8Array<ArrayBuffer> {
  const view = source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return new Uint8Array(view);
}

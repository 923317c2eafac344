/**
 * The one `CryptoPort` of every platform: WebCrypto at `globalThis.crypto`, which browsers, WebViews
 * and Node (20 and later) all provide. Read lazily, so importing this module never fails (server-side
 * rendering, a page that is not a secure context).
 */
import { unavailable } from '../core/errors.js';
import type { CryptoPort } from '../core/ports.js';

/** `crypto.getRandomValues` fills at most 65,536 bytes per call (WebCrypto §10.1.1, QuotaExceededError). */
const MAX_RANDOM_CHUNK = 65_536;

/**
 * The host's WebCrypto.
 *
 * @throws VaultError `VaultUnavailable` when WebCrypto is missing: `crypto.subtle` exists only in
 * secure contexts (https, or http://localhost).
 */
export function webCrypto(): Crypto {
  const crypto = (globalThis as { crypto?: Crypto }).crypto;
  if (!crypto?.subtle) {
    throw unavailable('WebCrypto is not available: serve the app from https:// or http://localhost (a secure context)');
  }
  return crypto;
}

/**
 * A {@link CryptoPort} over the host's WebCrypto.
 *
 * @example
 * ```ts
 * const port = createWebCrypto();
 * const iv = port.randomBytes(12);
 * ```
 */
export function createWebCrypto(): CryptoPort {
  return new HostCrypto();
}

class HostCrypto implements CryptoPort {
  get subtle(): SubtleCrypto {
    return webCrypto().subtle;
  }

  randomBytes(length: number): Uint8Array<ArrayBuffer> {
    const bytes = new Uint8Array(length);
    const crypto = webCrypto();
    for (let offset = 0; offset < length; offset += MAX_RANDOM_CHUNK) {
      crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + MAX_RANDOM_CHUNK)));
    }
    return bytes;
  }
}

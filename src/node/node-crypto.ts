/**
 * The Node {@link CryptoPort}: Node's WebCrypto, with AES-GCM `encrypt`/`decrypt` of small inputs
 * done synchronously by node:crypto on the same key.
 *
 * Why: Node's WebCrypto runs every `encrypt`/`decrypt` as a job on libuv's thread pool and resolves
 * in a later turn of the event loop. For the 1 KB value of a `storeValue` the cipher itself takes
 * about 12 µs; the trip to the pool and back took 83 µs on a quiet machine and several hundred on a
 * busy one (BENCHMARKS.md, Node). The file store's reads and small writes are synchronous for the
 * same reason (private-files.ts, durable-fs.ts).
 *
 * Why it is the same security, byte for byte:
 * - Same key: `KeyObject.from(cryptoKey)` is the key object the `CryptoKey` already holds inside
 *   Node (no copy of the key material reaches JavaScript, extractable or not).
 * - Same algorithm and output: AES-GCM with the caller's IV, additional data and a 128-bit tag;
 *   the result is ciphertext ‖ tag, exactly what `subtle.encrypt` returns (tested against it).
 * - Same checks: the key must be an AES-GCM key whose usages allow the operation (WebCrypto's
 *   InvalidAccessError otherwise), and `decrypt` releases nothing unless the tag verifies
 *   (OperationError, as WebCrypto).
 * - Same promise contract: results and failures are promises, never synchronous throws.
 * Anything else (another algorithm, another tag length, an IV that is not 96 bits, inputs over
 * {@link SYNC_CIPHER_LIMIT}) goes to WebCrypto unchanged, so the event loop is never blocked long.
 */
import { createCipheriv, createDecipheriv, KeyObject, type CipherGCMTypes } from 'node:crypto';
import type { CryptoPort } from '../core/ports.js';
import { createWebCrypto } from '../shared/web-crypto.js';

/** Inputs up to this size are enciphered synchronously (64 KB: under a millisecond of AES-GCM). */
export const SYNC_CIPHER_LIMIT = 64 * 1024;

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The Node crypto port (see the module comment). */
export function createNodeCrypto(): CryptoPort {
  return new NodeCrypto(createWebCrypto());
}

class NodeCrypto implements CryptoPort {
  readonly #host: CryptoPort;
  readonly #subtle: SubtleCrypto;

  constructor(host: CryptoPort) {
    this.#host = host;
    this.#subtle = syncAesGcm(host.subtle);
  }

  get subtle(): SubtleCrypto {
    return this.#subtle;
  }

  randomBytes(length: number): Uint8Array<ArrayBuffer> {
    return this.#host.randomBytes(length);
  }
}

type Operation = 'encrypt' | 'decrypt';

/** `host` with AES-GCM encrypt/decrypt of small inputs done in the calling turn; every other method is the host's own. */
function syncAesGcm(host: SubtleCrypto): SubtleCrypto {
  const viaHost = <K extends keyof SubtleCrypto>(name: K): SubtleCrypto[K] => (host[name] as (...args: unknown[]) => unknown).bind(host) as SubtleCrypto[K];
  const cipher =
    (operation: Operation) =>
    (algorithm: AlgorithmIdentifier | AesGcmParams, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer> => {
      const inputs = syncInputs(algorithm, key, data, operation);
      if (inputs === undefined) return host[operation](algorithm as AesGcmParams, key, data);
      try {
        return Promise.resolve(operation === 'encrypt' ? encryptNow(inputs) : decryptNow(inputs));
      } catch (error) {
        return Promise.reject(error instanceof DOMException ? error : operationError());
      }
    };
  return {
    encrypt: cipher('encrypt'),
    decrypt: cipher('decrypt'),
    deriveBits: viaHost('deriveBits'),
    deriveKey: viaHost('deriveKey'),
    digest: viaHost('digest'),
    exportKey: viaHost('exportKey'),
    generateKey: viaHost('generateKey'),
    importKey: viaHost('importKey'),
    sign: viaHost('sign'),
    unwrapKey: viaHost('unwrapKey'),
    verify: viaHost('verify'),
    wrapKey: viaHost('wrapKey'),
  } as SubtleCrypto;
}

interface SyncInputs {
  readonly key: KeyObject;
  readonly iv: Uint8Array;
  readonly aad: Uint8Array | undefined;
  readonly data: Uint8Array;
}

/** The inputs when the call can run synchronously; `undefined` sends it to WebCrypto. */
function syncInputs(algorithm: AlgorithmIdentifier | AesGcmParams, key: CryptoKey, data: BufferSource, operation: Operation): SyncInputs | undefined {
  if (typeof algorithm !== 'object' || algorithm === null || algorithm.name !== 'AES-GCM') return undefined;
  const params = algorithm as AesGcmParams;
  if (params.tagLength !== undefined && params.tagLength !== TAG_BYTES * 8) return undefined;
  const iv = bytesOf(params.iv);
  const aad = params.additionalData === undefined ? undefined : bytesOf(params.additionalData);
  const bytes = bytesOf(data);
  if (iv === undefined || iv.byteLength !== IV_BYTES || (params.additionalData !== undefined && aad === undefined) || bytes === undefined) return undefined;
  if (bytes.byteLength > SYNC_CIPHER_LIMIT) return undefined;
  // Not a CryptoKey of this WebCrypto, or one not meant for this: WebCrypto gives the right error.
  if (!(key instanceof CryptoKey) || key.algorithm.name !== 'AES-GCM' || !key.usages.includes(operation)) return undefined;
  return { key: KeyObject.from(key), iv, aad, data: bytes };
}

function bytesOf(source: BufferSource | undefined): Uint8Array | undefined {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return undefined;
}

function gcmName(key: KeyObject): CipherGCMTypes {
  const bits = (key.symmetricKeySize ?? 0) * 8;
  if (bits !== 128 && bits !== 192 && bits !== 256) throw operationError();
  return `aes-${bits}-gcm` as CipherGCMTypes;
}

function encryptNow({ key, iv, aad, data }: SyncInputs): ArrayBuffer {
  const cipher = createCipheriv(gcmName(key), key, iv, { authTagLength: TAG_BYTES });
  if (aad !== undefined) cipher.setAAD(aad);
  const head = cipher.update(data);
  const tail = cipher.final();
  const tag = cipher.getAuthTag();
  const out = new Uint8Array(head.byteLength + tail.byteLength + TAG_BYTES);
  out.set(head, 0);
  out.set(tail, head.byteLength);
  out.set(tag, head.byteLength + tail.byteLength);
  return out.buffer;
}

function decryptNow({ key, iv, aad, data }: SyncInputs): ArrayBuffer {
  if (data.byteLength < TAG_BYTES) throw operationError();
  const decipher = createDecipheriv(gcmName(key), key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(data.subarray(data.byteLength - TAG_BYTES));
  if (aad !== undefined) decipher.setAAD(aad);
  const head = decipher.update(data.subarray(0, data.byteLength - TAG_BYTES));
  let tail: Buffer;
  try {
    tail = decipher.final(); // verifies the tag
  } catch {
    head.fill(0); // nothing of a plaintext that did not verify leaves this function
    throw operationError();
  }
  const out = new Uint8Array(head.byteLength + tail.byteLength);
  out.set(head, 0);
  out.set(tail, head.byteLength);
  head.fill(0);
  return out.buffer;
}

/** WebCrypto's error for a failed AES-GCM operation. */
function operationError(): DOMException {
  return new DOMException('The operation failed for an operation-specific reason', 'OperationError');
}

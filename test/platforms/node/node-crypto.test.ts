/**
 * The Node crypto port's synchronous AES-GCM (src/node/node-crypto.ts) must be WebCrypto's
 * AES-GCM: the same bytes, the same refusals, promises only — and WebCrypto itself for anything
 * it does not take.
 */
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createNodeCrypto, SYNC_CIPHER_LIMIT } from '../../../src/node/node-crypto.js';

const host = webcrypto.subtle as SubtleCrypto;
const port = createNodeCrypto();
const params = (iv: Uint8Array<ArrayBuffer>, additionalData?: Uint8Array<ArrayBuffer>): AesGcmParams => ({
  name: 'AES-GCM',
  iv,
  ...(additionalData ? { additionalData } : {}),
});

async function dataKey(length = 256, usages: KeyUsage[] = ['encrypt', 'decrypt'], extractable = true): Promise<CryptoKey> {
  return host.generateKey({ name: 'AES-GCM', length }, extractable, usages) as Promise<CryptoKey>;
}

const bytes = (buffer: ArrayBuffer) => Buffer.from(buffer).toString('hex');

describe('node crypto port: AES-GCM', () => {
  it('encrypts to the same bytes as WebCrypto, and each opens the other, for every key size, with and without additional data', async () => {
    for (const length of [128, 192, 256]) {
      for (const extractable of [true, false]) {
        const key = await dataKey(length, ['encrypt', 'decrypt'], extractable);
        for (const size of [0, 1, 15, 16, 1024, 5000]) {
          const plaintext = port.randomBytes(size);
          const iv = port.randomBytes(12);
          for (const aad of [undefined, port.randomBytes(40)]) {
            const ours = await port.subtle.encrypt(params(iv, aad), key, plaintext);
            const theirs = await host.encrypt(params(iv, aad), key, plaintext);
            expect(bytes(ours)).toBe(bytes(theirs));
            expect(bytes(await port.subtle.decrypt(params(iv, aad), key, theirs))).toBe(bytes(plaintext.buffer));
            expect(bytes(await host.decrypt(params(iv, aad), key, ours))).toBe(bytes(plaintext.buffer));
          }
        }
      }
    }
  });

  it('refuses tampered ciphertext, tag, IV or additional data with OperationError, as a rejected promise', async () => {
    const key = await dataKey();
    const iv = port.randomBytes(12);
    const aad = port.randomBytes(8);
    const sealed = new Uint8Array(await port.subtle.encrypt(params(iv, aad), key, port.randomBytes(64)));
    const flipped = (source: Uint8Array<ArrayBuffer>, at: number) => {
      const copy = source.slice();
      copy[at]! ^= 1;
      return copy;
    };
    const attempts: Array<[AesGcmParams, Uint8Array<ArrayBuffer>]> = [
      [params(iv, aad), flipped(sealed, 0)],
      [params(iv, aad), flipped(sealed, sealed.length - 1)],
      [params(flipped(iv, 3), aad), sealed],
      [params(iv, flipped(aad, 0)), sealed],
      [params(iv), sealed],
      [params(iv, aad), sealed.slice(0, 15)],
    ];
    for (const [algorithm, data] of attempts) {
      let call: Promise<ArrayBuffer> | undefined;
      expect(() => (call = port.subtle.decrypt(algorithm, key, data))).not.toThrow();
      await expect(call).rejects.toMatchObject({ name: 'OperationError' });
    }
  });

  it('checks the key as WebCrypto does: wrong usage or algorithm rejects with WebCrypto’s own error', async () => {
    const encryptOnly = await dataKey(256, ['encrypt']);
    const iv = port.randomBytes(12);
    const sealed = await port.subtle.encrypt(params(iv), encryptOnly, port.randomBytes(16));
    const expected = (await host.decrypt(params(iv), encryptOnly, sealed).then(
      () => undefined,
      (e: unknown) => e,
    )) as DOMException;
    await expect(port.subtle.decrypt(params(iv), encryptOnly, sealed)).rejects.toMatchObject({ name: expected.name });
    const hmac = (await host.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])) as CryptoKey;
    await expect(port.subtle.encrypt(params(iv), hmac, port.randomBytes(16))).rejects.toBeInstanceOf(DOMException);
  });

  it('leaves other IV lengths, tag lengths and inputs over the limit to WebCrypto (same results)', async () => {
    const key = await dataKey();
    const big = port.randomBytes(SYNC_CIPHER_LIMIT + 1);
    const iv = port.randomBytes(12);
    expect(bytes(await port.subtle.encrypt(params(iv), key, big))).toBe(bytes(await host.encrypt(params(iv), key, big)));
    const iv16 = port.randomBytes(16);
    expect(bytes(await port.subtle.encrypt(params(iv16), key, big.subarray(0, 10)))).toBe(bytes(await host.encrypt(params(iv16), key, big.subarray(0, 10))));
    const short: AesGcmParams = { name: 'AES-GCM', iv, tagLength: 96 };
    expect(bytes(await port.subtle.encrypt(short, key, big.subarray(0, 10)))).toBe(bytes(await host.encrypt(short, key, big.subarray(0, 10))));
  });

  it('passes every other method through to WebCrypto', async () => {
    expect(bytes(await port.subtle.digest('SHA-256', new Uint8Array([1, 2, 3])))).toBe(bytes(await host.digest('SHA-256', new Uint8Array([1, 2, 3]))));
    const wrapping = await dataKey(256, ['wrapKey', 'unwrapKey']);
    const key = await dataKey();
    const iv = port.randomBytes(12);
    const wrapped = await port.subtle.wrapKey('raw', key, wrapping, params(iv));
    const unwrapped = await port.subtle.unwrapKey('raw', wrapped, wrapping, params(iv), { name: 'AES-GCM', length: 256 }, true, ['encrypt']);
    expect(bytes(await port.subtle.exportKey('raw', unwrapped))).toBe(bytes(await host.exportKey('raw', key)));
  });
});

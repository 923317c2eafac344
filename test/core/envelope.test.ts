import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bindingData, generateDataKey, open, OpenFailed, seal, unwrapDataKey, wrapDataKey } from '../../src/core/envelope.js';
import { fromBase64, toBase64, utf8, fromUtf8 } from '../../src/core/bytes.js';
import type { CryptoPort } from 'identity-vault/platform';

const crypto: CryptoPort = { subtle: globalThis.crypto.subtle, randomBytes: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)) };

describe('bytes', () => {
  it('base64 round-trips any bytes and matches the platform encoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(fromBase64(text)).toEqual(bytes);
      }),
    );
  });
  it('refuses non-canonical base64', () => {
    for (const bad of ['abc', 'ab=c', '====', 'QQ=A', 'QR==', '$$$$', 'QQ']) expect(fromBase64(bad)).toBeUndefined();
  });
  it('utf8 decoding is strict', () => {
    expect(fromUtf8(utf8('ü🔐'))).toBe('ü🔐');
    expect(() => fromUtf8(new Uint8Array([0xff]))).toThrow();
  });
});

describe('envelope', () => {
  it('seals and opens; a fresh IV every time', async () => {
    const key = await generateDataKey(crypto);
    const binding = bindingData('value', 'v', 'u', 'k');
    const a = await seal(crypto, key, utf8('hello'), binding);
    const b = await seal(crypto, key, utf8('hello'), binding);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
    expect(fromUtf8(await open(crypto, key, a, binding))).toBe('hello');
  });

  it('any flipped bit of IV, ciphertext, tag or additional data fails to open', async () => {
    const key = await generateDataKey(crypto);
    const binding = bindingData('value', 'vault', 'user', 'key');
    const sealed = await seal(crypto, key, utf8('{"secret":"x"}'), binding);
    const iv = fromBase64(sealed.iv)!;
    const ct = fromBase64(sealed.ct)!;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('iv', 'ct', 'aad'), fc.nat(), fc.integer({ min: 0, max: 7 }), async (part, at, bit) => {
        const flip = (bytes: Uint8Array) => {
          const copy = bytes.slice();
          copy[at % copy.length]! ^= 1 << bit;
          return copy;
        };
        const tampered = part === 'iv' ? { iv: toBase64(flip(iv)), ct: sealed.ct } : part === 'ct' ? { iv: sealed.iv, ct: toBase64(flip(ct)) } : sealed;
        const aad = part === 'aad' ? (flip(binding) as Uint8Array<ArrayBuffer>) : binding;
        await expect(open(crypto, key, tampered, aad)).rejects.toBeInstanceOf(OpenFailed);
      }),
      { numRuns: 200 },
    );
  });

  it('additional data binds vault, username and key: a ciphertext moved anywhere else fails', async () => {
    const key = await generateDataKey(crypto);
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1 })),
        fc.tuple(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1 })),
        async (from, to) => {
          fc.pre(JSON.stringify(from) !== JSON.stringify(to));
          const sealed = await seal(crypto, key, utf8('"v"'), bindingData('value', ...from));
          await expect(open(crypto, key, sealed, bindingData('value', ...to))).rejects.toBeInstanceOf(OpenFailed);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('truncated or malformed sealed data fails without detail', async () => {
    const key = await generateDataKey(crypto);
    const binding = bindingData('x');
    const sealed = await seal(crypto, key, utf8('abc'), binding);
    for (const bad of [
      { iv: '', ct: sealed.ct },
      { iv: sealed.iv, ct: sealed.ct.slice(0, 8) },
      { iv: 'not base64!', ct: sealed.ct },
    ]) {
      await expect(open(crypto, key, bad, binding)).rejects.toThrow('sealed data did not open');
    }
  });

  it('wraps a data key that only the same wrapping key and binding unwrap', async () => {
    const dataKey = await generateDataKey(crypto);
    const wrapping = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
    const other = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
    const binding = bindingData('wrap', 'passcode', 'v', 'u', 'kid');
    const wrapped = await wrapDataKey(crypto, dataKey, wrapping, binding);
    const back = await unwrapDataKey(crypto, wrapped, wrapping, binding);
    const sealed = await seal(crypto, back, utf8('x'), binding);
    expect(fromUtf8(await open(crypto, dataKey, sealed, binding))).toBe('x');
    await expect(unwrapDataKey(crypto, wrapped, other, binding)).rejects.toBeInstanceOf(OpenFailed);
    await expect(unwrapDataKey(crypto, wrapped, wrapping, bindingData('wrap', 'device', 'v', 'u', 'kid'))).rejects.toBeInstanceOf(OpenFailed);
  });
});

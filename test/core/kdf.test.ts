import { describe, expect, it } from 'vitest';
import { checkKdfParams, derivePasscodeKey, newKdfParams, KDF_ALG, TEST_KDF_ALG } from '../../src/core/kdf.js';
import { PBKDF2_MIN_ITERATIONS, type CryptoPort } from 'identity-vault/platform';
import { VaultErrorCodes } from 'identity-vault';
import { toBase64 } from '../../src/core/bytes.js';

const crypto: CryptoPort = { subtle: globalThis.crypto.subtle, randomBytes: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)) };
const salt16 = toBase64(new Uint8Array(16).fill(7));

describe('passcode KDF', () => {
  it('new parameters meet the OWASP floor and never go below it', () => {
    expect(newKdfParams(crypto, undefined)).toMatchObject({ alg: KDF_ALG, iterations: PBKDF2_MIN_ITERATIONS });
    expect(newKdfParams(crypto, { iterations: 10 }).iterations).toBe(PBKDF2_MIN_ITERATIONS);
    expect(newKdfParams(crypto, { iterations: 900_000 }).iterations).toBe(900_000);
    expect(newKdfParams(crypto, { testOnlyFastKdf: true }).alg).toBe(TEST_KDF_ALG);
  });

  it('every new passcode gets its own random 16-byte salt', () => {
    const salts = new Set(Array.from({ length: 200 }, () => newKdfParams(crypto, undefined).salt));
    expect(salts.size).toBe(200);
    expect(Buffer.from([...salts][0]!, 'base64')).toHaveLength(16);
  });

  it.each([
    ['below the floor', { alg: KDF_ALG, iterations: PBKDF2_MIN_ITERATIONS - 1, salt: salt16 }, undefined],
    ['zero iterations', { alg: KDF_ALG, iterations: 0, salt: salt16 }, undefined],
    ['fractional iterations', { alg: KDF_ALG, iterations: 600_000.5, salt: salt16 }, undefined],
    ['absurd iterations', { alg: KDF_ALG, iterations: 1e12, salt: salt16 }, undefined],
    ['short salt', { alg: KDF_ALG, iterations: PBKDF2_MIN_ITERATIONS, salt: toBase64(new Uint8Array(8)) }, undefined],
    ['unknown algorithm', { alg: 'MD5', iterations: PBKDF2_MIN_ITERATIONS, salt: salt16 }, undefined],
    ['the test KDF on a real platform', { alg: TEST_KDF_ALG, iterations: 1000, salt: salt16 }, undefined],
    ['the test KDF below its own floor', { alg: TEST_KDF_ALG, iterations: 999, salt: salt16 }, { testOnlyFastKdf: true }],
    ['missing', undefined, undefined],
  ])('refuses stored parameters: %s', (_name, params, settings) => {
    expect(() => checkKdfParams(params, settings)).toThrow(expect.objectContaining({ code: VaultErrorCodes.VaultUnavailable }));
  });

  it('accepts parameters at or above the floor', () => {
    expect(checkKdfParams({ alg: KDF_ALG, iterations: PBKDF2_MIN_ITERATIONS, salt: salt16 }, undefined).iterations).toBe(PBKDF2_MIN_ITERATIONS);
    expect(checkKdfParams({ alg: TEST_KDF_ALG, iterations: 1000, salt: salt16 }, { testOnlyFastKdf: true }).alg).toBe(TEST_KDF_ALG);
  });

  it('derives a non-extractable wrapping key with only wrapKey/unwrapKey', async () => {
    const key = await derivePasscodeKey(crypto, '1234', { alg: TEST_KDF_ALG, iterations: 1000, salt: salt16 });
    expect(key.extractable).toBe(false);
    expect([...key.usages].sort()).toEqual(['unwrapKey', 'wrapKey']);
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
  });
});

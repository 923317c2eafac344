import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkKey, checkPasscode, serialiseValue } from '../../src/core/validate.js';
import { VaultErrorCodes } from 'identity-vault';

const invalid = expect.objectContaining({ code: VaultErrorCodes.InvalidArguments });

describe('argument checks', () => {
  it('any JSON data serialises and round-trips exactly', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const normalised = JSON.parse(JSON.stringify(value)) as unknown; // -0 becomes 0 in JSON
        expect(JSON.parse(serialiseValue(normalised))).toEqual(normalised);
      }),
    );
  });

  it('refuses what JSON would silently change', () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    class Point {
      x = 1;
    }
    const bad = [
      undefined,
      () => 1,
      Symbol('x'),
      1n,
      NaN,
      -Infinity,
      new Date(),
      new Map(),
      new Set(),
      new Uint8Array(2),
      new Point(),
      cyclic,
      [1, , 3],
      { [Symbol('k')]: 1 },
      '\udc00',
      { a: { b: [undefined] } },
    ];
    for (const value of bad) expect(() => serialiseValue(value)).toThrow(invalid);
  });

  it('keeps __proto__ and constructor as plain data', () => {
    const value = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":1}}') as unknown;
    const back = JSON.parse(serialiseValue(value)) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keys: non-empty well-formed strings of at most 1024 characters', () => {
    expect(checkKey('token')).toBe('token');
    expect(checkKey('x'.repeat(1024))).toHaveLength(1024);
    for (const key of ['', 'x'.repeat(1025), '\ud800', 1, null, undefined, {}, ['a']]) expect(() => checkKey(key)).toThrow(invalid);
  });

  it('passcodes: non-empty strings, NFKC-normalised, never echoed in messages', () => {
    expect(checkPasscode('\uff11\uff12')).toBe('12'); // full-width digits typed on another keyboard
    for (const bad of ['', 1234, null, 'x'.repeat(1025)]) expect(() => checkPasscode(bad)).toThrow(invalid);
    try {
      checkPasscode('secret-passcode'.repeat(100));
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('secret-passcode');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { VaultErrorCodes } from 'identity-vault';
import { EMPTY_META, type MetaRecord } from '../../src/core/records.js';
import { biometricUnlockOf, chooseUnlockMethod, passcodeUnlockOf } from '../../src/core/unlock-method.js';
import { newKdfParams } from '../../src/core/kdf.js';
import { createWebCrypto } from '../../src/shared/web-crypto.js';

const sealed = { iv: 'aXY=', ct: 'Y3Q=' };
const kdf = newKdfParams(createWebCrypto(), { testOnlyFastKdf: true });
const code = (c: VaultErrorCodes) => expect.objectContaining({ code: c });

function meta(passcode: boolean, biometrics: boolean, wraps: { passcode?: boolean; device?: boolean } = {}): MetaRecord {
  return {
    ...EMPTY_META,
    passcodeEnabled: passcode,
    biometricsEnabled: biometrics,
    kid: 'k',
    wraps: { ...(wraps.passcode ? { passcode: { ...sealed, kdf } } : {}), ...(wraps.device ? { device: sealed } : {}) },
  };
}

describe('chooseUnlockMethod: the decision table of unlock(usingPasscode)', () => {
  // [usingPasscode, passcode on, biometrics on, passcode wrap, device wrap] → method or error code
  const rows: Array<[boolean | undefined, boolean, boolean, boolean, boolean, string | VaultErrorCodes]> = [
    [true, true, false, true, false, 'passcode'],
    [true, true, true, true, false, 'passcode'],
    [true, true, false, false, true, 'passcode'], // asked for explicitly: MissingPasscode comes from passcodeUnlockOf
    [true, false, false, false, true, VaultErrorCodes.PasscodeNotEnabled],
    [true, false, true, false, false, VaultErrorCodes.PasscodeNotEnabled],
    [false, false, true, false, false, 'biometric'],
    [false, true, true, true, false, 'biometric'],
    [undefined, true, true, true, false, 'biometric'],
    [undefined, false, true, false, false, 'biometric'],
    [false, true, false, true, false, VaultErrorCodes.BiometricsNotEnabled],
    [undefined, true, false, true, false, 'passcode'],
    [undefined, true, false, false, true, 'device'], // passcode switched on, not set yet: the device wrap still opens it
    [undefined, true, false, false, false, 'passcode'],
    [undefined, false, false, false, true, 'device'],
    [false, false, false, false, true, 'device'],
    [undefined, false, false, false, false, 'device'],
  ];
  it.each(rows)(
    'usingPasscode %s, passcode %s, biometrics %s, passcode wrap %s, device wrap %s → %s',
    (using, passcode, biometrics, passcodeWrap, deviceWrap, expected) => {
      const record = meta(passcode, biometrics, { passcode: passcodeWrap, device: deviceWrap });
      if (typeof expected === 'string') expect(chooseUnlockMethod(record, using)).toBe(expected);
      else expect(() => chooseUnlockMethod(record, using)).toThrow(code(expected));
    },
  );
});

describe('what each method needs', () => {
  it('passcodeUnlockOf: MissingPasscode without a passcode wrap; the checked KDF parameters with one', () => {
    expect(() => passcodeUnlockOf(meta(true, false), { testOnlyFastKdf: true })).toThrow(code(VaultErrorCodes.MissingPasscode));
    const unlock = passcodeUnlockOf(meta(true, false, { passcode: true }), { testOnlyFastKdf: true });
    expect(unlock.kdf).toEqual(kdf);
  });

  it('passcodeUnlockOf refuses KDF parameters the platform does not accept, before anyone is asked', () => {
    // A test-only KDF stored in a vault is refused by a platform that does not allow it.
    expect(() => passcodeUnlockOf(meta(true, false, { passcode: true }), undefined)).toThrow(code(VaultErrorCodes.VaultUnavailable));
  });

  it('biometricUnlockOf: BiometricsNotEnabled when off; KeyNotFound when on without a credential or wrap', () => {
    expect(() => biometricUnlockOf(meta(false, false))).toThrow(code(VaultErrorCodes.BiometricsNotEnabled));
    expect(() => biometricUnlockOf(meta(false, true))).toThrow(code(VaultErrorCodes.KeyNotFound));
    const ready: MetaRecord = { ...meta(false, true), credential: { id: 'c' }, wraps: { biometric: sealed } };
    expect(biometricUnlockOf(ready)).toEqual({ credential: { id: 'c' }, wrap: sealed, kid: 'k' });
  });
});

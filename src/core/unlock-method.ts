/**
 * Which unlock method `unlock(usingPasscode)` uses, and what that method needs from the vault's
 * record. Pure rules: the engine asks the user and opens the wrap (key-wraps.ts).
 */
import { biometricsNotEnabled, keyNotFound, missingPasscode, passcodeNotEnabled } from './errors.js';
import { checkKdfParams, type KdfParams } from './kdf-params.js';
import type { KdfSettings } from './ports.js';
import type { MetaRecord, Wraps } from './records.js';

/** How a locked vault is opened: the passcode, the biometric key, or the device key (no method switched on). */
export type UnlockMethod = 'passcode' | 'biometric' | 'device';

/**
 * The decision table of `unlock(usingPasscode)` (Identity Vault 3.x/4.x: `true` asks for the
 * passcode, `false` or nothing for biometrics where they are on):
 *
 * | usingPasscode        | passcode on | biometrics on | method                                  |
 * | -------------------- | ----------- | ------------- | --------------------------------------- |
 * | `true`               | yes         | any           | passcode                                |
 * | `true`               | no          | any           | `PasscodeNotEnabled`                    |
 * | `false`, `undefined` | any         | yes           | biometric                               |
 * | `false`              | yes         | no            | `BiometricsNotEnabled`                  |
 * | `undefined`          | yes         | no            | passcode (device key while none is set) |
 * | `false`, `undefined` | no          | no            | device                                  |
 *
 * "Device key while none is set": a vault whose passcode was switched on but not set yet still
 * has its device wrap, and opens with it.
 */
export function chooseUnlockMethod(
  meta: Pick<MetaRecord, 'passcodeEnabled' | 'biometricsEnabled' | 'wraps'>,
  usingPasscode: boolean | undefined,
): UnlockMethod {
  const { passcodeEnabled, biometricsEnabled, wraps } = meta;
  if (usingPasscode === true) {
    if (!passcodeEnabled) throw passcodeNotEnabled('Passcode is not enabled on this vault.');
    return 'passcode';
  }
  if (biometricsEnabled) return 'biometric';
  if (usingPasscode === false && passcodeEnabled) throw biometricsNotEnabled('Biometrics are not enabled on this vault: unlock with the passcode.');
  if (passcodeEnabled && wraps.passcode) return 'passcode';
  if (wraps.device) return 'device';
  return passcodeEnabled ? 'passcode' : 'device';
}

/** What a passcode unlock needs: the passcode wrap and its KDF parameters, checked against the platform's limits. */
export interface PasscodeUnlock {
  readonly wrap: NonNullable<Wraps['passcode']>;
  readonly kdf: KdfParams;
}

/** @throws MissingPasscode (none set), VaultUnavailable (KDF parameters the platform refuses) — before anyone is asked. */
export function passcodeUnlockOf(meta: Pick<MetaRecord, 'wraps'>, kdfSettings: KdfSettings | undefined): PasscodeUnlock {
  const wrap = meta.wraps.passcode;
  if (!wrap) throw missingPasscode('No passcode is set on this vault.');
  return { wrap, kdf: checkKdfParams(wrap.kdf, kdfSettings) };
}

/** What a biometric unlock needs: the credential to ask the platform about, and the wrap its key opens. */
export interface BiometricUnlock {
  readonly credential: NonNullable<MetaRecord['credential']>;
  readonly wrap: NonNullable<Wraps['biometric']>;
  readonly kid: string;
}

/** @throws BiometricsNotEnabled, KeyNotFound (switched on, but no credential or wrap) */
export function biometricUnlockOf(meta: MetaRecord): BiometricUnlock {
  const { credential, wraps, kid } = meta;
  if (!meta.biometricsEnabled) throw biometricsNotEnabled('Biometrics are not enabled on this vault.');
  if (!credential || !wraps.biometric || kid === null) throw keyNotFound('This vault has no biometric key.');
  return { credential, wrap: wraps.biometric, kid };
}

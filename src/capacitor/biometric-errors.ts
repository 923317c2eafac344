/**
 * `@capgo/capacitor-native-biometric` rejections → `VaultError`.
 *
 * The plugin rejects with `code` set to a `BiometricAuthError` number as a *string*, and the two
 * OSes use the codes differently (read from 8.6.11's sources):
 *
 * | code | iOS (NativeBiometricPlugin.swift) | Android (AuthActivity.java, NativeBiometric.java) | vault error |
 * | --- | --- | --- | --- |
 * | `"16"` | `errSecUserCanceled`, `LAError.userCancel` | `ERROR_USER_CANCELED`, `ERROR_NEGATIVE_BUTTON` | `UserCanceledInteraction` |
 * | `"11"`, `"15"`, `"17"` | app / system cancel, user chose fallback | `ERROR_CANCELED`, `ERROR_TIMEOUT` (15) | `UserCanceledInteraction` |
 * | `"10"` | `errSecAuthFailed` (face or finger not recognised) | — | `AuthFailed` |
 * | `"4"` | — | `ERROR_LOCKOUT` (30 s), and *one* unrecognised finger (`maxAttempts` defaults to 1: "Too many failed attempts") | `AuthFailed` |
 * | `"2"` | `LAError.biometryLockout` (from `isAvailable`) | `ERROR_LOCKOUT_PERMANENT` | `AuthFailed` |
 * | `"1"`, `"3"`, `"14"` | no hardware, none enrolled, no passcode (from `isAvailable` only) | `ERROR_HW_*`, `ERROR_NO_BIOMETRICS`, `ERROR_NO_DEVICE_CREDENTIAL` | `SecurityNotAvailable` |
 * | `"12"`, `"13"` | invalid context, not interactive | — | `SecurityNotAvailable` |
 * | `"21"` | `errSecItemNotFound`: never stored, deleted, **or invalidated by re-enrolment** (iOS cannot tell) | no stored item (also on the call after an invalidation) | `KeyNotFound`, or `InvalidatedCredential` when identity-vault's marker shows the item existed |
 * | `"0"` + "Biometric enrollment changed" | — | `KeyPermanentlyInvalidatedException`; the plugin then deletes the item | `InvalidatedCredential` |
 * | `"0"` otherwise, or no code | any other `OSStatus` ("Failed to retrieve data: -25308") | Keystore failure, activity lost | `SecurityNotAvailable` |
 *
 * Lockout (temporary or permanent) is `AuthFailed`, as in the native contract: the vault falls
 * back to its passcode (`BiometricAndPasscode`) and the message says which lockout it was.
 */
import { VaultError, vaultError, VaultErrorCodes } from '../core/errors.js';
import type { NativeOS } from './plugin-apis.js';

/** What the vault knows beside the rejection. */
export interface BiometricErrorContext {
  readonly os: NativeOS;
  /** Whether identity-vault stored this credential's item (its marker exists): tells iOS's "21" apart. */
  readonly itemWasStored?: boolean;
  /** What was being done, for the message. */
  readonly action: string;
}

const CANCEL = new Set(['11', '15', '16', '17']);
const NOT_AVAILABLE = new Set(['1', '3', '12', '13', '14']);
/** Android's message for `KeyPermanentlyInvalidatedException` (AuthActivity.java `createAsymmetricDecryptCryptoObject`). */
const ENROLMENT_CHANGED = /enrol+ment changed/i;

/** The plugin's `code`, as the string the bridge carries (`undefined` when the rejection had none). */
export function biometricCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') return String(code);
  return typeof code === 'string' && code !== '' ? code : undefined;
}

function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string')
    return (error as { message: string }).message;
  return String(error);
}

/** The vault error code for a plugin rejection (see the table above). */
export function biometricErrorCode(error: unknown, context: Pick<BiometricErrorContext, 'itemWasStored'>): VaultErrorCodes {
  const code = biometricCode(error);
  if (code === undefined) return VaultErrorCodes.SecurityNotAvailable;
  if (CANCEL.has(code)) return VaultErrorCodes.UserCanceledInteraction;
  if (code === '10' || code === '4' || code === '2') return VaultErrorCodes.AuthFailed;
  if (NOT_AVAILABLE.has(code)) return VaultErrorCodes.SecurityNotAvailable;
  if (code === '21') return context.itemWasStored ? VaultErrorCodes.InvalidatedCredential : VaultErrorCodes.KeyNotFound;
  if (code === '0' && ENROLMENT_CHANGED.test(messageOf(error))) return VaultErrorCodes.InvalidatedCredential;
  return VaultErrorCodes.SecurityNotAvailable;
}

const EXPLANATION: Partial<Record<VaultErrorCodes, string>> = {
  [VaultErrorCodes.UserCanceledInteraction]: 'the biometric prompt was cancelled',
  [VaultErrorCodes.AuthFailed]: 'biometric authentication failed or is locked out; use the passcode',
  [VaultErrorCodes.SecurityNotAvailable]: 'biometrics are not available on this device now',
  [VaultErrorCodes.KeyNotFound]: 'the biometric key was not found',
  [VaultErrorCodes.InvalidatedCredential]: 'the enrolled biometrics changed, so the biometric key was invalidated; unlock with the passcode or log in again',
};

/**
 * The rejection as a `VaultError`. The plugin's error is kept as `cause` and its text is not
 * copied into the message (core/errors.ts: a platform's message is not ours to repeat); the
 * plugin's code is, since it is one of the numbers in the table above.
 */
export function fromBiometricError(error: unknown, context: BiometricErrorContext): VaultError {
  if (error instanceof VaultError) return error;
  const code = biometricErrorCode(error, context);
  const native = biometricCode(error);
  const lockout =
    native === '2'
      ? ' (permanent lockout: the device passcode unlocks biometrics again)'
      : native === '4'
        ? ' (temporary lockout or too many failed attempts)'
        : '';
  return vaultError(code, `${context.action}: ${EXPLANATION[code] ?? 'biometric error'}${lockout} [${context.os} code ${native ?? 'none'}]`, { cause: error });
}

/**
 * Why `isAvailable()` says biometrics cannot release a key now, as a `VaultError` — asked before
 * every prompt because iOS's `getSecureData` cannot report missing hardware or lockout itself.
 */
export function unavailableError(errorCode: number | undefined, os: NativeOS, action: string): VaultError {
  const code = errorCode === 2 || errorCode === 4 ? VaultErrorCodes.AuthFailed : VaultErrorCodes.SecurityNotAvailable;
  const why =
    code === VaultErrorCodes.AuthFailed
      ? 'biometrics are locked out after too many failed attempts; use the passcode'
      : 'no strong biometrics are enrolled or available on this device';
  return vaultError(code, `${action}: ${why} [${os} isAvailable errorCode ${errorCode ?? 'none'}]`);
}

/**
 * Translation of WebAuthn failures into `VaultError` codes.
 *
 * The one hard case is `NotAllowedError`. WebAuthn gives the same `NotAllowedError` for a user
 * who cancelled, a failed user verification, a timeout, and a credential that is not on the
 * authenticator any more — on purpose: telling them apart would let any page probe which
 * credentials a user has (WebAuthn L3 §5.1.4.1 step 20 and §14.5.2 "Authentication Ceremony
 * Privacy"). Measured with the DevTools virtual authenticator: `setUserVerified(false)` and
 * `clearCredentials` both reject at once with `NotAllowedError`, exactly as a cancel does.
 *
 * So the mapping uses what the page *can* know instead of guessing from the exception:
 * - `NotAllowedError` and `AbortError` → `UserCanceledInteraction`, so `BiometricAndPasscode`
 *   falls back to the passcode in every one of those cases (a removed credential never locks the
 *   user out: the passcode path keeps working);
 * - …unless the user-verifying platform authenticator itself is gone now
 *   (`isUserVerifyingPlatformAuthenticatorAvailable()` false after the failure) →
 *   `SecurityNotAvailable`;
 * - the authenticator answered but user verification was not performed (UV flag clear) →
 *   `AuthFailed` (checked by the caller on the assertion);
 * - the authenticator answered but released no PRF output → `InvalidatedCredential` (checked by
 *   the caller): the credential exists and the user verified, yet it can no longer produce the
 *   key, so the wrapped data key is unreachable through it — the same situation as a native key
 *   invalidated by biometric re-enrolment; the app should re-enable biometrics;
 * - a credential record that is malformed or bound to another host → `KeyNotFound`.
 */
import { securityNotAvailable, unknownError, userCanceled, VaultError } from '../core/errors.js';

/** The DOMException name of `error`, if it is one (or looks like one, across realms). */
export function domExceptionName(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string') {
    return error.name;
  }
  return undefined;
}

/**
 * The `VaultError` for a rejected `navigator.credentials.create()`/`get()`.
 *
 * @param authenticatorStillThere re-checks `isUserVerifyingPlatformAuthenticatorAvailable()`.
 * @example
 * ```ts
 * try { await navigator.credentials.get(options); }
 * catch (e) { throw await webAuthnError(e, 'unlock', isUvpaa); }
 * ```
 */
export async function webAuthnError(error: unknown, operation: string, authenticatorStillThere: () => Promise<boolean>): Promise<VaultError> {
  if (error instanceof VaultError) return error;
  const name = domExceptionName(error);
  switch (name) {
    case 'NotAllowedError':
      if (!(await authenticatorStillThere())) {
        return securityNotAvailable(`${operation}: the platform authenticator is no longer available`, { cause: error });
      }
      return userCanceled(`${operation}: biometric prompt cancelled, failed or timed out`, { cause: error });
    case 'AbortError':
      return userCanceled(`${operation}: biometric prompt aborted`, { cause: error });
    case 'NotSupportedError': // no authenticator supports the requested algorithms or options
    case 'ConstraintError': // user verification or resident keys unsupported by the authenticator
    case 'SecurityError': // not a secure context, or rpId not a registrable suffix of the origin
      return securityNotAvailable(`${operation}: biometrics are not available here (${name})`, { cause: error });
    default:
      return unknownError(`${operation}: WebAuthn failed${name ? ` (${name})` : ''}`, { cause: error });
  }
}

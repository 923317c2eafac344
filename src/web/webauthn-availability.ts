/**
 * Whether WebAuthn biometrics can be used here, and which type to report. Kept apart from
 * `webauthn-biometrics.ts`: the session layer asks for availability while setting a vault up,
 * long before any prompt, and this check is all of WebAuthn a page needs until then (the rest is
 * loaded with `import()` on first use, see `lazy-biometrics.ts`).
 */
import type { BiometricAvailability } from '../core/ports.js';
import type { BiometricType } from '../core/types.js';
import { currentUserAgentHints, guessBiometricType } from './biometric-type.js';
import { platformAuthenticatorAvailable, webAuthnApi } from './webauthn-support.js';

const UNAVAILABLE: BiometricAvailability = { available: false, type: 'none' };

/**
 * Available only when a user-verifying platform authenticator is present. PRF support cannot be
 * confirmed before a credential exists (`getClientCapabilities()['extension:prf']` is true in
 * Chromium even with no authenticator), so only an explicit `false` there counts; enrolment
 * checks `prf.enabled` and fails with `SecurityNotAvailable` when it is missing.
 *
 * @param biometricType the app's override of the guessed type
 */
export async function webAuthnAvailability(biometricType?: Exclude<BiometricType, 'none'>): Promise<BiometricAvailability> {
  const api = webAuthnApi();
  if (!api || !(await platformAuthenticatorAvailable())) return UNAVAILABLE;
  if (typeof api.pkc.getClientCapabilities === 'function') {
    try {
      const capabilities = await api.pkc.getClientCapabilities();
      if (capabilities['extension:prf'] === false) return UNAVAILABLE;
    } catch {
      // Capabilities are a hint only.
    }
  }
  return { available: true, type: biometricType ?? guessBiometricType(currentUserAgentHints()) };
}

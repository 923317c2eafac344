/**
 * Biometrics on Node: none. Node has no access to Touch ID / Windows Hello / fprintd that can
 * release key material, so biometric unlock is reported unavailable rather than faked.
 */
import type { BiometricsPort } from '../core/ports.js';
import { securityNotAvailable } from '../core/errors.js';

const notAvailable = () => Promise.reject(securityNotAvailable('Biometric security is not available on Node: use a passcode'));

/** A {@link BiometricsPort} that is never available. */
export function createNoBiometrics(): BiometricsPort {
  return {
    availability: () => Promise.resolve({ available: false, type: 'none' }),
    enroll: notAvailable,
    keyForWrap: notAvailable,
    keyForUnwrap: notAvailable,
    // Nothing was ever enrolled here; forgetting is a no-op.
    remove: () => Promise.resolve(),
  };
}

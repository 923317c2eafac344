/**
 * Biometrics on Node: none. Node has no access to Touch ID / Windows Hello / fprintd that can
 * release key material, so biometric unlock is reported unavailable rather than faked.
 */
import type { BiometricAvailability, BiometricsPort } from '../core/ports.js';
import { securityNotAvailable } from '../core/errors.js';

/** A {@link BiometricsPort} that is never available. */
export function createNoBiometrics(): BiometricsPort {
  return new NoBiometrics();
}

class NoBiometrics implements BiometricsPort {
  availability(): Promise<BiometricAvailability> {
    return Promise.resolve({ available: false, type: 'none' });
  }

  enroll(): Promise<never> {
    return notAvailable();
  }

  keyForWrap(): Promise<never> {
    return notAvailable();
  }

  keyForUnwrap(): Promise<never> {
    return notAvailable();
  }

  /** Nothing was ever enrolled here; forgetting is a no-op. */
  remove(): Promise<void> {
    return Promise.resolve();
  }
}

function notAvailable(): Promise<never> {
  return Promise.reject(securityNotAvailable('Biometric security is not available on Node: use a passcode'));
}

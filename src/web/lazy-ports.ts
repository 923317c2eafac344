/**
 * The web platform's ports whose code is loaded on first use (see `src/core/lazy-load.ts`): the built-in
 * passcode dialog on the first passcode prompt, the WebAuthn ceremonies on the first biometric
 * enrolment, unlock or removal, and the device key the first time a vault wraps or opens its data
 * key with it (a vault secured by passcode or biometrics never does). Biometric availability,
 * which the session layer asks while setting a vault up, is answered without loading them
 * (`webauthn-availability.ts`).
 */
import type { BiometricAvailability, BiometricCredential, BiometricsPort, DeviceKeyPort, PasscodePromptPort } from '../core/ports.js';
import type { IdbConnection } from './idb-connection.js';
import { lazily } from '../core/lazy-load.js';
import type { PasscodeDialogOptions } from '../ui/passcode-texts.js';
import { webAuthnAvailability } from './webauthn-availability.js';
import type { WebAuthnBiometricsOptions } from './webauthn-biometrics.js';

/** The built-in passcode dialog, created on the first request. */
export function lazyPasscodeDialog(options: PasscodeDialogOptions | undefined): PasscodePromptPort {
  const dialog = lazily('passcode dialog', async () => new (await import('../ui/passcode-dialog.js')).PasscodeDialog(options));
  let loaded: { close(): void } | undefined;
  return {
    async request(request: Parameters<PasscodePromptPort['request']>[0]): Promise<string | undefined> {
      const prompt = await dialog();
      loaded = prompt;
      return prompt.request(request);
    },
    // The dialog stays open after a wrong passcode (a phone's lock screen); close() ends that.
    close(): void {
      loaded?.close();
    },
  };
}

/** WebAuthn PRF biometrics; `availability()` answers without loading the ceremonies. */
export function lazyWebAuthnBiometrics(options: WebAuthnBiometricsOptions = {}): BiometricsPort {
  const biometrics = lazily('WebAuthn code', async () => new (await import('./webauthn-biometrics.js')).WebAuthnBiometrics(options));
  return {
    availability(): Promise<BiometricAvailability> {
      return webAuthnAvailability(options.biometricType);
    },
    async enroll(request: { vaultId: string; username: string }) {
      return (await biometrics()).enroll(request);
    },
    async keyForWrap(request: { credential: BiometricCredential }): Promise<CryptoKey> {
      return (await biometrics()).keyForWrap(request);
    },
    async keyForUnwrap(request: { credential: BiometricCredential }): Promise<CryptoKey> {
      return (await biometrics()).keyForUnwrap(request);
    },
    async remove(request: { credential: BiometricCredential }): Promise<void> {
      return (await biometrics()).remove(request);
    },
  };
}

/** The device key in IndexedDB (`device-key.ts`), over the platform's shared connection. */
export function lazyDeviceKey(connection: IdbConnection): DeviceKeyPort {
  const deviceKey = lazily('device key code', async () => new (await import('./device-key.js')).IndexedDbDeviceKey(connection));
  return {
    async get(options: { create: boolean }): Promise<CryptoKey | undefined> {
      return (await deviceKey()).get(options);
    },
    async delete(): Promise<void> {
      return (await deviceKey()).delete();
    },
  };
}

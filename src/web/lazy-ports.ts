/**
 * The web platform's ports whose code is loaded on first use (see `src/core/lazy-load.ts`): the built-in
 * passcode dialog on the first passcode prompt, the WebAuthn ceremonies on the first biometric
 * enrolment, unlock or removal, and the device key the first time a vault wraps or opens its data
 * key with it (a vault secured by passcode or biometrics never does). Biometric availability,
 * which the session layer asks while setting a vault up, is answered without loading them
 * (`webauthn-availability.ts`). Every `import()` here names `on-first-use.ts`, so the three (and
 * the privacy screen) are one chunk, loaded at the first of these uses.
 */
import type { BiometricAvailability, BiometricCredential, BiometricsPort, DeviceKeyPort, PasscodePromptPort, StoredRecord } from '../core/ports.js';
import type { IdbConnection } from './idb-connection.js';
import { lazily } from '../core/lazy-load.js';
import type { PasscodeDialogOptions } from '../ui/passcode-texts.js';
import { webAuthnAvailability } from './webauthn-availability.js';
import type { WebAuthnBiometricsOptions } from './webauthn-biometrics.js';

/** The built-in passcode dialog, created on the first request. */
export function lazyPasscodeDialog(options: PasscodeDialogOptions | undefined): PasscodePromptPort {
  return new LazyPasscodeDialog(options);
}

/** WebAuthn PRF biometrics; `availability()` answers without loading the ceremonies. */
export function lazyWebAuthnBiometrics(options: WebAuthnBiometricsOptions = {}): BiometricsPort {
  return new LazyWebAuthnBiometrics(options);
}

/** The device key in IndexedDB (`device-key.ts`), over the platform's shared connection. */
export function lazyDeviceKey(connection: IdbConnection): DeviceKeyPort {
  return new LazyDeviceKey(connection);
}

class LazyPasscodeDialog implements PasscodePromptPort {
  readonly #dialog: () => Promise<PasscodePromptPort & { close(): void }>;
  #loaded: { close(): void } | undefined;

  constructor(options: PasscodeDialogOptions | undefined) {
    this.#dialog = lazily('passcode dialog', async () => new (await import('./on-first-use.js')).PasscodeDialog(options));
  }

  async request(request: Parameters<PasscodePromptPort['request']>[0]): Promise<string | undefined> {
    const prompt = await this.#dialog();
    this.#loaded = prompt;
    return prompt.request(request);
  }

  // The dialog stays open after a wrong passcode (a phone's lock screen); close() ends that.
  close(): void {
    this.#loaded?.close();
  }
}

class LazyWebAuthnBiometrics implements BiometricsPort {
  readonly #options: WebAuthnBiometricsOptions;
  readonly #biometrics: () => Promise<BiometricsPort>;

  constructor(options: WebAuthnBiometricsOptions) {
    this.#options = options;
    this.#biometrics = lazily('WebAuthn code', async () => new (await import('./on-first-use.js')).WebAuthnBiometrics(options));
  }

  availability(): Promise<BiometricAvailability> {
    return webAuthnAvailability(this.#options.biometricType);
  }

  async enroll(request: { vaultId: string; username: string }): Promise<{ credential: BiometricCredential; key: CryptoKey }> {
    return (await this.#biometrics()).enroll(request);
  }

  async keyForWrap(request: { credential: BiometricCredential }): Promise<CryptoKey> {
    return (await this.#biometrics()).keyForWrap(request);
  }

  async keyForUnwrap(request: { credential: BiometricCredential }): Promise<CryptoKey> {
    return (await this.#biometrics()).keyForUnwrap(request);
  }

  async remove(request: { credential: BiometricCredential }): Promise<void> {
    return (await this.#biometrics()).remove(request);
  }
}

class LazyDeviceKey implements DeviceKeyPort {
  readonly #deviceKey: () => Promise<DeviceKeyPort>;

  constructor(connection: IdbConnection) {
    this.#deviceKey = lazily('device key code', async () => new (await import('./on-first-use.js')).IndexedDbDeviceKey(connection));
  }

  async get(options: { create: boolean }): Promise<CryptoKey | undefined> {
    return (await this.#deviceKey()).get(options);
  }

  async delete(): Promise<void> {
    return (await this.#deviceKey()).delete();
  }

  async deleteUnlessUsed(prefix: string, select: (key: string) => boolean, inUse: (record: StoredRecord | undefined) => boolean): Promise<boolean> {
    return (await this.#deviceKey()).deleteUnlessUsed!(prefix, select, inUse);
  }
}

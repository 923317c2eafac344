/**
 * A fake of `@capgo/capacitor-native-biometric` 8.6.11's JavaScript API (`NativeBiometric`),
 * written from its native sources in the npm tarball:
 * - iOS: ios/Sources/NativeBiometricPlugin/NativeBiometricPlugin.swift (`checkBiometryAvailability`,
 *   `setData` → `storeProtectedData`, `getSecureData`, `deleteData`, `convertToPluginErrorCode`);
 * - Android: android/src/main/java/ee/forgr/biometric/NativeBiometric.java (`checkBiometryAvailability`,
 *   `setData`, `getSecureData`, `deleteData`), AuthActivity.java (the prompt activity:
 *   `onAuthenticationError`, `onAuthenticationFailed` with `maxAttempts` 1,
 *   `createAsymmetricDecryptCryptoObject`, `convertToPluginErrorCode`) and
 *   AsymmetricSecureDataHelper.java (key pair with `setInvalidatedByBiometricEnrollment`, and its
 *   `ProviderException` fallback without it).
 *
 * Rejections carry `code` as a string, as Capacitor's bridge delivers `call.reject(message, code)`.
 */
import type { BiometricAvailableResult, NativeBiometricApi, NativeOS } from 'identity-vault/capacitor';

export type PromptOutcome = 'success' | 'fail' | 'cancel';

/** What showing the system prompt does to the rest of the app (lifecycle events, privacy cover). */
export interface PromptEffects {
  promptShown(): void;
  promptDismissed(): void;
}

interface Item {
  value: string;
  accessControl: number;
  /** Enrolment generation when written. */
  enrolment: number;
  /** Android: whether the Keystore key was created with setInvalidatedByBiometricEnrollment(true). */
  invalidatedByEnrollment: boolean;
}

const reject = (message: string, code?: string): Promise<never> => Promise.reject(Object.assign(new Error(message), code === undefined ? {} : { code }));

export class FakeNativeBiometric implements NativeBiometricApi {
  /** Keychain items (iOS) / prefs entries + Keystore key pairs (Android), by key. */
  readonly items = new Map<string, Item>();
  readonly calls: Array<{ method: string; options?: unknown }> = [];
  hardware = true;
  enrolled = true;
  /** Android: only a weak (Class 2) face sensor, which cannot release a Keystore key. */
  weakOnly = false;
  /** Android OEMs whose Keystore rejects enrolment binding: the plugin silently retries without it. */
  oemRejectsEnrolmentBinding = false;
  /** iOS items need a device passcode (`kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly`). */
  devicePasscodeSet = true;
  type: 'face' | 'finger' = 'face';
  private enrolment = 1;
  private outcome: PromptOutcome = 'success';
  /** Unrecognised attempts in a row: 5 lock biometrics out (iOS `biometryLockout`, Android `ERROR_LOCKOUT`). */
  private failures = 0;
  permanentLockout = false;

  constructor(
    readonly os: NativeOS,
    private readonly effects: PromptEffects,
  ) {}

  respondWith(outcome: PromptOutcome): void {
    this.outcome = outcome;
  }
  /** Fingers or faces added/removed. */
  reenroll(): void {
    this.enrolment++;
  }
  get lockedOut(): boolean {
    return this.failures >= 5 || this.permanentLockout;
  }
  /** The user unlocked the device with its passcode: lockouts end. */
  resetLockout(): void {
    this.failures = 0;
    this.permanentLockout = false;
  }

  async isAvailable(options?: { useFallback: boolean }): Promise<BiometricAvailableResult> {
    this.calls.push({ method: 'isAvailable', options });
    const biometryType = !this.hardware ? 0 : this.os === 'ios' ? (this.type === 'face' ? 2 : 1) : this.weakOnly ? 4 : this.type === 'face' ? 4 : 3;
    const base = { biometryType, deviceIsSecure: this.devicePasscodeSet };
    if (this.os === 'ios') {
      // LAContext.canEvaluatePolicy(.deviceOwnerAuthenticationWithBiometrics): lockout is reported here.
      const errorCode = !this.hardware ? 1 : !this.enrolled ? 3 : this.lockedOut ? 2 : undefined;
      return errorCode === undefined
        ? { ...base, isAvailable: true, authenticationStrength: 1, strongBiometryIsAvailable: true }
        : { ...base, isAvailable: false, authenticationStrength: 0, strongBiometryIsAvailable: false, errorCode };
    }
    // BiometricManager.canAuthenticate(BIOMETRIC_STRONG / BIOMETRIC_WEAK): no lockout information.
    if (!this.hardware) return { ...base, isAvailable: false, authenticationStrength: 0, strongBiometryIsAvailable: false, errorCode: 1 };
    if (!this.enrolled) return { ...base, isAvailable: false, authenticationStrength: 0, strongBiometryIsAvailable: false, errorCode: 3 };
    if (this.weakOnly) return { ...base, isAvailable: true, authenticationStrength: 2, strongBiometryIsAvailable: false };
    return { ...base, isAvailable: true, authenticationStrength: 1, strongBiometryIsAvailable: true };
  }

  async setData(options: { key: string; value: string; accessControl: number; authValidityDuration: number }): Promise<void> {
    this.calls.push({ method: 'setData', options: { ...options, value: '<secret>' } });
    const { key, value, accessControl } = options;
    if (typeof key !== 'string' || typeof value !== 'string') return reject('Missing properties');
    if (this.os === 'ios') {
      // SecAccessControlCreateWithFlags(kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly, …): no passcode, no item.
      if (accessControl > 0 && !this.devicePasscodeSet)
        return reject('The operation couldn’t be completed. (NativeBiometricPlugin.NativeBiometricPlugin.KeychainError error 3.)');
    } else if (accessControl > 0 && options.authValidityDuration > 0) {
      throw new Error('fake: the validity-window mode (a prompt to write, reads without a prompt) is not modelled: identity-vault must never use it');
    }
    // Duplicate → delete and store again (iOS); a fresh key pair on Android when the access control changes.
    this.items.set(key, { value, accessControl, enrolment: this.enrolment, invalidatedByEnrollment: accessControl === 1 && !this.oemRejectsEnrolmentBinding });
  }

  async getSecureData(options: { key: string; reason?: string; title?: string }): Promise<{ value: string }> {
    this.calls.push({ method: 'getSecureData', options });
    const item = this.items.get(options.key);
    if (this.os === 'ios') return this.iosGetSecureData(item);
    return this.androidGetSecureData(options.key, item);
  }

  private async iosGetSecureData(item: Item | undefined): Promise<{ value: string }> {
    // SecItemCopyMatching with kSecUseAuthenticationContext: a re-enrolled .biometryCurrentSet
    // item is no longer found at all (errSecItemNotFound), exactly like a missing one.
    if (!item || item.accessControl === 0 || (item.accessControl === 1 && item.enrolment !== this.enrolment))
      return reject('No protected data found for key', '21');
    // Without usable biometrics the query fails with an OSStatus the plugin reports as "0".
    if (!this.hardware || !this.enrolled || this.lockedOut) return reject('Failed to retrieve data: -25293', '0');
    this.effects.promptShown(); // the Face ID / Touch ID sheet: willResignActive
    try {
      if (this.outcome === 'cancel') return await reject('User canceled biometric authentication', '16');
      if (this.outcome === 'fail') {
        this.failures++;
        return await reject('Biometric authentication failed', '10');
      }
      this.failures = 0;
      return { value: item.value };
    } finally {
      this.effects.promptDismissed(); // didBecomeActive
    }
  }

  private async androidGetSecureData(key: string, item: Item | undefined): Promise<{ value: string }> {
    // NativeBiometric.getSecureData: no "secure_" prefs entry → 21 before any activity starts.
    if (!item || item.accessControl === 0) return reject('No protected data found', '21');
    this.effects.promptShown(); // AuthActivity starts (transparent): our activity pauses
    try {
      // createAsymmetricDecryptCryptoObject: Cipher.init throws KeyPermanentlyInvalidatedException;
      // cleanupInvalidatedAsymmetricData deletes the key pair and the entry, then finishes with "0".
      if (item.invalidatedByEnrollment && item.enrolment !== this.enrolment) {
        this.items.delete(key);
        return await reject('Biometric enrollment changed', '0');
      }
      if (!this.hardware) return await reject('Biometric hardware unavailable', '1');
      if (!this.enrolled) return await reject('No fingerprints enrolled', '3');
      if (this.permanentLockout) return await reject('Too many attempts. Use screen lock instead.', '2');
      if (this.failures >= 5) return await reject('Too many attempts. Try again later.', '4');
      if (this.outcome === 'cancel') return await reject('Use passcode', '16'); // ERROR_NEGATIVE_BUTTON
      if (this.outcome === 'fail') {
        // onAuthenticationFailed: counter >= maxAttempts (1 unless passed; getSecureData passes none).
        this.failures++;
        return await reject('Too many failed attempts', '4');
      }
      this.failures = 0;
      return { value: item.value };
    } finally {
      this.effects.promptDismissed(); // AuthActivity finishes: our activity resumes
    }
  }

  async deleteData(options: { key: string }): Promise<void> {
    this.calls.push({ method: 'deleteData', options });
    this.items.delete(options.key);
  }
}

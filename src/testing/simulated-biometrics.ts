/**
 * Biometrics of `SimulatedDevice`, modelled on the native keystores: each credential is a key held
 * by the "secure hardware" (never in storage); releasing it for unlock needs a scripted prompt
 * outcome; re-enrolment invalidates every credential (iOS `biometryCurrentSet`, Android
 * `setInvalidatedByBiometricEnrollment`).
 */
import { authFailed, invalidatedCredential, keyNotFound, securityNotAvailable, userCanceled } from '../core/errors.js';
import type { BiometricAvailability, BiometricCredential, BiometricsPort } from '../core/ports.js';
import type { BiometricType } from '../core/types.js';

/** What the next biometric prompts answer. */
export type BiometricOutcome = 'success' | 'fail' | 'cancel';

interface HeldKey {
  key: CryptoKey;
  enrolment: number;
}

export class SimulatedBiometrics implements BiometricsPort {
  #outcome: BiometricOutcome = 'success';
  readonly #queued: BiometricOutcome[] = [];
  #enrolment = 1;
  readonly #held = new Map<string, HeldKey>();
  #nextId = 1;
  /** How many times the user was prompted. */
  prompts = 0;

  #type: BiometricType;
  readonly #subtle: SubtleCrypto;

  constructor(type: BiometricType, subtle: SubtleCrypto) {
    this.#type = type;
    this.#subtle = subtle;
  }

  /** The outcome of every following prompt (until changed). */
  respondWith(outcome: BiometricOutcome): void {
    this.#outcome = outcome;
  }

  /** One outcome per prompt, in order, before falling back to {@link respondWith}'s. */
  queue(...outcomes: BiometricOutcome[]): void {
    this.#queued.push(...outcomes);
  }

  /** Like adding a finger or a face: every existing biometric key becomes invalid. */
  reenroll(): void {
    this.#enrolment++;
  }

  /** The user removed biometrics from the device (`'none'`), or added them. */
  setType(type: BiometricType): void {
    this.#type = type;
  }

  async availability(): Promise<BiometricAvailability> {
    return { available: this.#type !== 'none', type: this.#type };
  }

  async enroll(): Promise<{ credential: BiometricCredential; key: CryptoKey }> {
    this.#requireAvailable();
    const id = `sim-${this.#nextId++}`;
    const key = await this.#subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
    this.#held.set(id, { key, enrolment: this.#enrolment });
    return { credential: { id }, key };
  }

  async keyForWrap({ credential }: { credential: BiometricCredential }): Promise<CryptoKey> {
    this.#requireAvailable();
    return this.#heldKey(credential).key;
  }

  async keyForUnwrap({ credential }: { credential: BiometricCredential }): Promise<CryptoKey> {
    this.#requireAvailable();
    const held = this.#heldKey(credential);
    this.prompts++;
    const outcome = this.#queued.shift() ?? this.#outcome;
    if (outcome === 'cancel') throw userCanceled('The biometric prompt was cancelled.');
    if (outcome === 'fail') throw authFailed('Biometric authentication failed.');
    return held.key;
  }

  async remove({ credential }: { credential: BiometricCredential }): Promise<void> {
    this.#held.delete(String(credential.id));
  }

  #heldKey(credential: BiometricCredential): HeldKey {
    const held = this.#held.get(String(credential.id));
    if (!held) throw keyNotFound('The biometric key was not found on this device.');
    if (held.enrolment !== this.#enrolment) {
      throw invalidatedCredential('Biometrics changed on this device since the key was made.');
    }
    return held;
  }

  #requireAvailable(): void {
    if (this.#type === 'none') throw securityNotAvailable('This device has no biometrics.');
  }
}

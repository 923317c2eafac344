/**
 * An in-process stand-in for a native `IdentityVault` implementation that follows
 * docs/native-contract.md the way the iOS/Android code must: opaque text records with
 * transactional commits and compare-and-set; key material as base64 bytes (the bridge carries
 * JSON only — every result is JSON-copied here too); Keychain/Keystore semantics for biometric
 * keys (a prompt for every release, invalidation on re-enrolment, lockout after 5 failures);
 * rejections with `code` set to a VaultErrorCodes name.
 */
import type { PluginListenerHandle } from '@capacitor/core';
import type {
  BiometricAvailabilityResult,
  DeviceKeyResult,
  IdentityVaultPlugin,
  KeyMaterial,
  LifecycleChange,
  PasscodePurpose,
  StoreCommitOptions,
} from 'identity-vault/capacitor';

export type PromptOutcome = 'success' | 'fail' | 'cancel';

const reject = (code: string, message: string) => Promise.reject(Object.assign(new Error(message), { code }));
/** What crosses a bridge: JSON, copied. */
const bridge = <T>(value: T): Promise<T> =>
  new Promise((resolve) => setImmediate(() => resolve(value === undefined ? value : JSON.parse(JSON.stringify(value)))));
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const random32 = () => globalThis.crypto.getRandomValues(new Uint8Array(32));

export class FakeNativePlugin implements IdentityVaultPlugin {
  /** Native storage (SQLite in the real thing). */
  readonly records = new Map<string, string>();
  /** Keychain / Keystore items. */
  private readonly keychain = new Map<string, { secret: Uint8Array; enrolment: number }>();
  private deviceKey: Uint8Array | undefined;
  private enrolment = 1;
  private nextCredential = 1;
  private outcome: PromptOutcome = 'success';
  private failuresInARow = 0;
  private readonly passcodes: Array<string | null> = [];
  private readonly listeners = new Set<(change: LifecycleChange) => void>();
  biometricType: 'faceID' | 'touchID' | 'none' = 'faceID';
  inBackground = false;
  privacyScreen = false;
  /** Every method called, with its options (for assertions on what the adapter asks). */
  readonly calls: Array<{ method: string; options?: unknown }> = [];
  /** Test hooks that break the contract on purpose. */
  readonly faults: { releaseWithoutSecret?: boolean; shortSecret?: boolean; beforeCommit?: () => void } = {};

  // ---- scripting (what a tester does on a device or simulator) -------------------------------
  respondWith(outcome: PromptOutcome): void {
    this.outcome = outcome;
  }
  /** Fingers/faces changed: every biometric key is invalidated. */
  reenroll(): void {
    this.enrolment++;
  }
  queuePasscodes(...answers: Array<string | undefined>): void {
    this.passcodes.push(...answers.map((a) => a ?? null));
  }
  emit(state: 'background' | 'foreground'): void {
    this.inBackground = state === 'background';
    for (const listener of [...this.listeners]) listener({ state });
  }

  // ---- storage -----------------------------------------------------------------------------
  async storeGet({ key }: { key: string }) {
    this.calls.push({ method: 'storeGet', options: { key } });
    return bridge({ value: this.records.get(key) ?? null });
  }
  async storeKeys({ prefix }: { prefix: string }) {
    this.calls.push({ method: 'storeKeys', options: { prefix } });
    return bridge({ keys: [...this.records.keys()].filter((k) => k.startsWith(prefix)) });
  }
  async storeHasPrefix({ prefix }: { prefix: string }) {
    this.calls.push({ method: 'storeHasPrefix', options: { prefix } });
    return bridge({ value: [...this.records.keys()].some((k) => k.startsWith(prefix)) });
  }
  async storeCommit(options: StoreCommitOptions) {
    this.calls.push({ method: 'storeCommit', options });
    const { beforeCommit } = this.faults;
    this.faults.beforeCommit = undefined;
    beforeCommit?.();
    // One transaction: check, then apply everything.
    if (options.expect && (this.records.get(options.expect.key) ?? null) !== options.expect.value) return bridge({ committed: false });
    for (const prefix of options.deletePrefixes ?? []) for (const key of [...this.records.keys()]) if (key.startsWith(prefix)) this.records.delete(key);
    for (const key of options.delete ?? []) this.records.delete(key);
    for (const { key, value } of options.put ?? []) this.records.set(key, value);
    return bridge({ committed: true });
  }

  // ---- keys ----------------------------------------------------------------------------------
  async getDeviceKey({ create }: { create: boolean }): Promise<DeviceKeyResult> {
    this.calls.push({ method: 'getDeviceKey', options: { create } });
    if (this.deviceKey === undefined && create) this.deviceKey = random32();
    return bridge({ secret: this.deviceKey ? base64(this.deviceKey) : null });
  }
  async deleteDeviceKey(): Promise<void> {
    this.calls.push({ method: 'deleteDeviceKey' });
    this.deviceKey = undefined;
    return bridge(undefined);
  }
  async getBiometricAvailability(): Promise<BiometricAvailabilityResult> {
    this.calls.push({ method: 'getBiometricAvailability' });
    const available = this.biometricType !== 'none' && this.failuresInARow < 5;
    return bridge({ available, type: available ? this.biometricType : 'none' });
  }
  async enrollBiometric(options: { vaultId: string; username: string }) {
    this.calls.push({ method: 'enrollBiometric', options });
    if (this.biometricType === 'none') return reject('SecurityNotAvailable', 'No biometrics enrolled on this device');
    const credentialId = `cred-${this.nextCredential++}`;
    const secret = random32();
    this.keychain.set(credentialId, { secret, enrolment: this.enrolment });
    return bridge({ credentialId, secret: base64(secret) });
  }
  async releaseBiometricKey(options: { credentialId: string; purpose: 'wrap' | 'unwrap' }): Promise<KeyMaterial> {
    this.calls.push({ method: 'releaseBiometricKey', options });
    if (this.biometricType === 'none') return reject('SecurityNotAvailable', 'No biometrics enrolled on this device');
    const item = this.keychain.get(options.credentialId);
    if (!item) return reject('KeyNotFound', 'No key for this credential');
    if (item.enrolment !== this.enrolment) return reject('InvalidatedCredential', 'Biometric enrolment changed (KeyPermanentlyInvalidatedException)');
    if (this.failuresInARow >= 5) return reject('AuthFailed', 'Biometrics locked out after 5 failures: use the passcode');
    if (this.outcome === 'cancel') return reject('UserCanceledInteraction', 'The user cancelled the biometric prompt');
    if (this.outcome === 'fail') {
      this.failuresInARow++;
      return reject('AuthFailed', 'Biometric authentication failed');
    }
    this.failuresInARow = 0;
    if (this.faults.releaseWithoutSecret) return bridge({});
    if (this.faults.shortSecret) return bridge({ secret: base64(item.secret.slice(0, 16)) });
    return bridge({ secret: base64(item.secret) });
  }
  async removeBiometric(options: { credentialId: string }) {
    this.calls.push({ method: 'removeBiometric', options });
    this.keychain.delete(options.credentialId);
    return bridge(undefined);
  }

  // ---- prompt and lifecycle ------------------------------------------------------------------
  async promptPasscode(options: { purpose: PasscodePurpose; vaultId: string; username: string }) {
    this.calls.push({ method: 'promptPasscode', options });
    const answer = this.passcodes.shift();
    if (answer === undefined) return reject('UserCanceledInteraction', 'No passcode was scripted: the prompt was dismissed');
    return bridge({ passcode: answer });
  }
  async getLifecycleState(): Promise<LifecycleChange> {
    return bridge({ state: this.inBackground ? 'background' : 'foreground' });
  }
  async setPrivacyScreen({ enabled }: { enabled: boolean }) {
    this.calls.push({ method: 'setPrivacyScreen', options: { enabled } });
    this.privacyScreen = enabled;
    return bridge(undefined);
  }
  async dumpStorage() {
    return bridge({ text: JSON.stringify([...this.records]) });
  }
  async addListener(_eventName: 'lifecycle', listener: (change: LifecycleChange) => void): Promise<PluginListenerHandle> {
    this.listeners.add(listener);
    return { remove: async () => void this.listeners.delete(listener) };
  }
  async removeAllListeners() {
    this.listeners.clear();
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
}

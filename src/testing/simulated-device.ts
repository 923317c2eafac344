/**
 * `SimulatedDevice`: a complete in-memory platform for tests — the project's own and app
 * developers'. Storage, secure hardware (device key and biometric keys), biometric and passcode
 * prompts, app background/foreground and a clock, all scripted.
 *
 * @example
 * ```ts
 * import { SimulatedDevice } from 'identity-vault/testing';
 * const device = new SimulatedDevice({ biometricType: 'faceID' });
 * const vault = device.plugin.getVault({ vaultId: 'app', username: 'alice' });
 * await vault.setPasscodeEnabled(true);
 * await vault.setPasscode('1234');
 * await vault.storeToken('secret');
 * device.sendToBackground();
 * device.advanceTime(60_000);
 * device.bringToForeground();
 * ```
 */
import { createPlugin, disposePlugin } from '../core/plugin.js';
import { createWebCrypto } from '../shared/web-crypto.js';
import { ListenerSet } from '../shared/listener-set.js';
import { unavailable } from '../core/errors.js';
import type {
  DeviceKeyPort,
  LifecycleEvent,
  LifecyclePort,
  PasscodePromptPort,
  PasscodePromptPurpose,
  PasscodePromptTexts,
  Platform,
  SecretStore,
} from '../core/ports.js';
import type { BiometricType, IonicNativeAuthPlugin } from '../core/types.js';
import { MemoryStore } from './memory-store.js';
import { SimulatedBiometrics } from './simulated-biometrics.js';
import { SimulatedClock } from './simulated-clock.js';

/** Options of a {@link SimulatedDevice}. */
export interface SimulatedDeviceOptions {
  /** The device's biometrics; `'none'` for a device without. @default 'faceID' */
  biometricType?: BiometricType;
  /** Failed passcode attempts before a vault is cleared. @default 5 */
  maxAttempts?: number;
  /**
   * Use the labelled test-only KDF (1,000 PBKDF2 iterations) so tests can unlock thousands of
   * times. Set `false` to use the real 600,000-iteration KDF. @default true
   */
  fastKdf?: boolean;
  /** Wall-clock start, ms since the epoch. @default 2026-01-01T00:00:00Z */
  startTime?: number;
}

/** The built-in passcode prompt of the simulated device. */
export class SimulatedPasscodePrompt implements PasscodePromptPort {
  #answer: string | undefined;
  readonly #queued: Array<string | undefined> = [];
  readonly #held: Array<Promise<string | undefined>> = [];
  /** Every prompt shown, in order. */
  readonly requests: PasscodePromptPurpose[] = [];
  /** The app's prompt texts each prompt was given (`androidPromptTitle`…), in the same order. */
  readonly texts: Array<PasscodePromptTexts | undefined> = [];

  /** What the user types at every following prompt; `undefined` cancels. */
  respondWith(answer: string | undefined): void {
    this.#answer = answer;
  }

  /** One answer per prompt, in order, before falling back to {@link respondWith}'s. */
  queue(...answers: Array<string | undefined>): void {
    this.#queued.push(...answers);
  }

  /**
   * The next prompt stays open until the returned function is called with the user's answer
   * (`undefined` cancels): for testing what the app does while the user is typing.
   */
  holdNext(): (answer: string | undefined) => void {
    let answer!: (text: string | undefined) => void;
    this.#held.push(new Promise((resolve) => (answer = resolve)));
    return answer;
  }

  async request({ purpose, texts }: { purpose: PasscodePromptPurpose; texts?: PasscodePromptTexts }): Promise<string | undefined> {
    this.requests.push(purpose);
    this.texts.push(texts);
    const held = this.#held.shift();
    if (held) return held;
    return this.#queued.length > 0 ? this.#queued.shift() : this.#answer;
  }
}

class SimulatedLifecycle implements LifecyclePort {
  readonly #listeners = new ListenerSet<LifecycleEvent>();
  inBackground = false;
  privacyScreen = false;

  subscribe(listener: (event: LifecycleEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

  isInBackground(): boolean {
    return this.inBackground;
  }

  setPrivacyScreen({ enabled }: { enabled: boolean }): void {
    this.privacyScreen = enabled;
  }

  emit(event: LifecycleEvent): void {
    this.inBackground = event === 'background';
    this.#listeners.emit(event);
  }
}

/** Secure hardware's device key: survives restarts, never appears in storage. */
export class SimulatedDeviceKey implements DeviceKeyPort {
  #key: CryptoKey | undefined;
  readonly #subtle: SubtleCrypto;

  constructor(subtle: SubtleCrypto) {
    this.#subtle = subtle;
  }

  async get({ create }: { create: boolean }): Promise<CryptoKey | undefined> {
    if (!this.#key && create) this.#key = await this.#subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
    return this.#key;
  }

  /** The device was restored to a new phone: the old device key is gone. */
  forget(): void {
    this.#key = undefined;
  }

  /**
   * Puts a device key back, as an attacker who kept a copy of the device's secure storage would
   * (attack tests of what an old copy of storage can open).
   */
  putBack(key: CryptoKey): void {
    this.#key = key;
  }

  /** How many times the core deleted the device key. */
  deletions = 0;

  async delete(): Promise<void> {
    if (this.#key) this.deletions++;
    this.#key = undefined;
  }

  /** Whether a device key exists right now. */
  get exists(): boolean {
    return this.#key !== undefined;
  }
}

export class SimulatedDevice {
  /** What is persisted; `dump()` shows it. */
  readonly storage = new MemoryStore();
  readonly biometrics: SimulatedBiometrics;
  readonly passcodePrompt = new SimulatedPasscodePrompt();
  readonly clock: SimulatedClock;
  readonly deviceKey: SimulatedDeviceKey;
  readonly #lifecycle = new SimulatedLifecycle();
  readonly #platform: Platform;
  readonly #maxAttempts: number | undefined;
  #current: IonicNativeAuthPlugin;
  /** How many times the app was restarted. */
  restarts = 0;

  constructor(options: SimulatedDeviceOptions = {}) {
    const subtle = globalThis.crypto.subtle;
    this.biometrics = new SimulatedBiometrics(options.biometricType ?? 'faceID', subtle);
    this.clock = new SimulatedClock(options.startTime);
    this.deviceKey = new SimulatedDeviceKey(subtle);
    this.#maxAttempts = options.maxAttempts;
    this.#platform = {
      name: 'simulated',
      store: this.storage,
      crypto: createWebCrypto(),
      deviceKey: this.deviceKey,
      biometrics: this.biometrics,
      passcodePrompt: this.passcodePrompt,
      lifecycle: this.#lifecycle,
      clock: this.clock,
      cacheValues: true,
      kdf: { testOnlyFastKdf: options.fastKdf ?? true },
    };
    this.#current = this.#createPlugin();
  }

  /** The plugin of the running app; a new one after {@link restart}. */
  get plugin(): IonicNativeAuthPlugin {
    return this.#current;
  }

  /** Whether the privacy screen covers the app right now. */
  get isScreenHidden(): boolean {
    return this.#lifecycle.privacyScreen && this.#lifecycle.inBackground;
  }

  /** Whether the app is in the background. */
  get isInBackground(): boolean {
    return this.#lifecycle.inBackground;
  }

  sendToBackground(): void {
    if (!this.#lifecycle.inBackground) this.#lifecycle.emit('background');
  }

  bringToForeground(): void {
    if (this.#lifecycle.inBackground) this.#lifecycle.emit('foreground');
  }

  /** Let `ms` pass: timers (such as the background lock) fire. */
  advanceTime(ms: number): void {
    this.clock.advance(ms);
  }

  /** The app is killed and relaunched: memory, timers and handlers are gone; storage and secure hardware stay. */
  restart(): void {
    disposePlugin(this.#current);
    this.clock.reset();
    this.#lifecycle.inBackground = false;
    this.#lifecycle.privacyScreen = false;
    this.restarts++;
    this.#current = this.#createPlugin();
  }

  #createPlugin(): IonicNativeAuthPlugin {
    const platform: Platform = { ...this.#platform, store: this.#storeOfRun(this.restarts) };
    return createPlugin(platform, this.#maxAttempts === undefined ? {} : { maxAttempts: this.#maxAttempts });
  }

  /**
   * The storage as one run of the app sees it. After {@link restart} the old run is dead: its
   * calls in flight or later fail instead of writing behind the new run's back, as a killed
   * process would never write again.
   */
  #storeOfRun(run: number): SecretStore {
    const storage = this.storage;
    const alive = () => {
      if (this.restarts !== run) throw unavailable('This app run was killed by SimulatedDevice.restart().');
    };
    return {
      get: async (key) => (alive(), storage.get(key)),
      keys: async (prefix) => (alive(), storage.keys(prefix)),
      hasPrefix: async (prefix) => (alive(), storage.hasPrefix(prefix)),
      entries: async (prefix) => (alive(), storage.entries(prefix)),
      commit: async (change) => (alive(), storage.commit(change)),
      commitThenRead: async (change, prefix, onRecords) => (alive(), storage.commitThenRead(change, prefix, onRecords)),
      update: async (key, update) => (alive(), storage.update(key, update)),
    };
  }
}

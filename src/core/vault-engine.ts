/**
 * The engine of one vault (one descriptor {vaultId, username}), shared by every `IdentityVault`
 * handle for it, so a lock or a write through one is seen by all. It keeps the state
 * (vault-state.ts, which also says where each secret lives), the queue (one operation at a time),
 * the settings and the events, and calls the modules that hold the rules: unlock-method.ts,
 * attempts.ts, background-lock.ts, key-wraps.ts (docs/architecture.md lists them).
 */
import { VaultErrorCodes, isVaultError } from './errors.js';
import { BackgroundLock } from './background-lock.js';
import { EngineEvents, type EngineListener } from './engine-events.js';
import type { VaultContext } from './key-wraps.js';
import { afterPrompt } from './lazy-load.js';
import type { LifecycleEvent, PeerMessage, Platform } from './ports.js';
import { EMPTY_META, vaultKeys, type VaultKeys } from './records.js';
import { SerialQueue } from './serial-queue.js';
import { singleFlight } from './single-flight.js';
import { biometricUnlockOf, chooseUnlockMethod, passcodeUnlockOf } from './unlock-method.js';
import { VaultState, type MemoryInspection } from './vault-state.js';
import type { VaultWrites } from './vault-writes.js';
import type { PluginConfiguration, VaultDescriptor } from './types.js';

export type { MemoryInspection } from './vault-state.js';
export type { EngineListener } from './engine-events.js';

/** Settings of a vault that come from `PluginOptions` (the latest `getVault` call that gives one wins). */
export interface EngineSettings {
  lockAfter: number;
  hideScreenOnBackground: boolean;
  maxAttempts: number;
  /** `false` (Identity Vault 4.1's `shouldClearVaultAfterTooManyFailedAttempts`): refuse the passcode instead of clearing. Default true. */
  clearAfterTooManyAttempts?: boolean;
}

const ignore = (): undefined => undefined;

export class VaultEngine {
  readonly descriptor: VaultDescriptor;
  readonly keys: VaultKeys;
  readonly #platform: Platform;
  readonly #settings: EngineSettings;
  readonly #onUnsubscribe: () => void;
  readonly #context: VaultContext;
  readonly #state: VaultState;
  readonly #queue = new SerialQueue();
  /** Handlers are called, never awaited (engine-events.ts): one that calls back into the vault cannot deadlock the queue. */
  readonly #events = new EngineEvents(() => this.configuration());
  readonly #background: BackgroundLock;
  readonly #unlocks = singleFlight<void>();

  /** `onUnsubscribe` runs after a listener was removed (the plugin updates the privacy screen then). */
  constructor(platform: Platform, descriptor: VaultDescriptor, settings: EngineSettings, onUnsubscribe: () => void = ignore) {
    this.#platform = platform;
    this.descriptor = { vaultId: descriptor.vaultId, username: descriptor.username };
    this.keys = vaultKeys(descriptor.vaultId, descriptor.username);
    this.#settings = { ...settings };
    this.#onUnsubscribe = onUnsubscribe;
    this.#context = { platform, descriptor: this.descriptor, keys: this.keys };
    this.#state = new VaultState(this.#context, {
      maxAttempts: () => this.#settings.maxAttempts,
      lockedByOther: () => this.#events.lock({ saved: true, timeout: false }),
    });
    // The timer only asks: the queue decides, and a run that stopped meanwhile does not lock.
    this.#background = new BackgroundLock(platform.clock, settings.lockAfter, () => {
      void this.#queue.run(async () => {
        if (this.#background.running) this.#lockNow(true);
      });
    });
  }

  /** Settings from a later `getVault` (the latest that states one wins); a new `lockAfter` reschedules a running timer. */
  configure(settings: Partial<EngineSettings>): void {
    Object.assign(this.#settings, settings);
    if (settings.lockAfter !== undefined) this.#background.setLockAfter(settings.lockAfter);
  }

  /** Whether this vault asks for the privacy screen: `hideScreenOnBackground` and a handle still subscribed. */
  get wantsPrivacyScreen(): boolean {
    return this.#settings.hideScreenOnBackground && this.#events.size > 0;
  }

  // ---- listeners and events -------------------------------------------------------------

  addListener(listener: EngineListener): void {
    this.#events.add(listener);
  }

  removeListener(listener: EngineListener): void {
    this.#events.remove(listener);
    this.#onUnsubscribe();
  }

  #configChanged(): void {
    this.#events.emit('config');
    this.#platform.peers?.post({ type: 'config', vault: this.keys.prefix });
  }

  #changed(keys: string[]): void {
    this.#platform.peers?.post({ type: 'changed', vault: this.keys.prefix, keys });
  }

  // ---- the queue ----------------------------------------------------------------------------

  /** Loads the vault's state; resolves when it is ready, rejects with the setup error. */
  ready(): Promise<PluginConfiguration> {
    return this.#op(async () => this.configuration(), { checkExpiry: false });
  }

  #op<T>(task: () => Promise<T>, options: { checkExpiry?: boolean } = {}): Promise<T> {
    return this.#queue.run(() => this.#prepared(task, options));
  }

  /** In the queue: load the state (or follow other processes' writes), lock an expired vault, run `task`. */
  async #prepared<T>(task: () => Promise<T>, { checkExpiry = true } = {}): Promise<T> {
    if (!this.#state.loaded) await this.#state.load();
    else if (!this.#platform.cacheValues) await this.#state.refresh();
    if (checkExpiry && this.#background.expired()) this.#lockNow(true);
    return task();
  }

  /**
   * Whether #prepared would do nothing now (nothing queued, state loaded and cached, not expired in
   * the background): a value call then starts in the caller's turn (`SerialQueue.runNow`), without
   * the queue's promise hops, and still holds the queue until it settles.
   */
  #runsNow(): boolean {
    return this.#queue.idle && this.#state.loaded && this.#platform.cacheValues && !this.#background.expired();
  }

  /** `task` in the queue, on an unlocked vault (`VaultLocked` otherwise). */
  #unlockedOp<T>(task: () => Promise<T>): Promise<T> {
    return this.#op(async () => {
      this.#state.requireUnlocked();
      return task();
    });
  }

  // ---- queries ------------------------------------------------------------------------------

  configuration(): PluginConfiguration {
    const { meta, inMemory } = this.#state;
    return {
      descriptor: { ...this.descriptor },
      hideScreenOnBackground: this.#settings.hideScreenOnBackground,
      isBiometricsEnabled: meta.biometricsEnabled,
      isPasscodeEnabled: meta.passcodeEnabled,
      isPasscodeSetupNeeded: this.#state.passcodeSetupNeeded,
      lockAfter: this.#settings.lockAfter,
      isSecureStorageModeEnabled: !inMemory && !meta.passcodeEnabled && !meta.biometricsEnabled,
      isInMemoryOnly: inMemory,
    };
  }

  /**
   * The configuration and lock state as held now, when a call made now would find them so: nothing
   * queued, the state loaded, not expired in the background, and no other process can have
   * changed them unannounced (the platform caches values). `undefined` otherwise: ask through the
   * queue. For the 5.x/6.x API's fast path (src/vault-api/vault.ts).
   */
  heldNow(): { readonly config: PluginConfiguration; readonly locked: boolean } | undefined {
    if (!this.#runsNow()) return undefined;
    return { config: this.configuration(), locked: this.#state.isLocked };
  }

  getConfig(): Promise<PluginConfiguration> {
    return this.#op(async () => this.configuration());
  }

  isLocked(): Promise<boolean> {
    return this.#op(async () => this.#state.isLocked);
  }

  isInUse(): Promise<boolean> {
    return this.#op(() => this.#state.inUse());
  }

  isInMemoryOnly(): Promise<boolean> {
    return this.#op(async () => this.#state.inMemory);
  }

  remainingAttempts(): Promise<number> {
    return this.#op(() => this.#state.remainingAttempts());
  }

  inspect(): MemoryInspection {
    return this.#state.inspect();
  }

  // ---- values -------------------------------------------------------------------------------

  getValue(key: string): Promise<unknown> {
    const read = async () => {
      this.#state.requireUnlocked();
      const json = await this.#state.getValue(key);
      return json === undefined ? undefined : JSON.parse(json);
    };
    // As storeValue: when #prepared would do nothing, the read starts in the caller's turn.
    return this.#runsNow() ? this.#queue.runNow(read) : this.#op(read);
  }

  storeValue(key: string, json: string): Promise<void> {
    const store = async () => {
      this.#state.requireUnlocked();
      if ((await this.#state.storeValue(key, json)) === true) this.#changed([key]);
    };
    if (this.#platform.cacheValues) {
      // The seal begins in the caller's turn when nothing is queued (#runsNow).
      return this.#runsNow() ? this.#queue.runNow(store) : this.#op(store);
    }
    // Node (every operation re-reads the meta): a write skips the read, its commit guarded on the
    // stored meta being the one held; only when it is not does it re-read and take the usual path.
    return this.#queue.run(async () => {
      const written = this.#state.loaded && !this.#background.expired() ? await this.#state.storeValue(key, json, { ifCurrent: true }) : 'stale';
      if (written !== 'stale') return void (written && this.#changed([key]));
      return this.#prepared(store);
    });
  }

  /** Deletes the value under `key` (nothing happens when there is none). Needs an unlocked vault. */
  removeValue(key: string): Promise<void> {
    return this.#unlockedOp(async () => {
      if (await (await this.#state.writes()).removeValue(key)) this.#changed([key]);
    });
  }

  /** The keys that hold a value. Needs an unlocked vault (key names are data too). */
  getKeys(): Promise<string[]> {
    return this.#unlockedOp(async () => (await this.#state.writes()).keys());
  }

  /**
   * Replaces every value with `entries` (key → JSON text) in one atomic commit: an import either
   * lands whole or not at all. Needs an unlocked vault.
   */
  replaceValues(entries: ReadonlyMap<string, string>): Promise<void> {
    return this.#unlockedOp(async () => {
      if (await (await this.#state.writes()).replaceValues(entries)) this.#changed([...entries.keys()]);
    });
  }

  // ---- configuration --------------------------------------------------------------------------

  /** Checks the state, asks outside the queue when no passcode is given, then re-checks and sets it (vault-writes.ts). */
  async setPasscode(given: string | undefined, ask: () => Promise<string>): Promise<void> {
    if (given === undefined) await this.#op(async () => (await this.#state.writes()).checkPasscodeChange());
    const passcode = given ?? (await ask());
    return this.#op(async () => {
      await (await this.#state.writes()).setNewPasscode(passcode);
      this.#configChanged();
    });
  }

  /** An unlocked operation that changes protection (vault-writes.ts); `config` is announced when it did. */
  #change(task: (writes: VaultWrites) => Promise<boolean>): Promise<void> {
    return this.#unlockedOp(async () => {
      if (await task(await this.#state.writes())) this.#configChanged();
    });
  }

  setPasscodeEnabled(enabled: boolean): Promise<void> {
    return this.#change((writes) => writes.setPasscodeEnabled(enabled));
  }

  /** Enabling enrolls outside the queue (the web shows the authenticator's prompt), then wraps in it. */
  async setBiometricsEnabled(enabled: boolean): Promise<void> {
    if (!enabled) return this.#change((writes) => writes.disableBiometrics());
    if (!(await this.#unlockedOp(async () => this.#state.inMemory || !this.#state.meta.biometricsEnabled))) return;
    const { credential, key } = await (await this.#state.writes()).enrollBiometrics(); // not queued: the authenticator's prompt
    const forget = () => this.#platform.biometrics.remove({ credential }).catch(ignore);
    return this.#change((writes) => writes.enableBiometrics(credential, key, forget)).catch(async (error: unknown) => {
      if (isVaultError(error, VaultErrorCodes.VaultLocked)) await forget();
      throw error;
    });
  }

  /** Extension for `AuthMode.InMemoryOnly`: keep values only in memory (and delete what is stored), or persist them again. */
  setInMemoryOnly(enabled: boolean): Promise<void> {
    return this.#change((writes) => writes.setInMemoryOnly(enabled));
  }

  // ---- lock, unlock, clear ------------------------------------------------------------------

  lock(): Promise<void> {
    return this.#op(async () => this.#lockNow(false));
  }

  #lockNow(timeout: boolean, { fromPeer = false } = {}): void {
    this.#background.stop();
    const saved = this.#state.lock();
    if (saved === undefined) return;
    this.#events.lock({ saved, timeout });
    if (saved && !fromPeer) this.#platform.peers?.post({ type: 'lock', vault: this.keys.prefix, timeout });
  }

  /**
   * Unlock in three steps so that no prompt holds the queue (other calls, such as `isLocked()`
   * for a lock screen, answer while the user types): decide the method in the queue, ask the user
   * outside it, then check the answer in the queue. Concurrent unlocks run one after another; a
   * later one finds the vault unlocked and returns.
   */
  async unlock(usingPasscode: boolean | undefined, passcode: string | undefined, ask: () => Promise<string>): Promise<void> {
    // No await before the first step is queued when no unlock runs: calls issued after `unlock()` run after it.
    while (this.#unlocks.current) await this.#unlocks.current.catch(ignore);
    return this.#unlocks.join(() => this.#unlockSteps(usingPasscode, passcode, ask));
  }

  async #unlockSteps(usingPasscode: boolean | undefined, given: string | undefined, ask: () => Promise<string>): Promise<void> {
    const state = this.#state;
    // Step 1, queued: decide; when no one must be asked (passcode given, device key), finish here,
    // so calls issued after `unlock()` still run after it.
    const plan = await this.#op(async () => {
      if (!state.isLocked) return undefined;
      const method = chooseUnlockMethod(state.meta, usingPasscode);
      if (method === 'device') return this.#finishUnlock(await (await afterPrompt()).openDeviceWrap(this.#context, state.meta));
      if (method === 'passcode') {
        passcodeUnlockOf(state.meta, this.#platform.kdf); // MissingPasscode / refused KDF before asking anyone
        if (given !== undefined) return this.#finishUnlock(await this.#openWithPasscode(given));
        return { method, credential: null } as const;
      }
      return { method, credential: biometricUnlockOf(state.meta).credential } as const;
    });
    if (!plan) return;
    // Step 2, not queued: the user's part. The code that checks the answer loads meanwhile (lazy-load.ts).
    afterPrompt().catch(() => undefined);
    const passcode = plan.method === 'passcode' ? await ask() : undefined;
    const biometricKey = plan.method === 'passcode' ? undefined : await this.#platform.biometrics.keyForUnwrap({ credential: plan.credential });
    // Step 3, queued: check the answer.
    await this.#op(async () => {
      if (!state.isLocked) return; // unlocked meanwhile (another call, another way)
      if (plan.method === 'passcode') return this.#finishUnlock(await this.#openWithPasscode(passcode!));
      const { wrap, kid } = biometricUnlockOf(state.meta);
      this.#finishUnlock(await (await afterPrompt()).openBiometricWrap(this.#context, wrap, kid, biometricKey!));
    });
  }

  async #openWithPasscode(passcode: string): Promise<CryptoKey> {
    const dataKey = await this.#state.openWithPasscode(passcodeUnlockOf(this.#state.meta, this.#platform.kdf), passcode);
    if (dataKey !== 'exhausted') return dataKey;
    // Not clearing: the counter stays at 0, so every further passcode try lands here: keeping the
    // data must not turn into unlimited guessing. setPasscode() (after another unlock) resets it.
    const clears = this.#settings.clearAfterTooManyAttempts !== false;
    if (clears) await this.#clearNow();
    throw (await afterPrompt()).attemptsExhausted(clears);
  }

  #finishUnlock(dataKey: CryptoKey): undefined {
    this.#state.unlocked(dataKey);
    if (this.#platform.lifecycle.isInBackground()) this.#startBackgroundTimer();
    this.#events.emit('unlock');
    return undefined;
  }

  clear(): Promise<void> {
    return this.#op(async () => this.#clearNow(), { checkExpiry: false });
  }

  async #clearNow(): Promise<void> {
    await (await this.#state.writes()).clear();
    this.#background.stop();
    this.#platform.peers?.post({ type: 'cleared', vault: this.keys.prefix });
    this.#events.emit('config');
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  onLifecycle(event: LifecycleEvent): void {
    if (event === 'background') {
      if (!this.#background.running) this.#startBackgroundTimer();
      return;
    }
    const expired = this.#background.expired();
    this.#background.stop();
    if (expired) void this.#queue.run(async () => this.#lockNow(true));
  }

  #startBackgroundTimer(): void {
    if (this.#state.holdsSomething) this.#background.start();
  }

  // ---- other tabs ---------------------------------------------------------------------------

  onPeer(message: PeerMessage): void {
    if (message.type === 'changed') return this.#state.dropCached(message.keys);
    void this.#queue
      .run(async () => {
        if (!this.#state.loaded) return;
        if (message.type === 'lock') return this.#lockNow(message.timeout, { fromPeer: true });
        const meta = (await this.#state.readMeta()) ?? EMPTY_META;
        if (message.type !== 'cleared') this.#state.adoptMeta(meta);
        else if (this.#state.adoptCleared(meta)) this.#events.lock({ saved: true, timeout: false });
        this.#events.emit('config');
      })
      .catch(ignore);
  }
}

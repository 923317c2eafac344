/**
 * The state machine of one vault (one descriptor {vaultId, username}). Every `IdentityVault`
 * instance for that descriptor talks to the same engine, so a lock or a write through one is seen
 * by all. Operations run one at a time through a queue.
 *
 * Where each secret lives (the Bitwarden habit: say it in one place):
 * | secret                  | where                                   | dropped on                       |
 * | ----------------------- | --------------------------------------- | -------------------------------- |
 * | data key                | `dataKey` (memory), storage only wrapped | lock, clear, key change elsewhere |
 * | decrypted values        | `cache` (memory, JSON text)             | lock, clear, peer write          |
 * | in-memory-only values   | `memoryValues` (memory, never stored)   | lock, clear, restart             |
 * | passcode                | a local of `unlock`/`setPasscode` only  | end of that call                 |
 * | passcode / biometric key| locals only                             | end of that call                 |
 */
import { OpenFailed, generateDataKey, open, seal, unwrapDataKey, wrapDataKey } from './envelope.js';
import { VaultError, VaultErrorCodes } from './errors.js';
import { checkKdfParams, derivePasscodeKey, newKdfParams, type KdfParams } from './kdf.js';
import type { LifecycleEvent, PeerMessage, Platform } from './ports.js';
import {
  EMPTY_META,
  parseAttempts,
  parseMeta,
  parseValue,
  rekeyInProgress,
  toStored,
  vaultKeys,
  type MetaRecord,
  type VaultKeys,
  type Wraps,
} from './records.js';
import { BackgroundLock } from './background-lock.js';
import { SerialQueue } from './serial-queue.js';
import {
  DeviceKeyMissing,
  StaleKeyState,
  canRotate,
  changesWraps,
  deviceWrapStillOpens,
  makeWraps,
  openPasscodeWrap,
  releaseDeviceKeyIfUnused,
  rotateDataKey,
  upgradePasscodeWrap,
  valueBinding,
  withLimit,
  wrapBinding,
  type VaultContext,
  type WrapInputs,
} from './key-rotation.js';
import { fromUtf8, toBase64, utf8 } from './bytes.js';
import type { LockEvent, PluginConfiguration, VaultDescriptor } from './types.js';

/** Settings of a vault that come from `PluginOptions` (the latest `getVault` call that gives one wins). */
export interface EngineSettings {
  lockAfter: number;
  hideScreenOnBackground: boolean;
  maxAttempts: number;
  /** `false` (Identity Vault 4.1's `shouldClearVaultAfterTooManyFailedAttempts`): refuse the passcode instead of clearing. Default true. */
  clearAfterTooManyAttempts?: boolean;
}

/** What an `IdentityVault` instance hears from its engine. */
export interface EngineListener {
  lock(event: LockEvent): void;
  unlock(config: PluginConfiguration): void;
  config(config: PluginConfiguration): void;
}

/** A read-only view of what the engine holds in memory, for tests of the lock property. */
export interface MemoryInspection {
  readonly locked: boolean;
  readonly holdsDataKey: boolean;
  readonly cachedValues: number;
  readonly inMemoryValues: number;
}

type UnlockMethod = 'passcode' | 'biometric' | 'device';

export class VaultEngine {
  readonly descriptor: VaultDescriptor;
  readonly keys: VaultKeys;
  readonly settings: EngineSettings;
  private readonly queue = new SerialQueue();
  private readonly listeners = new Set<EngineListener>();
  private loaded = false;
  private meta: MetaRecord = EMPTY_META;
  private inMemory = false;
  private locked = false;
  private dataKey: CryptoKey | undefined;
  private readonly cache = new Map<string, string>();
  private readonly memoryValues = new Map<string, string>();
  private readonly background: BackgroundLock;
  private unlocking: Promise<void> | undefined;

  constructor(
    private readonly platform: Platform,
    descriptor: VaultDescriptor,
    settings: EngineSettings,
  ) {
    this.descriptor = { vaultId: descriptor.vaultId, username: descriptor.username };
    this.keys = vaultKeys(descriptor.vaultId, descriptor.username);
    this.settings = settings;
    // The timer only asks: the queue decides, and a run that stopped meanwhile does not lock.
    this.background = new BackgroundLock(platform.clock, settings.lockAfter, () => {
      void this.queue.run(async () => {
        if (this.background.running) this.lockNow(true);
      });
    });
  }

  // ---- listeners and events -------------------------------------------------------------

  addListener(listener: EngineListener): void {
    this.listeners.add(listener);
  }

  removeListener(listener: EngineListener): void {
    this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Handlers are called, never awaited: a handler that calls back into the vault must not deadlock the queue. */
  private emit(kind: 'lock', event: LockEvent): void;
  private emit(kind: 'unlock' | 'config'): void;
  private emit(kind: keyof EngineListener, event?: LockEvent): void {
    const config = this.configuration();
    for (const listener of [...this.listeners]) {
      try {
        if (kind === 'lock') listener.lock(event!);
        else listener[kind](config);
      } catch {
        // A failing app handler must not break the vault; it is the app's to log.
      }
    }
  }

  private configChanged(): void {
    this.emit('config');
    this.platform.peers?.post({ type: 'config', vault: this.keys.prefix });
  }

  // ---- the queue ----------------------------------------------------------------------------

  /** Loads the vault's state; resolves when it is ready, rejects with the setup error. */
  ready(): Promise<PluginConfiguration> {
    return this.op(async () => this.configuration(), { checkExpiry: false });
  }

  private op<T>(task: () => Promise<T>, { checkExpiry = true } = {}): Promise<T> {
    return this.queue.run(async () => {
      if (!this.loaded) await this.load();
      else if (!this.platform.cacheValues) await this.refreshFromStore();
      if (checkExpiry) this.lockIfExpired();
      return task();
    });
  }

  private async load(): Promise<void> {
    const meta = parseMeta(await this.platform.store.get(this.keys.meta));
    this.meta = meta ?? EMPTY_META;
    this.locked = this.meta.kid !== null;
    this.loaded = true;
  }

  /** Another process may have written (Node): follow its meta; drop a data key that is no longer current. */
  private async refreshFromStore(): Promise<void> {
    if (this.inMemory) return;
    const meta = parseMeta(await this.platform.store.get(this.keys.meta)) ?? EMPTY_META;
    this.adoptMeta(meta);
  }

  private adoptMeta(meta: MetaRecord): void {
    const keyChanged = meta.kid !== this.meta.kid;
    this.meta = meta;
    if (!keyChanged) return;
    this.cache.clear();
    const wasUnlocked = !this.locked && this.dataKey !== undefined;
    this.dataKey = undefined;
    this.locked = meta.kid !== null;
    if (wasUnlocked && this.locked) this.emit('lock', { saved: true, timeout: false });
  }

  // ---- queries ------------------------------------------------------------------------------

  configuration(): PluginConfiguration {
    return {
      descriptor: { ...this.descriptor },
      hideScreenOnBackground: this.settings.hideScreenOnBackground,
      isBiometricsEnabled: this.meta.biometricsEnabled,
      isPasscodeEnabled: this.meta.passcodeEnabled,
      isPasscodeSetupNeeded: this.passcodeSetupNeeded(),
      lockAfter: this.settings.lockAfter,
      isSecureStorageModeEnabled: !this.inMemory && !this.meta.passcodeEnabled && !this.meta.biometricsEnabled,
      isInMemoryOnly: this.inMemory,
    };
  }

  private passcodeSetupNeeded(): boolean {
    return this.meta.passcodeEnabled && this.meta.wraps.passcode === undefined;
  }

  getConfig(): Promise<PluginConfiguration> {
    return this.op(async () => this.configuration());
  }

  isLocked(): Promise<boolean> {
    return this.op(async () => this.locked || (!this.inMemory && this.meta.kid !== null && this.dataKey === undefined));
  }

  isInUse(): Promise<boolean> {
    return this.op(async () => (this.inMemory ? this.memoryValues.size > 0 : this.platform.store.hasPrefix(this.keys.valuesPrefix)));
  }

  isInMemoryOnly(): Promise<boolean> {
    return this.op(async () => this.inMemory);
  }

  remainingAttempts(): Promise<number> {
    return this.op(async () => this.readAttempts());
  }

  private async readAttempts(): Promise<number> {
    if (this.inMemory || this.meta.wraps.passcode === undefined) return this.settings.maxAttempts;
    return parseAttempts(await this.platform.store.get(this.keys.attempts), this.attemptLimit(), this.meta.maxAttempts !== undefined);
  }

  /**
   * The failed-passcode limit: the one stored with the vault when its passcode was set (a client
   * created with a higher `maxAttempts` gets no more guesses), or the client's when lower.
   */
  private attemptLimit(): number {
    const stored = this.meta.maxAttempts;
    return stored === undefined ? this.settings.maxAttempts : Math.min(stored, this.settings.maxAttempts);
  }

  /** The vault as key-rotation.ts sees it. */
  private get context(): VaultContext {
    return { platform: this.platform, descriptor: this.descriptor, keys: this.keys };
  }

  inspect(): MemoryInspection {
    return { locked: this.locked, holdsDataKey: this.dataKey !== undefined, cachedValues: this.cache.size, inMemoryValues: this.memoryValues.size };
  }

  // ---- values -------------------------------------------------------------------------------

  getValue(key: string): Promise<unknown> {
    return this.op(async () => {
      this.requireUnlocked();
      const json = this.inMemory ? this.memoryValues.get(key) : await this.readValue(key);
      return json === undefined ? undefined : JSON.parse(json);
    });
  }

  private async readValue(key: string): Promise<string | undefined> {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const record = await this.platform.store.get(this.keys.value(key));
    if (record === undefined || this.dataKey === undefined) return undefined;
    let json: string;
    try {
      json = fromUtf8(await open(this.platform.crypto, this.dataKey, parseValue(record), this.valueBinding(key)));
      JSON.parse(json);
    } catch (error) {
      if (error instanceof VaultError) throw error;
      // Deliberately uninformative: tampered, moved from another key/vault, or written under another key.
      throw new VaultError(
        VaultErrorCodes.VaultUnavailable,
        'The stored value could not be opened: it is corrupted or does not belong to this key and vault. Nothing was changed.',
      );
    }
    if (this.platform.cacheValues) this.cache.set(key, json);
    return json;
  }

  private valueBinding(key: string): Uint8Array<ArrayBuffer> {
    return valueBinding(this.context, key);
  }

  storeValue(key: string, json: string): Promise<void> {
    return this.op(async () => {
      this.requireUnlocked();
      if (this.inMemory) {
        this.memoryValues.set(key, json);
        return;
      }
      if (this.passcodeSetupNeeded()) {
        throw new VaultError(VaultErrorCodes.MissingPasscode, 'Passcode is enabled but not set: call setPasscode() before storing values.');
      }
      const dataKey = await this.ensureDataKey();
      const sealed = await seal(this.platform.crypto, dataKey, utf8(json), this.valueBinding(key));
      const kid = this.meta.kid;
      const now = this.platform.clock.now();
      const ok = await this.platform.store.commit({
        // Not while another tab or process rotates the key: its re-encryption would miss this write.
        guard: { key: this.keys.meta, test: (meta) => (meta as { kid?: unknown } | undefined)?.kid === kid && !rekeyInProgress(meta, now) },
        put: [[this.keys.value(key), { v: 1, iv: sealed.iv, ct: sealed.ct }]],
      });
      if (!ok) await this.staleKey();
      if (this.platform.cacheValues) this.cache.set(key, json);
      this.platform.peers?.post({ type: 'changed', vault: this.keys.prefix, keys: [key] });
    });
  }

  /** Deletes the value under `key` (nothing happens when there is none). Needs an unlocked vault. */
  removeValue(key: string): Promise<void> {
    return this.op(async () => {
      this.requireUnlocked();
      this.cache.delete(key);
      if (this.inMemory) {
        this.memoryValues.delete(key);
        return;
      }
      await this.platform.store.commit({ delete: [this.keys.value(key)] });
      this.platform.peers?.post({ type: 'changed', vault: this.keys.prefix, keys: [key] });
    });
  }

  /** The keys that hold a value. Needs an unlocked vault (key names are data too). */
  getKeys(): Promise<string[]> {
    return this.op(async () => {
      this.requireUnlocked();
      if (this.inMemory) return [...this.memoryValues.keys()];
      return (await this.platform.store.keys(this.keys.valuesPrefix)).map((storeKey) => this.keys.keyOfValue(storeKey));
    });
  }

  /**
   * Replaces every value with `entries` (key → JSON text) in one atomic commit: an import either
   * lands whole or not at all. Needs an unlocked vault.
   */
  replaceValues(entries: ReadonlyMap<string, string>): Promise<void> {
    return this.op(async () => {
      this.requireUnlocked();
      if (this.inMemory) {
        this.memoryValues.clear();
        for (const [key, json] of entries) this.memoryValues.set(key, json);
        return;
      }
      if (this.passcodeSetupNeeded()) {
        throw new VaultError(VaultErrorCodes.MissingPasscode, 'Passcode is enabled but not set: call setPasscode() before storing values.');
      }
      const dataKey = await this.ensureDataKey();
      const put: Array<readonly [string, { v: 1; iv: string; ct: string }]> = [];
      for (const [key, json] of entries) {
        const sealed = await seal(this.platform.crypto, dataKey, utf8(json), this.valueBinding(key));
        put.push([this.keys.value(key), { v: 1, iv: sealed.iv, ct: sealed.ct }]);
      }
      const kid = this.meta.kid;
      const ok = await this.platform.store.commit({
        guard: { key: this.keys.meta, test: (meta) => (meta as { kid?: unknown } | undefined)?.kid === kid },
        deletePrefixes: [this.keys.valuesPrefix],
        put,
      });
      if (!ok) await this.staleKey();
      this.cache.clear();
      if (this.platform.cacheValues) for (const [key, json] of entries) this.cache.set(key, json);
      this.platform.peers?.post({ type: 'changed', vault: this.keys.prefix, keys: [...entries.keys()] });
    });
  }

  /** The data key changed under us (another tab or process cleared or re-keyed the vault). */
  private async staleKey(): Promise<never> {
    const meta = parseMeta(await this.platform.store.get(this.keys.meta)) ?? EMPTY_META;
    if (meta.kid === this.meta.kid && rekeyInProgress(meta, this.platform.clock.now())) {
      throw new VaultError(
        VaultErrorCodes.VaultLocked,
        'Another tab or process is changing how this vault is protected; nothing was written. Unlock it again when it is done.',
      );
    }
    this.adoptMeta(meta);
    throw new VaultError(VaultErrorCodes.VaultLocked, 'The vault was cleared or re-keyed by another tab or process; nothing was written. Unlock it again.');
  }

  private requireUnlocked(): void {
    if (this.locked) throw new VaultError(VaultErrorCodes.VaultLocked, 'The vault is locked: unlock it first.');
    // Defence in depth: a vault with a key id but no key in memory is locked, whatever the flag says.
    if (!this.inMemory && this.meta.kid !== null && this.dataKey === undefined) {
      this.locked = true;
      throw new VaultError(VaultErrorCodes.VaultLocked, 'The vault is locked: unlock it first.');
    }
  }

  // ---- the data key and its wraps -------------------------------------------------------------

  /** The data key, created (and wrapped under every enabled method) on first need. */
  private async ensureDataKey(extra: WrapInputs = {}): Promise<CryptoKey> {
    if (this.dataKey !== undefined) return this.dataKey;
    const dataKey = await generateDataKey(this.platform.crypto);
    const kid = toBase64(this.platform.crypto.randomBytes(16));
    await this.writeKeyState({ ...this.meta, kid }, dataKey, extra, { expectedKid: null });
    this.dataKey = dataKey;
    return dataKey;
  }

  /**
   * Writes `meta` with the wraps its switches call for. When that adds, removes or replaces a wrap
   * of the current data key, the data key is rotated instead (key-rotation.ts): a new one, every
   * value re-encrypted, one commit. The attempt counter is written when a passcode is set and
   * removed when it is turned off. A device key no wrap uses any more is deleted.
   */
  private async writeKeyState(
    meta: MetaRecord,
    dataKey: CryptoKey | undefined,
    extra: WrapInputs,
    { expectedKid = this.meta.kid }: { expectedKid?: string | null } = {},
  ): Promise<void> {
    const previous = this.meta;
    // Never write key state without the key: a meta with a key id and no wraps would lose every value.
    if (meta.kid !== null && dataKey === undefined) throw new VaultError(VaultErrorCodes.VaultLocked, 'The vault is locked: unlock it first.');
    const attempts = extra.passcode ? 'write' : meta.passcodeEnabled ? 'keep' : 'delete';
    const limits = { maxAttempts: this.settings.maxAttempts, attempts } as const;
    try {
      if (
        dataKey !== undefined &&
        previous.kid !== null &&
        meta.kid === previous.kid &&
        changesWraps(previous, meta, extra) &&
        canRotate(previous, meta, extra)
      ) {
        const rotated = await rotateDataKey(this.context, previous, meta, dataKey, extra, limits);
        this.meta = rotated.meta;
        this.dataKey = rotated.dataKey;
      } else {
        let next: MetaRecord = { ...meta, wraps: {} };
        if (dataKey !== undefined && meta.kid !== null) {
          const made = await makeWraps(this.context, meta, dataKey, extra, { meta: previous, dataKey }, this.settings.maxAttempts);
          next = withLimit({ ...meta, wraps: made.wraps }, made.maxAttempts);
        }
        const now = this.platform.clock.now();
        const ok = await this.platform.store.commit({
          guard: {
            key: this.keys.meta,
            test: (stored) => ((stored as { kid?: unknown } | undefined)?.kid ?? null) === expectedKid && !rekeyInProgress(stored, now),
          },
          put: [
            [this.keys.meta, toStored(next)],
            ...(attempts === 'write' ? [[this.keys.attempts, { v: 1, remaining: this.settings.maxAttempts }] as const] : []),
          ],
          ...(attempts === 'delete' ? { delete: [this.keys.attempts] } : {}),
        });
        if (!ok) await this.staleKey();
        this.meta = next;
      }
    } catch (error) {
      if (error instanceof StaleKeyState) return this.staleKey();
      if (error instanceof DeviceKeyMissing) throw new VaultError(VaultErrorCodes.SecurityNotAvailable, 'The platform could not create a device key.');
      throw error;
    }
    await this.afterWrapsChanged(previous);
  }

  /** Device-key housekeeping after the wraps changed (see {@link DeviceKeyPort.delete}). */
  private async afterWrapsChanged(previous: MetaRecord): Promise<void> {
    const current = this.meta;
    if (current.wraps.device && current.wraps.device !== previous.wraps.device && this.dataKey && !(await deviceWrapStillOpens(this.context, current))) {
      // Another tab or process deleted the device key between our get and our commit (its last
      // device wrap went away then): wrap again under a new device key.
      const deviceKey = await this.platform.deviceKey.get({ create: true });
      if (!deviceKey) throw new VaultError(VaultErrorCodes.SecurityNotAvailable, 'The platform could not create a device key.');
      const next: MetaRecord = {
        ...current,
        wraps: { device: await wrapDataKey(this.platform.crypto, this.dataKey, deviceKey, wrapBinding(this.context, 'device', current.kid!)) },
      };
      const ok = await this.platform.store.commit({
        guard: { key: this.keys.meta, test: (stored) => (stored as { kid?: unknown } | undefined)?.kid === current.kid },
        put: [[this.keys.meta, toStored(next)]],
      });
      if (!ok) await this.staleKey();
      this.meta = next;
      return;
    }
    if (previous.wraps.device && !current.wraps.device) await this.releaseDeviceKey();
  }

  private async releaseDeviceKey(): Promise<void> {
    // Best effort: a key that stays is what an older version left anyway; never fail the change for it.
    await releaseDeviceKeyIfUnused(this.context).catch(() => undefined);
  }

  // ---- configuration --------------------------------------------------------------------------

  /** Checks the state, asks outside the queue when no passcode is given, then re-checks and sets it. */
  async setPasscode(given: string | undefined, ask: () => Promise<string>): Promise<void> {
    const check = () => {
      this.requireUnlocked();
      if (this.inMemory || !this.meta.passcodeEnabled) {
        throw new VaultError(VaultErrorCodes.PasscodeNotEnabled, 'Passcode is not enabled on this vault: call setPasscodeEnabled(true) first.');
      }
    };
    if (given === undefined) await this.op(async () => check());
    const passcode = given ?? (await ask());
    return this.op(async () => {
      check();
      const kdf = newKdfParams(this.platform.crypto, this.platform.kdf);
      const key = await derivePasscodeKey(this.platform.crypto, passcode, kdf);
      if (this.dataKey === undefined) await this.ensureDataKey({ passcode: { key, kdf } });
      else await this.writeKeyState(this.meta, this.dataKey, { passcode: { key, kdf } });
      this.configChanged();
    });
  }

  setPasscodeEnabled(enabled: boolean): Promise<void> {
    return this.op(async () => {
      this.requireUnlocked();
      if (this.inMemory) {
        if (!enabled) return;
        await this.leaveMemory();
      }
      if (enabled === this.meta.passcodeEnabled) return;
      const meta: MetaRecord = { ...this.meta, passcodeEnabled: enabled };
      // Enabling keeps the current wraps until a passcode is set, so nothing becomes unreadable in between.
      await this.writeKeyState(meta, this.dataKey, {});
      this.configChanged();
    });
  }

  /** Enabling enrolls outside the queue (the web shows the authenticator's prompt), then wraps in it. */
  async setBiometricsEnabled(enabled: boolean): Promise<void> {
    const unchanged = () => (this.inMemory ? !enabled : enabled === this.meta.biometricsEnabled);
    if (!enabled) {
      return this.op(async () => {
        this.requireUnlocked();
        if (unchanged()) return;
        const credential = this.meta.credential;
        await this.writeKeyState({ ...this.meta, biometricsEnabled: false, credential: null }, this.dataKey, {});
        if (credential) await this.platform.biometrics.remove({ credential }).catch(() => undefined);
        this.configChanged();
      });
    }
    const needed = await this.op(async () => {
      this.requireUnlocked();
      return !unchanged();
    });
    if (!needed) return;
    const availability = await this.platform.biometrics.availability();
    if (!availability.available) throw new VaultError(VaultErrorCodes.SecurityNotAvailable, 'Biometrics are not available on this device.');
    const { credential, key } = await this.platform.biometrics.enroll({ ...this.descriptor });
    const forget = () => this.platform.biometrics.remove({ credential }).catch(() => undefined);
    return this.op(async () => {
      this.requireUnlocked();
      if (unchanged()) return void (await forget()); // enabled meanwhile by another call
      if (this.inMemory) await this.leaveMemory();
      const previous = this.meta;
      try {
        if (this.dataKey === undefined) {
          this.meta = { ...previous, credential, biometricsEnabled: true };
          await this.ensureDataKey({ biometricKey: key });
        } else await this.writeKeyState({ ...previous, biometricsEnabled: true, credential }, this.dataKey, { biometricKey: key });
      } catch (error) {
        this.meta = previous;
        await forget();
        throw error;
      }
      this.configChanged();
    }).catch(async (error: unknown) => {
      if (error instanceof VaultError && error.code === VaultErrorCodes.VaultLocked) await forget();
      throw error;
    });
  }

  /** Extension for `AuthMode.InMemoryOnly`: keep values only in memory (and delete what is stored), or persist them again. */
  setInMemoryOnly(enabled: boolean): Promise<void> {
    return this.op(async () => {
      this.requireUnlocked();
      if (enabled === this.inMemory) return;
      if (enabled) await this.enterMemory();
      else await this.leaveMemory();
      this.configChanged();
    });
  }

  private async enterMemory(): Promise<void> {
    const storeKeys = await this.platform.store.keys(this.keys.valuesPrefix);
    for (const storeKey of storeKeys) {
      const key = this.keys.keyOfValue(storeKey);
      const json = await this.readValue(key);
      if (json !== undefined) this.memoryValues.set(key, json);
    }
    const { credential, wraps } = this.meta;
    await this.platform.store.commit({ deletePrefixes: [this.keys.prefix] });
    if (credential) await this.platform.biometrics.remove({ credential }).catch(() => undefined);
    if (wraps.device) await this.releaseDeviceKey();
    this.meta = EMPTY_META;
    this.dataKey = undefined;
    this.cache.clear();
    this.inMemory = true;
  }

  /** Persist the in-memory values under a new data key wrapped with the device key, in one commit. */
  private async leaveMemory(): Promise<void> {
    this.inMemory = false;
    this.meta = EMPTY_META;
    if (this.memoryValues.size === 0) return;
    const dataKey = await this.ensureDataKey();
    const put: Array<readonly [string, { v: 1; iv: string; ct: string }]> = [];
    for (const [key, json] of this.memoryValues) {
      const sealed = await seal(this.platform.crypto, dataKey, utf8(json), this.valueBinding(key));
      put.push([this.keys.value(key), { v: 1, ...sealed }]);
      if (this.platform.cacheValues) this.cache.set(key, json);
    }
    await this.platform.store.commit({ put });
    this.memoryValues.clear();
  }

  // ---- lock, unlock, clear ------------------------------------------------------------------

  lock(): Promise<void> {
    return this.op(async () => this.lockNow(false));
  }

  private lockNow(timeout: boolean, { fromPeer = false } = {}): void {
    this.stopBackgroundTimer();
    if (this.inMemory) {
      this.memoryValues.clear();
      this.emit('lock', { saved: false, timeout });
      return;
    }
    if (this.meta.kid === null) {
      // Nothing stored: nothing to protect, the vault stays open (and empty).
      this.emit('lock', { saved: false, timeout });
      return;
    }
    if (this.locked) return;
    this.dataKey = undefined;
    this.cache.clear();
    this.locked = true;
    this.emit('lock', { saved: true, timeout });
    if (!fromPeer) this.platform.peers?.post({ type: 'lock', vault: this.keys.prefix, timeout });
  }

  /**
   * Unlock in three steps so that no prompt holds the queue (other calls, such as `isLocked()`
   * for a lock screen, answer while the user types): decide the method in the queue, ask the user
   * outside it, then check the answer in the queue. Concurrent unlocks share the first one.
   */
  async unlock(usingPasscode: boolean | undefined, passcode: string | undefined, ask: () => Promise<string>): Promise<void> {
    while (this.unlocking) await this.unlocking.catch(() => undefined);
    const attempt = this.unlockSteps(usingPasscode, passcode, ask);
    this.unlocking = attempt;
    try {
      await attempt;
    } finally {
      if (this.unlocking === attempt) this.unlocking = undefined;
    }
  }

  private async unlockSteps(usingPasscode: boolean | undefined, given: string | undefined, ask: () => Promise<string>): Promise<void> {
    // Step 1, queued: decide; when no one must be asked (passcode given, device key), finish here,
    // so calls issued after `unlock()` still run after it.
    const plan = await this.op(async () => {
      if (!this.locked) return undefined;
      const method = this.unlockMethod(usingPasscode);
      if (method === 'device') return this.finishUnlock(await this.unlockWithDeviceKey());
      if (method === 'passcode') {
        this.passcodeWrap(); // MissingPasscode / refused KDF before asking anyone
        if (given !== undefined) return this.finishUnlock(await this.unlockWithPasscode(given));
        return { method, credential: null };
      }
      return { method, credential: this.biometricUnlockState().credential };
    });
    if (!plan) return;
    // Step 2, not queued: the user's part.
    let passcode: string | undefined;
    let biometricKey: CryptoKey | undefined;
    if (plan.method === 'passcode') passcode = await ask();
    else biometricKey = await this.platform.biometrics.keyForUnwrap({ credential: plan.credential });
    // Step 3, queued: check the answer.
    await this.op(async () => {
      if (!this.locked) return; // unlocked meanwhile (another call, another way)
      this.finishUnlock(plan.method === 'passcode' ? await this.unlockWithPasscode(passcode!) : await this.unlockWithBiometricKey(biometricKey!));
    });
  }

  private finishUnlock(dataKey: CryptoKey): undefined {
    this.dataKey = dataKey;
    this.locked = false;
    if (this.platform.lifecycle.isInBackground()) this.startBackgroundTimer();
    this.emit('unlock');
    return undefined;
  }

  private unlockMethod(usingPasscode: boolean | undefined): UnlockMethod {
    const { passcodeEnabled, biometricsEnabled } = this.meta;
    if (usingPasscode === true) {
      if (!passcodeEnabled) throw new VaultError(VaultErrorCodes.PasscodeNotEnabled, 'Passcode is not enabled on this vault.');
      return 'passcode';
    }
    if (biometricsEnabled) return 'biometric';
    if (usingPasscode === false && passcodeEnabled) {
      throw new VaultError(VaultErrorCodes.BiometricsNotEnabled, 'Biometrics are not enabled on this vault: unlock with the passcode.');
    }
    return passcodeEnabled && this.meta.wraps.passcode ? 'passcode' : this.meta.wraps.device ? 'device' : passcodeEnabled ? 'passcode' : 'device';
  }

  /** The passcode wrap and its checked KDF parameters. @throws MissingPasscode, VaultUnavailable (refused parameters) */
  private passcodeWrap(): { wrap: NonNullable<Wraps['passcode']>; kdf: KdfParams } {
    const wrap = this.meta.wraps.passcode;
    if (!wrap) throw new VaultError(VaultErrorCodes.MissingPasscode, 'No passcode is set on this vault.');
    return { wrap, kdf: checkKdfParams(wrap.kdf, this.platform.kdf) };
  }

  private async unlockWithPasscode(passcode: string): Promise<CryptoKey> {
    const { wrap, kdf } = this.passcodeWrap();
    const limit = this.attemptLimit();
    const limitStored = this.meta.maxAttempts !== undefined;
    // Count the attempt durably *before* checking it: a crash or reload in between cannot reset it.
    let before = limit;
    const written = await this.platform.store.update(this.keys.attempts, (current) => {
      before = parseAttempts(current, limit, limitStored);
      return { v: 1, remaining: Math.max(0, before - 1) };
    });
    const remaining = (written as { remaining: number } | undefined)?.remaining ?? 0;
    if (before === 0) return this.wipeAfterTooMany();
    let dataKey: CryptoKey;
    let key: CryptoKey;
    try {
      key = await derivePasscodeKey(this.platform.crypto, passcode, kdf);
      dataKey = await openPasscodeWrap(this.context, wrap, kdf, key, this.meta.kid!, this.meta.maxAttempts);
    } catch (error) {
      if (!(error instanceof OpenFailed)) throw error;
      if (remaining === 0) return this.wipeAfterTooMany();
      throw new VaultError(VaultErrorCodes.AuthFailed, `Wrong passcode: ${remaining} attempt${remaining === 1 ? '' : 's'} left before the vault is cleared.`, {
        remainingAttempts: remaining,
      });
    }
    // The counter is rewritten, never deleted: a missing counter means someone deleted it.
    await this.platform.store.commit({ put: [[this.keys.attempts, { v: 1, remaining: limit }]] });
    if (wrap.slot === undefined) await this.upgradePasscodeWrap(key, kdf, dataKey);
    return dataKey;
  }

  /** A vault from before the passcode slot moves to one now that the passcode is known (same data key). */
  private async upgradePasscodeWrap(key: CryptoKey, kdf: KdfParams, dataKey: CryptoKey): Promise<void> {
    const next = await upgradePasscodeWrap(this.context, this.meta, key, kdf, this.attemptLimit(), dataKey);
    const kid = this.meta.kid;
    const ok = await this.platform.store.commit({
      guard: { key: this.keys.meta, test: (stored) => (stored as { kid?: unknown } | undefined)?.kid === kid },
      put: [[this.keys.meta, toStored(next)]],
    });
    if (ok) this.meta = next; // else another tab changed it meanwhile: it upgrades next time
  }

  private async wipeAfterTooMany(): Promise<never> {
    if (this.settings.clearAfterTooManyAttempts === false) {
      // The counter stays at 0, so every further passcode try lands here: keeping the data must
      // not turn into unlimited guessing. setPasscode() (after another unlock) resets it.
      throw new VaultError(
        VaultErrorCodes.TooManyFailedAttempts,
        'Too many failed passcode attempts: the passcode is refused until the vault is unlocked another way and a new passcode is set (the data was kept: shouldClearVaultAfterTooManyFailedAttempts is false).',
      );
    }
    await this.clearNow();
    throw new VaultError(VaultErrorCodes.TooManyFailedAttempts, 'Too many failed passcode attempts: the vault was cleared. Log in again.');
  }

  private biometricUnlockState(): { credential: NonNullable<MetaRecord['credential']>; wrap: NonNullable<Wraps['biometric']>; kid: string } {
    const { credential, wraps, kid } = this.meta;
    if (!this.meta.biometricsEnabled) throw new VaultError(VaultErrorCodes.BiometricsNotEnabled, 'Biometrics are not enabled on this vault.');
    if (!credential || !wraps.biometric || kid === null) throw new VaultError(VaultErrorCodes.KeyNotFound, 'This vault has no biometric key.');
    return { credential, wrap: wraps.biometric, kid };
  }

  private async unlockWithBiometricKey(key: CryptoKey): Promise<CryptoKey> {
    const { wrap, kid } = this.biometricUnlockState();
    try {
      return await unwrapDataKey(this.platform.crypto, wrap, key, wrapBinding(this.context, 'biometric', kid));
    } catch (error) {
      if (!(error instanceof OpenFailed)) throw error;
      throw new VaultError(
        VaultErrorCodes.InvalidatedCredential,
        'The biometric key no longer opens this vault (biometrics changed); unlock with the passcode or log in again.',
      );
    }
  }

  private async unlockWithDeviceKey(): Promise<CryptoKey> {
    const { wraps, kid } = this.meta;
    const deviceKey = await this.platform.deviceKey.get({ create: false });
    if (!wraps.device || !deviceKey || kid === null) throw new VaultError(VaultErrorCodes.KeyNotFound, 'The device key of this vault was not found.');
    try {
      return await unwrapDataKey(this.platform.crypto, wraps.device, deviceKey, wrapBinding(this.context, 'device', kid));
    } catch (error) {
      if (!(error instanceof OpenFailed)) throw error;
      throw new VaultError(VaultErrorCodes.KeyNotFound, 'The device key no longer opens this vault (it was replaced).');
    }
  }

  clear(): Promise<void> {
    return this.op(async () => this.clearNow(), { checkExpiry: false });
  }

  /** Deletes values, wraps and the counter in one commit; keeps the switches (so a passcode must be set again). */
  private async clearNow(): Promise<void> {
    const { passcodeEnabled, biometricsEnabled, credential, wraps } = this.meta;
    const after: MetaRecord = { ...EMPTY_META, passcodeEnabled, biometricsEnabled, credential };
    const keep = passcodeEnabled || biometricsEnabled;
    await this.platform.store.commit({ deletePrefixes: [this.keys.prefix], ...(keep && !this.inMemory ? { put: [[this.keys.meta, toStored(after)]] } : {}) });
    if (wraps.device) await this.releaseDeviceKey();
    this.meta = this.inMemory ? EMPTY_META : after;
    this.dataKey = undefined;
    this.cache.clear();
    this.memoryValues.clear();
    this.locked = false;
    this.stopBackgroundTimer();
    this.platform.peers?.post({ type: 'cleared', vault: this.keys.prefix });
    this.emit('config');
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  onLifecycle(event: LifecycleEvent): void {
    if (event === 'background') {
      if (!this.background.running) this.startBackgroundTimer();
      return;
    }
    const expired = this.background.expired();
    this.stopBackgroundTimer();
    if (expired) void this.queue.run(async () => this.lockNow(true));
  }

  /** Settings from a later `getVault` (the latest that states one wins); a new `lockAfter` reschedules a running timer. */
  configure(settings: Partial<EngineSettings>): void {
    Object.assign(this.settings, settings);
    if (settings.lockAfter !== undefined) this.background.setLockAfter(settings.lockAfter);
  }

  private startBackgroundTimer(): void {
    const holdsSomething = this.inMemory ? this.memoryValues.size > 0 : this.meta.kid !== null;
    if (this.locked || !holdsSomething) return;
    this.background.start();
  }

  private stopBackgroundTimer(): void {
    this.background.stop();
  }

  private lockIfExpired(): void {
    if (this.background.expired()) this.lockNow(true);
  }

  // ---- other tabs ---------------------------------------------------------------------------

  onPeer(message: PeerMessage): void {
    if (message.type === 'changed') {
      for (const key of message.keys) this.cache.delete(key);
      return;
    }
    void this.queue
      .run(async () => {
        if (!this.loaded) return;
        if (message.type === 'lock') return this.lockNow(message.timeout, { fromPeer: true });
        const meta = parseMeta(await this.platform.store.get(this.keys.meta)) ?? EMPTY_META;
        if (message.type === 'cleared') {
          const wasUnlocked = !this.locked;
          this.meta = meta;
          this.dataKey = undefined;
          this.cache.clear();
          // The message may come late: when the vault has a key again (the user logged in again
          // in another tab), this tab holds no key for it, so it is locked, never "unlocked" without one.
          this.locked = meta.kid !== null;
          if (wasUnlocked && this.locked) this.emit('lock', { saved: true, timeout: false });
        } else this.adoptMeta(meta);
        this.emit('config');
      })
      .catch(() => undefined);
  }
}

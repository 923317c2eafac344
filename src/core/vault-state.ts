/**
 * What one vault holds, and the writes that change it: its record (`meta`), its data key while
 * unlocked, the values it decrypted, the values it keeps only in memory. Every method runs inside
 * the engine's queue (vault-engine.ts), which decides when; this module decides what is written.
 * The rules it applies live beside it: key-state.ts (wraps and rotation), attempts.ts,
 * value-records.ts.
 *
 * Where each secret lives (the Bitwarden habit: say it in one place):
 * | secret                  | where                                    | dropped on                        |
 * | ----------------------- | ---------------------------------------- | --------------------------------- |
 * | data key                | `#dataKey` (memory), storage only wrapped | lock, clear, key change elsewhere |
 * | decrypted values        | `#cache` (memory, JSON text)             | lock, clear, peer write           |
 * | in-memory-only values   | `#memoryValues` (memory, never stored)   | lock, clear, restart              |
 * | passcode                | a local of the engine's `unlock`/`setPasscode` only | end of that call       |
 * | passcode / biometric key| locals only                              | end of that call                  |
 */
import { locked, missingPasscode } from './errors.js';
import { readRemainingAttempts } from './remaining-attempts.js';
import type { KdfParams } from './kdf.js';
import type { VaultContext, WrapInputs } from './key-wraps.js';
import { afterPrompt } from './lazy-load.js';
import type { BiometricCredential } from './ports.js';
import { EMPTY_META, parseMeta, rekeyInProgress, toStored, usesDeviceKey, type MetaRecord } from './records.js';
import type { PasscodeUnlock } from './unlock-method.js';
import { toBase64 } from './bytes.js';
import { sameJson } from './same-json.js';

/** A read-only view of what the engine holds in memory, for tests of the lock property. */
export interface MemoryInspection {
  readonly locked: boolean;
  readonly holdsDataKey: boolean;
  readonly cachedValues: number;
  readonly inMemoryValues: number;
}

const LOCKED = 'The vault is locked: unlock it first.';
const PASSCODE_NOT_SET = 'Passcode is enabled but not set: call setPasscode() before storing values.';
const storedKid = (stored: unknown): unknown => (stored as { kid?: unknown } | undefined)?.kid;
const ignore = (): undefined => undefined;

/** What the state asks of its engine. */
export interface VaultStateHooks {
  /** The client's current `maxAttempts`. */
  maxAttempts(): number;
  /** Another tab or process changed the key of an unlocked vault: it is locked now. */
  lockedByOther(): void;
}

export class VaultState {
  readonly #ctx: VaultContext;
  readonly #hooks: VaultStateHooks;
  #loaded = false;
  #meta: MetaRecord = EMPTY_META;
  #inMemory = false;
  #locked = false;
  #dataKey: CryptoKey | undefined;
  readonly #cache = new Map<string, string>();
  readonly #memoryValues = new Map<string, string>();

  constructor(ctx: VaultContext, hooks: VaultStateHooks) {
    this.#ctx = ctx;
    this.#hooks = hooks;
  }

  get meta(): MetaRecord {
    return this.#meta;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  get inMemory(): boolean {
    return this.#inMemory;
  }

  /** Whether the vault is locked (also when it has a key id but no key in memory). */
  get isLocked(): boolean {
    return this.#locked || (!this.#inMemory && this.#meta.kid !== null && this.#dataKey === undefined);
  }

  /** Whether there is anything a lock would protect (the background timer only runs then). */
  get holdsSomething(): boolean {
    return !this.#locked && (this.#inMemory ? this.#memoryValues.size > 0 : this.#meta.kid !== null);
  }

  get passcodeSetupNeeded(): boolean {
    return this.#meta.passcodeEnabled && this.#meta.wraps.passcode === undefined;
  }

  inspect(): MemoryInspection {
    return { locked: this.#locked, holdsDataKey: this.#dataKey !== undefined, cachedValues: this.#cache.size, inMemoryValues: this.#memoryValues.size };
  }

  // ---- the record -----------------------------------------------------------------------------

  readMeta(): Promise<MetaRecord | undefined> {
    return this.#ctx.platform.store.get(this.#ctx.keys.meta).then(parseMeta);
  }

  async load(): Promise<void> {
    this.#meta = (await this.readMeta()) ?? EMPTY_META;
    this.#locked = this.#meta.kid !== null;
    this.#loaded = true;
  }

  /** Another process may have written (Node): follow its meta; drop a data key that is no longer current. */
  async refresh(): Promise<void> {
    if (!this.#inMemory) this.adoptMeta((await this.readMeta()) ?? EMPTY_META);
  }

  adoptMeta(meta: MetaRecord): void {
    const keyChanged = meta.kid !== this.#meta.kid;
    this.#meta = meta;
    if (!keyChanged) return;
    const wasUnlocked = !this.#locked && this.#dataKey !== undefined;
    this.#forgetKey();
    this.#locked = meta.kid !== null;
    if (wasUnlocked && this.#locked) this.#hooks.lockedByOther();
  }

  /** Another tab cleared the vault. Returns whether an unlocked vault is locked now. */
  adoptCleared(meta: MetaRecord): boolean {
    const wasUnlocked = !this.#locked;
    this.#meta = meta;
    this.#forgetKey();
    // The message may come late: when the vault has a key again (the user logged in again in
    // another tab), this tab holds no key for it, so it is locked, never "unlocked" without one.
    this.#locked = meta.kid !== null;
    return wasUnlocked && this.#locked;
  }

  /** Another tab wrote these values: their decrypted copies are stale. */
  dropCached(keys: readonly string[]): void {
    for (const key of keys) this.#cache.delete(key);
  }

  #forgetKey(): void {
    this.#dataKey = undefined;
    this.#cache.clear();
  }

  requireUnlocked(): void {
    if (this.#locked) throw locked(LOCKED);
    // Defence in depth: a vault with a key id but no key in memory is locked, whatever the flag says.
    if (!this.#inMemory && this.#meta.kid !== null && this.#dataKey === undefined) {
      this.#locked = true;
      throw locked(LOCKED);
    }
  }

  // ---- values -----------------------------------------------------------------------------------

  inUse(): Promise<boolean> {
    return this.#inMemory ? Promise.resolve(this.#memoryValues.size > 0) : this.#ctx.platform.store.hasPrefix(this.#ctx.keys.valuesPrefix);
  }

  async getValue(key: string): Promise<string | undefined> {
    return this.#inMemory ? this.#memoryValues.get(key) : this.#readValue(key);
  }

  async #readValue(key: string): Promise<string | undefined> {
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const record = await this.#ctx.platform.store.get(this.#ctx.keys.value(key));
    if (record === undefined || this.#dataKey === undefined) return undefined;
    const json = await (await afterPrompt()).openValue(this.#ctx, this.#dataKey, key, record);
    if (this.#ctx.platform.cacheValues) this.#cache.set(key, json);
    return json;
  }

  /**
   * Stores one value; `true` when it was written to storage (other tabs are told then). `ifCurrent`
   * (no `refresh()` before): only with a data key held, guarded on the stored meta being the one
   * held, so it lands only where a refresh would have changed nothing; else `'stale'`, nothing
   * written (refresh, then store again).
   */
  async storeValue(key: string, json: string, { ifCurrent = false } = {}): Promise<boolean | 'stale'> {
    if (ifCurrent && (this.#inMemory || this.isLocked || this.#meta.kid === null || this.passcodeSetupNeeded)) return 'stale';
    if (this.#inMemory) {
      this.#memoryValues.set(key, json);
      return false;
    }
    if (this.passcodeSetupNeeded) throw missingPasscode(PASSCODE_NOT_SET);
    const { platform, keys } = this.#ctx;
    // No await on what is already there (the loaded code, the data key): the seal starts in this turn.
    const rules = afterPrompt.loaded() ?? (await afterPrompt());
    const record = await rules.sealValue(this.#ctx, this.#dataKey ?? (await this.#ensureDataKey()), key, json);
    const held = this.#meta;
    const kid = held.kid;
    const now = platform.clock.now();
    const ok = await platform.store.commit({
      // Not while another tab or process rotates the key: its re-encryption would miss this write.
      guard: { key: keys.meta, test: (meta) => (ifCurrent ? sameJson(meta, held) : storedKid(meta) === kid) && !rekeyInProgress(meta, now) },
      put: [[keys.value(key), record]],
    });
    if (!ok && ifCurrent) return 'stale';
    if (!ok) await this.#staleKey();
    if (platform.cacheValues) this.#cache.set(key, json);
    return true;
  }

  /** Removes one value; `true` when it was removed from storage. */
  async removeValue(key: string): Promise<boolean> {
    this.#cache.delete(key);
    if (this.#inMemory) {
      this.#memoryValues.delete(key);
      return false;
    }
    const { platform, keys } = this.#ctx;
    const now = platform.clock.now();
    // Not while another tab or process rotates the key: its commit would put the value back.
    const ok = await platform.store.commit({ guard: { key: keys.meta, test: (meta) => !rekeyInProgress(meta, now) }, delete: [keys.value(key)] });
    if (!ok) await this.#staleKey();
    return true;
  }

  async keys(): Promise<string[]> {
    if (this.#inMemory) return [...this.#memoryValues.keys()];
    const { store } = this.#ctx.platform;
    return (await store.keys(this.#ctx.keys.valuesPrefix)).map((storeKey) => this.#ctx.keys.keyOfValue(storeKey));
  }

  /** Replaces every value in one commit; `true` when written to storage. */
  async replaceValues(entries: ReadonlyMap<string, string>): Promise<boolean> {
    if (this.#inMemory) {
      this.#memoryValues.clear();
      for (const [key, json] of entries) this.#memoryValues.set(key, json);
      return false;
    }
    if (this.passcodeSetupNeeded) throw missingPasscode(PASSCODE_NOT_SET);
    const { platform, keys } = this.#ctx;
    const put = await (await afterPrompt()).sealValues(this.#ctx, await this.#ensureDataKey(), entries);
    const kid = this.#meta.kid;
    const now = platform.clock.now();
    // As storeValue: a rotation in progress would overwrite these with the values it read.
    const ok = await platform.store.commit({
      guard: { key: keys.meta, test: (meta) => storedKid(meta) === kid && !rekeyInProgress(meta, now) },
      deletePrefixes: [keys.valuesPrefix],
      put,
    });
    if (!ok) await this.#staleKey();
    this.#cache.clear();
    if (platform.cacheValues) for (const [key, json] of entries) this.#cache.set(key, json);
    return true;
  }

  /** The data key changed under us (another tab or process cleared or re-keyed the vault). */
  async #staleKey(): Promise<never> {
    const meta = (await this.readMeta()) ?? EMPTY_META;
    if (meta.kid === this.#meta.kid && rekeyInProgress(meta, this.#ctx.platform.clock.now())) {
      throw locked('Another tab or process is changing how this vault is protected; nothing was written. Unlock it again when it is done.');
    }
    this.adoptMeta(meta);
    throw locked('The vault was cleared or re-keyed by another tab or process; nothing was written. Unlock it again.');
  }

  // ---- lock and unlock --------------------------------------------------------------------------

  /**
   * Drops what a lock drops. Returns the lock event's `saved`, or `undefined` when the vault was
   * locked already (no event then): in-memory values are dropped (`false`), an empty vault stays
   * open (`false`), a stored vault forgets its key (`true`).
   */
  lock(): boolean | undefined {
    if (this.#inMemory) {
      this.#memoryValues.clear();
      return false;
    }
    if (this.#meta.kid === null) return false; // Nothing stored: nothing to protect, the vault stays open (and empty).
    if (this.#locked) return undefined;
    this.#forgetKey();
    this.#locked = true;
    return true;
  }

  unlocked(dataKey: CryptoKey): void {
    this.#dataKey = dataKey;
    this.#locked = false;
  }

  /** Opens the vault with `passcode` (passcode-unlock.ts): the data key, or `'exhausted'` (the engine clears or refuses). @throws AuthFailed */
  async openWithPasscode(unlock: PasscodeUnlock, passcode: string): Promise<CryptoKey | 'exhausted'> {
    const opened = await (await afterPrompt()).openWithPasscode(this.#ctx, this.#meta, this.#hooks.maxAttempts(), unlock, passcode);
    if (opened === 'exhausted') return opened;
    this.#meta = opened.meta;
    return opened.dataKey;
  }

  remainingAttempts(): Promise<number> {
    if (this.#inMemory) return Promise.resolve(this.#hooks.maxAttempts());
    return readRemainingAttempts(this.#ctx.platform.store, this.#ctx.keys.attempts, this.#meta, this.#hooks.maxAttempts());
  }

  /** Deletes values, wraps and the counter in one commit; keeps the switches (so a passcode must be set again). */
  async clear(): Promise<void> {
    const { passcodeEnabled, biometricsEnabled, credential, wraps } = this.#meta;
    const after: MetaRecord = { ...EMPTY_META, passcodeEnabled, biometricsEnabled, credential };
    const keep = passcodeEnabled || biometricsEnabled;
    const { store } = this.#ctx.platform;
    await store.commit({ deletePrefixes: [this.#ctx.keys.prefix], ...(keep && !this.#inMemory ? { put: [[this.#ctx.keys.meta, toStored(after)]] } : {}) });
    if (usesDeviceKey(wraps)) await (await afterPrompt()).releaseDeviceKey(this.#ctx);
    this.#meta = this.#inMemory ? EMPTY_META : after;
    this.#forgetKey();
    this.#memoryValues.clear();
    this.#locked = false;
  }

  // ---- protection -------------------------------------------------------------------------------

  /** Sets a new passcode (its key derived by the caller), creating the data key when there is none. */
  async setPasscode(key: CryptoKey, kdf: KdfParams): Promise<void> {
    if (this.#dataKey === undefined) await this.#ensureDataKey({ passcode: { key, kdf } });
    else await this.#writeKeyState(this.#meta, this.#dataKey, { passcode: { key, kdf } });
  }

  /** Switches the passcode on or off; `true` when the switch changed. */
  async setPasscodeEnabled(enabled: boolean): Promise<boolean> {
    if (this.#inMemory) {
      if (!enabled) return false;
      await this.#leaveMemory();
    }
    if (enabled === this.#meta.passcodeEnabled) return false;
    // Enabling keeps the current wraps until a passcode is set, so nothing becomes unreadable in between.
    await this.#writeKeyState({ ...this.#meta, passcodeEnabled: enabled }, this.#dataKey, {});
    return true;
  }

  /** Turns biometrics off and forgets the platform's credential. */
  async disableBiometrics(): Promise<void> {
    const credential = this.#meta.credential;
    await this.#writeKeyState({ ...this.#meta, biometricsEnabled: false, credential: null }, this.#dataKey, {});
    if (credential) await this.#ctx.platform.biometrics.remove({ credential }).catch(ignore);
  }

  /**
   * Turns biometrics on with a credential just enrolled and its key. When wrapping fails, the
   * record is left as it was and `forget` drops the credential.
   */
  async enableBiometrics(credential: BiometricCredential, key: CryptoKey, forget: () => Promise<unknown>): Promise<void> {
    if (this.#inMemory) await this.#leaveMemory();
    const previous = this.#meta;
    try {
      if (this.#dataKey === undefined) {
        this.#meta = { ...previous, credential, biometricsEnabled: true };
        await this.#ensureDataKey({ biometricKey: key });
      } else await this.#writeKeyState({ ...previous, biometricsEnabled: true, credential }, this.#dataKey, { biometricKey: key });
    } catch (error) {
      this.#meta = previous;
      await forget();
      throw error;
    }
  }

  async setInMemoryOnly(enabled: boolean): Promise<void> {
    if (enabled) await this.#enterMemory();
    else await this.#leaveMemory();
  }

  async #enterMemory(): Promise<void> {
    const { store, biometrics } = this.#ctx.platform;
    const storeKeys = await store.keys(this.#ctx.keys.valuesPrefix);
    for (const storeKey of storeKeys) {
      const key = this.#ctx.keys.keyOfValue(storeKey);
      const json = await this.#readValue(key);
      if (json !== undefined) this.#memoryValues.set(key, json);
    }
    const { credential, wraps } = this.#meta;
    await store.commit({ deletePrefixes: [this.#ctx.keys.prefix] });
    if (credential) await biometrics.remove({ credential }).catch(ignore);
    if (usesDeviceKey(wraps)) await (await afterPrompt()).releaseDeviceKey(this.#ctx);
    this.#meta = EMPTY_META;
    this.#forgetKey();
    this.#inMemory = true;
  }

  /** Persist the in-memory values under a new data key wrapped with the device key, in one commit. */
  async #leaveMemory(): Promise<void> {
    this.#inMemory = false;
    this.#meta = EMPTY_META;
    if (this.#memoryValues.size === 0) return;
    const put = await (await afterPrompt()).sealValues(this.#ctx, await this.#ensureDataKey(), this.#memoryValues);
    if (this.#ctx.platform.cacheValues) for (const [key, json] of this.#memoryValues) this.#cache.set(key, json);
    await this.#ctx.platform.store.commit({ put });
    this.#memoryValues.clear();
  }

  // ---- the data key and its wraps -------------------------------------------------------------

  /** The data key, created (and wrapped under every enabled method) on first need. */
  async #ensureDataKey(extra: WrapInputs = {}): Promise<CryptoKey> {
    if (this.#dataKey !== undefined) return this.#dataKey;
    const { crypto } = this.#ctx.platform;
    const dataKey = await (await afterPrompt()).generateDataKey(crypto);
    const kid = toBase64(crypto.randomBytes(16));
    await this.#writeKeyState({ ...this.#meta, kid }, dataKey, extra, { expectedKid: null });
    this.#dataKey = dataKey;
    return dataKey;
  }

  /** Writes `meta` with the wraps its switches call for (key-state.ts), then settles the device key. */
  async #writeKeyState(meta: MetaRecord, dataKey: CryptoKey | undefined, extra: WrapInputs, { expectedKid = this.#meta.kid } = {}): Promise<void> {
    // Never write key state without the key: a meta with a key id and no wraps would lose every value.
    if (meta.kid !== null && dataKey === undefined) throw locked(LOCKED);
    const previous = this.#meta;
    const rules = await afterPrompt();
    try {
      const written = await rules.writeKeyState(this.#ctx, previous, meta, dataKey, extra, { maxAttempts: this.#hooks.maxAttempts(), expectedKid });
      this.#meta = written.meta;
      if (written.rotatedKey) this.#dataKey = written.rotatedKey;
      const rewrapped = await rules.settleDeviceKey(this.#ctx, previous, this.#meta, this.#dataKey);
      if (rewrapped) this.#meta = rewrapped;
    } catch (error) {
      if (error instanceof rules.StaleKeyState) return this.#staleKey();
      throw error;
    }
  }
}

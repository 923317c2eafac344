/**
 * What one vault holds, and the reads a vault makes before its first prompt: its record (`meta`),
 * its data key while unlocked, the values it decrypted, the values it keeps only in memory. Every
 * method runs inside the engine's queue (vault-engine.ts), which decides when. The writes that
 * change the record or many values (clearing, protection, in-memory mode, the data key's creation)
 * are in vault-writes.ts, loaded with the after-prompt code (`writes()`): showing a vault's first
 * prompt needs none of them (BENCHMARKS.md, size). The rules they apply live beside them:
 * key-state.ts (wraps and rotation), attempts.ts, value-records.ts.
 *
 * Where each secret lives (the Bitwarden habit: say it in one place):
 * | secret                  | where                                    | dropped on                        |
 * | ----------------------- | ---------------------------------------- | --------------------------------- |
 * | data key                | `dataKey` of `#held` (memory), storage only wrapped | lock, clear, key change elsewhere |
 * | decrypted values        | `cache` of `#held` (memory, JSON text; value-cache.ts) | lock, clear, peer write |
 * | in-memory-only values   | `memoryValues` of `#held` (memory, never stored) | lock, clear, restart      |
 * | passcode                | a local of the engine's `unlock`/`setPasscode` only | end of that call       |
 * | passcode / biometric key| locals only                              | end of that call                  |
 */
import { locked, missingPasscode } from './errors.js';
import { readRemainingAttempts } from './remaining-attempts.js';
import type { VaultContext } from './key-wraps.js';
import { afterPrompt } from './lazy-load.js';
import { EMPTY_META, parseMeta, rekeyInProgress, type MetaRecord } from './records.js';
import type { PasscodeUnlock } from './unlock-method.js';
import type { VaultWrites } from './vault-writes.js';
import { ValueCache } from './value-cache.js';

/** A read-only view of what the engine holds in memory, for tests of the lock property. */
export interface MemoryInspection {
  readonly locked: boolean;
  readonly holdsDataKey: boolean;
  readonly cachedValues: number;
  readonly inMemoryValues: number;
}

/** What the state asks of its engine. */
export interface VaultStateHooks {
  /** The client's current `maxAttempts`. */
  maxAttempts(): number;
  /** Another tab or process changed the key of an unlocked vault: it is locked now. */
  lockedByOther(): void;
}

/**
 * What one vault holds (the table above), as plain data. A {@link VaultState} keeps it in a `#`
 * field and hands it only to the writes it loads (vault-writes.ts), so it is reachable from
 * nowhere else: not from the app, not through an object's own properties.
 */
export interface Holdings {
  readonly ctx: VaultContext;
  readonly hooks: VaultStateHooks;
  loaded: boolean;
  meta: MetaRecord;
  inMemory: boolean;
  locked: boolean;
  dataKey: CryptoKey | undefined;
  readonly cache: ValueCache;
  /** Counts drops from `cache`: a read that saw one while in flight may hold a stale value, so it does not cache it. */
  drops: number;
  readonly memoryValues: Map<string, string>;
}

export const LOCKED = 'The vault is locked: unlock it first.';
export const PASSCODE_NOT_SET = 'Passcode is enabled but not set: call setPasscode() before storing values.';
export const storedKid = (stored: unknown): unknown => (stored as { kid?: unknown } | undefined)?.kid;

/** The stored meta record of the vault, parsed (`undefined`: none). */
export function readMeta({ ctx }: Holdings): Promise<MetaRecord | undefined> {
  return ctx.platform.store.get(ctx.keys.meta).then(parseMeta);
}

/** Drops the data key and the decrypted values. */
export function forgetKey(held: Holdings): void {
  held.dataKey = undefined;
  held.drops++;
  held.cache.clear();
}

/** Follows `meta` (another tab's or process's write); a vault whose key changed forgets its key. */
export function adoptMeta(held: Holdings, meta: MetaRecord): void {
  const keyChanged = meta.kid !== held.meta.kid;
  held.meta = meta;
  if (!keyChanged) return;
  const wasUnlocked = !held.locked && held.dataKey !== undefined;
  forgetKey(held);
  held.locked = meta.kid !== null;
  if (wasUnlocked && held.locked) held.hooks.lockedByOther();
}

export class VaultState {
  readonly #held: Holdings;
  #writes: VaultWrites | undefined;

  constructor(ctx: VaultContext, hooks: VaultStateHooks) {
    this.#held = {
      ctx,
      hooks,
      loaded: false,
      meta: EMPTY_META,
      inMemory: false,
      locked: false,
      dataKey: undefined,
      cache: new ValueCache(),
      drops: 0,
      memoryValues: new Map(),
    };
  }

  get meta(): MetaRecord {
    return this.#held.meta;
  }

  get loaded(): boolean {
    return this.#held.loaded;
  }

  get inMemory(): boolean {
    return this.#held.inMemory;
  }

  /** Whether the vault is locked (also when it has a key id but no key in memory). */
  get isLocked(): boolean {
    const held = this.#held;
    return held.locked || (!held.inMemory && held.meta.kid !== null && held.dataKey === undefined);
  }

  /** Whether there is anything a lock would protect (the background timer only runs then). */
  get holdsSomething(): boolean {
    const held = this.#held;
    return !held.locked && (held.inMemory ? held.memoryValues.size > 0 : held.meta.kid !== null);
  }

  get passcodeSetupNeeded(): boolean {
    return this.#held.meta.passcodeEnabled && this.#held.meta.wraps.passcode === undefined;
  }

  inspect(): MemoryInspection {
    const held = this.#held;
    return { locked: held.locked, holdsDataKey: held.dataKey !== undefined, cachedValues: held.cache.size, inMemoryValues: held.memoryValues.size };
  }

  /**
   * The writes (vault-writes.ts), loaded with the after-prompt code on first use. The engine awaits
   * this inside its queued operation, so a write issued before the code arrives still runs in order.
   */
  async writes(): Promise<VaultWrites> {
    this.#writes ??= new (await afterPrompt()).VaultWrites(this.#held, this);
    return this.#writes;
  }

  // ---- the record -----------------------------------------------------------------------------

  readMeta(): Promise<MetaRecord | undefined> {
    return readMeta(this.#held);
  }

  async load(): Promise<void> {
    const held = this.#held;
    held.meta = (await readMeta(held)) ?? EMPTY_META;
    held.locked = held.meta.kid !== null;
    held.loaded = true;
  }

  /** Another process may have written (Node): follow its meta; drop a data key that is no longer current. */
  async refresh(): Promise<void> {
    if (!this.#held.inMemory) adoptMeta(this.#held, (await readMeta(this.#held)) ?? EMPTY_META);
  }

  adoptMeta(meta: MetaRecord): void {
    adoptMeta(this.#held, meta);
  }

  /** Another tab cleared the vault. Returns whether an unlocked vault is locked now. */
  adoptCleared(meta: MetaRecord): boolean {
    const held = this.#held;
    const wasUnlocked = !held.locked;
    held.meta = meta;
    forgetKey(held);
    // The message may come late: when the vault has a key again (the user logged in again in
    // another tab), this tab holds no key for it, so it is locked, never "unlocked" without one.
    held.locked = meta.kid !== null;
    return wasUnlocked && held.locked;
  }

  /** Another tab wrote these values: their decrypted copies are stale. */
  dropCached(keys: readonly string[]): void {
    this.#held.drops++;
    for (const key of keys) this.#held.cache.delete(key);
  }

  requireUnlocked(): void {
    const held = this.#held;
    if (held.locked) throw locked(LOCKED);
    // Defence in depth: a vault with a key id but no key in memory is locked, whatever the flag says.
    if (!held.inMemory && held.meta.kid !== null && held.dataKey === undefined) {
      held.locked = true;
      throw locked(LOCKED);
    }
  }

  // ---- values -----------------------------------------------------------------------------------

  inUse(): Promise<boolean> {
    const { ctx, inMemory, memoryValues } = this.#held;
    return inMemory ? Promise.resolve(memoryValues.size > 0) : ctx.platform.store.hasPrefix(ctx.keys.valuesPrefix);
  }

  async getValue(key: string): Promise<string | undefined> {
    return this.#held.inMemory ? this.#held.memoryValues.get(key) : this.#readValue(key);
  }

  async #readValue(key: string): Promise<string | undefined> {
    const held = this.#held;
    const cached = held.cache.get(key);
    if (cached !== undefined) return cached;
    const drops = held.drops;
    const record = await held.ctx.platform.store.get(held.ctx.keys.value(key));
    if (record === undefined || held.dataKey === undefined) return undefined;
    const rules = await afterPrompt();
    const json = await rules.openValue(held.ctx, held.dataKey, key, record);
    // Another tab wrote while this read was in flight (its `changed` came meanwhile): return what
    // was read, but do not keep it, or the write would stay hidden behind the cache.
    if (held.ctx.platform.cacheValues && drops === held.drops) held.cache.set(key, json, rules.recordFingerprint(record));
    return json;
  }

  /**
   * Stores one value; `true` when it was written to storage (other tabs are told then). `ifCurrent`
   * (no `refresh()` before): only with a data key held, guarded on the stored meta being the one
   * held, so it lands only where a refresh would have changed nothing; else `'stale'`, nothing
   * written (refresh, then store again).
   */
  async storeValue(key: string, json: string, { ifCurrent = false } = {}): Promise<boolean | 'stale'> {
    const held = this.#held;
    if (ifCurrent && (held.inMemory || this.isLocked || held.meta.kid === null || this.passcodeSetupNeeded)) return 'stale';
    if (held.inMemory) {
      held.memoryValues.set(key, json);
      return false;
    }
    if (this.passcodeSetupNeeded) throw missingPasscode(PASSCODE_NOT_SET);
    const { platform, keys } = held.ctx;
    // No await on what is already there (the loaded code, the data key): the seal starts in this turn.
    const rules = afterPrompt.loaded() ?? (await afterPrompt());
    const record = await rules.sealValue(held.ctx, held.dataKey ?? (await (await this.writes()).ensureDataKey()), key, json);
    const meta = held.meta;
    const kid = meta.kid;
    const now = platform.clock.now();
    const ok = await platform.store.commit({
      // Not while another tab or process rotates the key: its re-encryption would miss this write.
      guard: { key: keys.meta, test: (stored) => (ifCurrent ? rules.sameJson(stored, meta) : storedKid(stored) === kid) && !rekeyInProgress(stored, now) },
      put: [[keys.value(key), record]],
    });
    if (!ok && ifCurrent) return 'stale';
    if (!ok) await (await this.writes()).staleKey();
    if (platform.cacheValues) held.cache.set(key, json, rules.recordFingerprint(record));
    return true;
  }

  // ---- lock and unlock --------------------------------------------------------------------------

  /**
   * Drops what a lock drops. Returns the lock event's `saved`, or `undefined` when the vault was
   * locked already (no event then): in-memory values are dropped (`false`), an empty vault stays
   * open (`false`), a stored vault forgets its key (`true`).
   */
  lock(): boolean | undefined {
    const held = this.#held;
    if (held.inMemory) {
      held.memoryValues.clear();
      return false;
    }
    if (held.meta.kid === null) return false; // Nothing stored: nothing to protect, the vault stays open (and empty).
    if (held.locked) return undefined;
    forgetKey(held);
    held.locked = true;
    return true;
  }

  unlocked(dataKey: CryptoKey): void {
    this.#held.dataKey = dataKey;
    this.#held.locked = false;
  }

  /** Opens the vault with `passcode` (passcode-unlock.ts): the data key, or `'exhausted'` (the engine clears or refuses). @throws AuthFailed */
  async openWithPasscode(unlock: PasscodeUnlock, passcode: string): Promise<CryptoKey | 'exhausted'> {
    const held = this.#held;
    const opened = await (await afterPrompt()).openWithPasscode(held.ctx, held.meta, held.hooks.maxAttempts(), unlock, passcode);
    if (opened === 'exhausted') return opened;
    held.meta = opened.meta;
    return opened.dataKey;
  }

  remainingAttempts(): Promise<number> {
    const held = this.#held;
    if (held.inMemory) return Promise.resolve(held.hooks.maxAttempts());
    return readRemainingAttempts(held.ctx.platform.store, held.ctx.keys.attempts, held.meta, held.hooks.maxAttempts());
  }
}

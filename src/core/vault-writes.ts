/**
 * The writes that change what a vault holds beyond one value: clearing it, removing and replacing
 * values, its protection (passcode, biometrics, in-memory mode) and its data key's creation. Loaded
 * with the after-prompt code (after-prompt.ts, `VaultState.writes()`): showing a vault's first
 * prompt needs none of it, so with a bundler that splits chunks it stays out of what an app loads
 * first (BENCHMARKS.md, size). Every method runs inside the engine's queue, as vault-state.ts's do.
 */
import { locked, missingPasscode, passcodeNotEnabled, securityNotAvailable } from './errors.js';
import { generateDataKey } from './envelope.js';
import { derivePasscodeKey, newKdfParams } from './kdf.js';
import { StaleKeyState } from './key-rotation.js';
import { releaseDeviceKey, settleDeviceKey, writeKeyState } from './key-state.js';
import type { WrapInputs } from './key-wraps.js';
import type { BiometricCredential, StoredRecord } from './ports.js';
import { EMPTY_META, rekeyInProgress, toStored, usesDeviceKey, type MetaRecord } from './records.js';
import { toBase64 } from './bytes.js';
import { recordFingerprint, sealValues } from './value-records.js';
import { adoptMeta, forgetKey, LOCKED, PASSCODE_NOT_SET, readMeta, storedKid, type Holdings, type VaultState } from './vault-state.js';

const ignore = (): undefined => undefined;

export class VaultWrites {
  readonly #held: Holdings;
  readonly #state: VaultState;

  /** `held`: what `state` holds (only VaultState makes one, in `writes()`). */
  constructor(held: Holdings, state: VaultState) {
    this.#held = held;
    this.#state = state;
  }

  // ---- values -----------------------------------------------------------------------------------

  /** Removes one value; `true` when it was removed from storage. */
  async removeValue(key: string): Promise<boolean> {
    const held = this.#held;
    held.cache.delete(key);
    if (held.inMemory) {
      held.memoryValues.delete(key);
      return false;
    }
    const { platform, keys } = held.ctx;
    const now = platform.clock.now();
    // Not while another tab or process rotates the key: its commit would put the value back.
    const ok = await platform.store.commit({ guard: { key: keys.meta, test: (meta) => !rekeyInProgress(meta, now) }, delete: [keys.value(key)] });
    if (!ok) await this.staleKey();
    return true;
  }

  async keys(): Promise<string[]> {
    const { ctx, inMemory, memoryValues } = this.#held;
    if (inMemory) return [...memoryValues.keys()];
    return (await ctx.platform.store.keys(ctx.keys.valuesPrefix)).map((storeKey) => ctx.keys.keyOfValue(storeKey));
  }

  /** Replaces every value in one commit; `true` when written to storage. */
  async replaceValues(entries: ReadonlyMap<string, string>): Promise<boolean> {
    const held = this.#held;
    if (held.inMemory) {
      held.memoryValues.clear();
      for (const [key, json] of entries) held.memoryValues.set(key, json);
      return false;
    }
    if (this.#state.passcodeSetupNeeded) throw missingPasscode(PASSCODE_NOT_SET);
    const { platform, keys } = held.ctx;
    const put = await sealValues(held.ctx, await this.ensureDataKey(), entries);
    const kid = held.meta.kid;
    const now = platform.clock.now();
    // As storeValue: a rotation in progress would overwrite these with the values it read.
    const ok = await platform.store.commit({
      guard: { key: keys.meta, test: (meta) => storedKid(meta) === kid && !rekeyInProgress(meta, now) },
      deletePrefixes: [keys.valuesPrefix],
      put,
    });
    if (!ok) await this.staleKey();
    held.cache.clear();
    this.#cacheSealed(entries, put);
    return true;
  }

  /** Caches `entries` (key → JSON text) with the fingerprints of their records in `put` (value-cache.ts). */
  #cacheSealed(entries: ReadonlyMap<string, string>, put: ReadonlyArray<readonly [string, StoredRecord]>): void {
    const { ctx, cache } = this.#held;
    if (!ctx.platform.cacheValues) return;
    const records = new Map(put);
    for (const [key, json] of entries) cache.set(key, json, recordFingerprint(records.get(ctx.keys.value(key))!));
  }

  /** The data key changed under us (another tab or process cleared or re-keyed the vault). */
  async staleKey(): Promise<never> {
    const held = this.#held;
    const meta = (await readMeta(held)) ?? EMPTY_META;
    if (meta.kid === held.meta.kid && rekeyInProgress(meta, held.ctx.platform.clock.now())) {
      throw locked('Another tab or process is changing how this vault is protected; nothing was written. Unlock it again when it is done.');
    }
    adoptMeta(held, meta);
    throw locked('The vault was cleared or re-keyed by another tab or process; nothing was written. Unlock it again.');
  }

  /** Deletes values, wraps and the counter in one commit; keeps the switches (so a passcode must be set again). */
  async clear(): Promise<void> {
    const held = this.#held;
    const { passcodeEnabled, biometricsEnabled, credential, wraps } = held.meta;
    const after: MetaRecord = { ...EMPTY_META, passcodeEnabled, biometricsEnabled, credential };
    const keep = passcodeEnabled || biometricsEnabled;
    const { store } = held.ctx.platform;
    await store.commit({ deletePrefixes: [held.ctx.keys.prefix], ...(keep && !held.inMemory ? { put: [[held.ctx.keys.meta, toStored(after)]] } : {}) });
    if (usesDeviceKey(wraps)) await releaseDeviceKey(held.ctx);
    held.meta = held.inMemory ? EMPTY_META : after;
    forgetKey(held);
    held.memoryValues.clear();
    held.locked = false;
  }

  // ---- protection -------------------------------------------------------------------------------

  /** `setPasscode`'s check, before asking and again before setting: unlocked, passcode enabled. */
  checkPasscodeChange(): void {
    this.#state.requireUnlocked();
    if (this.#held.inMemory || !this.#held.meta.passcodeEnabled) {
      throw passcodeNotEnabled('Passcode is not enabled on this vault: call setPasscodeEnabled(true) first.');
    }
  }

  /** Checks, then sets `passcode` (its key derived under new KDF parameters), creating the data key when there is none. */
  async setNewPasscode(passcode: string): Promise<void> {
    this.checkPasscodeChange();
    const held = this.#held;
    const { crypto, kdf: settings } = held.ctx.platform;
    const kdf = newKdfParams(crypto, settings);
    const key = await derivePasscodeKey(crypto, passcode, kdf);
    if (held.dataKey === undefined) await this.ensureDataKey({ passcode: { key, kdf } });
    else await this.#writeKeyState(held.meta, held.dataKey, { passcode: { key, kdf } });
  }

  /** Switches the passcode on or off; `true` when the switch changed. */
  async setPasscodeEnabled(enabled: boolean): Promise<boolean> {
    const held = this.#held;
    if (held.inMemory) {
      if (!enabled) return false;
      await this.#leaveMemory();
    }
    if (enabled === held.meta.passcodeEnabled) return false;
    // Enabling keeps the current wraps until a passcode is set, so nothing becomes unreadable in between.
    await this.#writeKeyState({ ...held.meta, passcodeEnabled: enabled }, held.dataKey, {});
    return true;
  }

  /** Turns biometrics off and forgets the platform's credential; `false` when they were off. */
  async disableBiometrics(): Promise<boolean> {
    const held = this.#held;
    if (held.inMemory || !held.meta.biometricsEnabled) return false;
    const credential = held.meta.credential;
    await this.#writeKeyState({ ...held.meta, biometricsEnabled: false, credential: null }, held.dataKey, {});
    if (credential) await held.ctx.platform.biometrics.remove({ credential }).catch(ignore);
    return true;
  }

  /** Enrols a biometric credential for this vault (outside the queue: the authenticator's prompt). */
  async enrollBiometrics(): Promise<{ credential: BiometricCredential; key: CryptoKey }> {
    const { platform, descriptor } = this.#held.ctx;
    const availability = await platform.biometrics.availability();
    if (!availability.available) throw securityNotAvailable('Biometrics are not available on this device.');
    return platform.biometrics.enroll({ ...descriptor });
  }

  /**
   * Turns biometrics on with a credential just enrolled and its key; `false` (and `forget` drops the
   * credential) when another call enabled them meanwhile. When wrapping fails, the record is left
   * as it was and `forget` drops the credential.
   */
  async enableBiometrics(credential: BiometricCredential, key: CryptoKey, forget: () => Promise<unknown>): Promise<boolean> {
    const held = this.#held;
    if (!held.inMemory && held.meta.biometricsEnabled) {
      await forget(); // enabled meanwhile by another call
      return false;
    }
    if (held.inMemory) await this.#leaveMemory();
    const previous = held.meta;
    try {
      if (held.dataKey === undefined) {
        held.meta = { ...previous, credential, biometricsEnabled: true };
        await this.ensureDataKey({ biometricKey: key });
      } else await this.#writeKeyState({ ...previous, biometricsEnabled: true, credential }, held.dataKey, { biometricKey: key });
    } catch (error) {
      held.meta = previous;
      await forget();
      throw error;
    }
    return true;
  }

  /** Keeps values only in memory (deleting what is stored), or persists them again; `false` when already so. */
  async setInMemoryOnly(enabled: boolean): Promise<boolean> {
    if (enabled === this.#held.inMemory) return false;
    if (enabled) await this.#enterMemory();
    else await this.#leaveMemory();
    return true;
  }

  async #enterMemory(): Promise<void> {
    const held = this.#held;
    const { store, biometrics } = held.ctx.platform;
    const storeKeys = await store.keys(held.ctx.keys.valuesPrefix);
    for (const storeKey of storeKeys) {
      const key = held.ctx.keys.keyOfValue(storeKey);
      const json = await this.#state.getValue(key); // not in memory yet: read and opened from storage
      if (json !== undefined) held.memoryValues.set(key, json);
    }
    const { credential, wraps } = held.meta;
    await store.commit({ deletePrefixes: [held.ctx.keys.prefix] });
    if (credential) await biometrics.remove({ credential }).catch(ignore);
    if (usesDeviceKey(wraps)) await releaseDeviceKey(held.ctx);
    held.meta = EMPTY_META;
    forgetKey(held);
    held.inMemory = true;
  }

  /** Persist the in-memory values under a new data key wrapped with the device key, in one commit. */
  async #leaveMemory(): Promise<void> {
    const held = this.#held;
    held.inMemory = false;
    held.meta = EMPTY_META;
    if (held.memoryValues.size === 0) return;
    const put = await sealValues(held.ctx, await this.ensureDataKey(), held.memoryValues);
    this.#cacheSealed(held.memoryValues, put);
    await held.ctx.platform.store.commit({ put });
    held.memoryValues.clear();
  }

  // ---- the data key and its wraps -------------------------------------------------------------

  /** The data key, created (and wrapped under every enabled method) on first need. */
  async ensureDataKey(extra: WrapInputs = {}): Promise<CryptoKey> {
    const held = this.#held;
    if (held.dataKey !== undefined) return held.dataKey;
    const { crypto } = held.ctx.platform;
    const dataKey = await generateDataKey(crypto);
    const kid = toBase64(crypto.randomBytes(16));
    await this.#writeKeyState({ ...held.meta, kid }, dataKey, extra, { expectedKid: null });
    held.dataKey = dataKey;
    return dataKey;
  }

  /** Writes `meta` with the wraps its switches call for (key-state.ts), then settles the device key. */
  async #writeKeyState(meta: MetaRecord, dataKey: CryptoKey | undefined, extra: WrapInputs, { expectedKid = this.#held.meta.kid } = {}): Promise<void> {
    const held = this.#held;
    // Never write key state without the key: a meta with a key id and no wraps would lose every value.
    if (meta.kid !== null && dataKey === undefined) throw locked(LOCKED);
    const previous = held.meta;
    try {
      const known = held.cache.sealed();
      const written = await writeKeyState(held.ctx, previous, meta, dataKey, extra, { maxAttempts: held.hooks.maxAttempts(), expectedKid, known });
      held.meta = written.meta;
      if (written.rotatedKey) held.dataKey = written.rotatedKey;
      if (written.values) held.cache.resealed(written.values);
      const rewrapped = await settleDeviceKey(held.ctx, previous, held.meta, held.dataKey, written.deviceWrapChecked);
      if (rewrapped) held.meta = rewrapped;
    } catch (error) {
      if (error instanceof StaleKeyState) return this.staleKey();
      throw error;
    }
  }
}

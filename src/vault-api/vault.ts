/**
 * `Vault`: the Identity Vault 5.x/6.x vault, on the same engine as the 3.x/4.x API.
 *
 * A vault named `key` is two engine vaults of the default plugin (`setDefaultPlugin` decides which
 * platform): `{vaultId: 'iv5/<key>', username: 'vault'}` holds the values, secured as the config's
 * `type` says, and `{…, username: 'config'}` holds the saved config under the device key, so the
 * vault knows how it is secured before it is unlocked. The config record is also what makes the
 * vault "exist" (`doesVaultExist`): it is written by the first `setValue`, `importVault`,
 * `removeValue` or `updateConfig`, and deleted by `clear`.
 *
 * Every call goes through one queue, so calls fired without awaiting take effect in call order.
 * A call that finds the vault locked leaves the queue while the user is asked (biometric prompt or
 * `onPasscodeRequested`), so `isLocked()` and friends keep answering meanwhile, then re-enters it.
 */
import { invalidArguments, isVaultError, toVaultError, unavailable, VaultError, VaultErrorCodes } from '../core/errors.js';
import { SerialQueue } from '../core/serial-queue.js';
import { singleFlight } from '../core/single-flight.js';
import type { IonicNativeAuthPlugin } from '../core/types.js';
import { checkKey, describeType, serialiseValue } from '../core/validate.js';
import { defaultPlugin } from '../default-plugin.js';
import { resolveConfig, unconfigured, VaultType, type IdentityVaultConfig, type ResolvedConfig } from './config.js';
import { PasscodeRequests, type PasscodeRequestCallback } from './passcode-requests.js';
import type { VaultInterface, VaultLockEvent } from './vault-interface.js';
import { CONFIG_RECORD, engineVaultIdOf, savedFields } from './saved-config.js';
import { isSecuredAs, secureAs, unlockAsStored } from './vault-security.js';
import { closeHandles, openHandles, rehandle, type Opened, type ValueEvents } from './vault-handles.js';

interface Handlers {
  lock?: (event: VaultLockEvent) => void;
  unlock?: () => void;
  config?: (config: IdentityVaultConfig) => void;
  error?: (error: VaultError) => void;
}

/**
 * A vault for secure value storage (Identity Vault 5.x/6.x `Vault`).
 *
 * @example
 * ```ts
 * const vault = new Vault();
 * await vault.initialize({ key: 'com.example.app', type: VaultType.CustomPasscode, lockAfterBackgrounded: 5000 });
 * vault.onPasscodeRequested(async (isPasscodeSetRequest, onComplete) => onComplete(await askUser(isPasscodeSetRequest)));
 * await vault.setValue('session', { token: 'abc' });
 * ```
 */
export class Vault implements VaultInterface {
  /** The current config (defaults filled in). Writable like Identity Vault's; use `updateConfig` to change the vault. */
  config: IdentityVaultConfig;
  #resolved: ResolvedConfig | undefined;
  #opened: Opened | undefined;
  #openFailure: VaultError | undefined;
  readonly #unlocking = singleFlight<void>();
  readonly #queue = new SerialQueue();
  readonly #passcodes = new PasscodeRequests();
  readonly #handlers: Handlers = {};
  readonly #valueEvents: ValueEvents = {
    lock: (event) => this.#call(this.#handlers.lock, event),
    unlock: () => this.#call(this.#handlers.unlock, undefined),
  };

  /** With `config`, the vault starts opening at once (failures reach `onError` and every later call). */
  constructor(config?: IdentityVaultConfig) {
    this.config = unconfigured();
    if (config !== undefined) {
      try {
        this.config = { ...resolveConfig(config) };
      } catch {
        // initialize() below reports the same error
      }
      this.initialize(config).catch(() => undefined);
    }
  }

  initialize(config: IdentityVaultConfig): Promise<void> {
    return this.#guarded(async () => {
      const requested = resolveConfig(config);
      await this.#queue.run(() => this.#open(requested));
      if (this.#resolved?.unlockVaultOnLoad && this.#opened?.exists) this.unlock().catch(() => undefined);
    });
  }

  clear(): Promise<void> {
    return this.#guarded(() =>
      this.#queue.run(async () => {
        const opened = this.#requireOpened({ evenIfDamaged: true });
        this.#passcodes.forget();
        await opened.values.clear();
        await opened.settings.clear();
        opened.exists = false;
        opened.failure = undefined;
      }),
    );
  }

  doesVaultExist(): Promise<boolean> {
    return this.#guarded(() => this.#queue.run(async () => this.#requireOpened().exists));
  }

  // Identity Vault types the exported map `any` (values are JSON data).
  exportVault(): Promise<{ [key: string]: any }> {
    return this.#guarded(() =>
      this.#valueOperation(false, async (opened) => {
        const data: { [key: string]: unknown } = {};
        for (const key of await opened.engine.getKeys()) data[key] = await opened.values.getValue(key);
        return data;
      }),
    );
  }

  getKeys(): Promise<string[]> {
    return this.#guarded(() => this.#valueOperation(false, (opened) => opened.engine.getKeys()));
  }

  getValue<T = any>(key: string): Promise<T | null> {
    const opened = this.#opened;
    const checked = opened?.failure === undefined && this.#queue.idle && this.#unlocking.current === undefined ? validKey(key) : undefined;
    if (opened === undefined || checked === undefined) return this.#guarded(() => this.#readValue<T>(key));
    // Nothing queued, no unlock under way: the read starts now and holds the queue until it
    // settles (calls made after it still wait for it), without the queue's promise hops. A locked
    // vault leaves the queue to unlock, then reads in it, as #valueOperation's first round does.
    return this.#queue
      .runNow(() => opened.engine.getValue(checked) as Promise<T | undefined>)
      .then(orNull, (error: unknown) =>
        isVaultError(error, VaultErrorCodes.VaultLocked) ? this.#guarded(() => this.#readValue<T>(key, opened)) : this.#failed(error),
      );
  }

  importVault(data: { [key: string]: unknown }): Promise<void> {
    return this.#guarded(async () => {
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        throw invalidArguments(`importVault needs an object of key → value, got ${describeType(data)}`);
      }
      const entries = new Map<string, string>();
      for (const [key, value] of Object.entries(data)) entries.set(checkKey(key), serialiseValue(value));
      await this.#valueOperation(true, async (opened) => {
        await opened.engine.replaceValues(entries);
        await this.#saveConfig(opened);
      });
    });
  }

  isEmpty(): Promise<boolean> {
    return this.#guarded(() => this.#queue.run(async () => !(await this.#requireOpened().values.isInUse())));
  }

  /** True while the vault's values are not accessible, and for a vault that does not exist yet. */
  isLocked(): Promise<boolean> {
    return this.#guarded(() =>
      this.#queue.run(async () => {
        const opened = this.#requireOpened();
        if (!opened.exists) return true;
        if (!this.#locksAtAll()) return false;
        return opened.values.isLocked();
      }),
    );
  }

  /** Locks the vault (an `InMemory` vault drops its values; a `SecureStorage` vault never locks). */
  lock(): Promise<void> {
    return this.#guarded(() =>
      this.#queue.run(async () => {
        const opened = this.#requireOpened();
        this.#passcodes.forget();
        if (!opened.exists || this.#resolved?.type === VaultType.SecureStorage) return;
        await opened.values.lock();
      }),
    );
  }

  removeValue(key: string): Promise<void> {
    return this.#guarded(() => this.#removeKey(checkKey(key)));
  }

  /**
   * Gives the vault the custom passcode: the answer to an open `onPasscodeRequested` request, or,
   * when none is open, the passcode the next operation that needs one uses without asking. `''`
   * cancels (the operation rejects with `UserCanceledInteraction`).
   */
  setCustomPasscode(passcode: string): Promise<void> {
    return this.#guarded(async () => {
      if (typeof passcode !== 'string') throw invalidArguments(`passcode must be a string, got ${describeType(passcode)}`);
      this.#passcodes.supply(passcode);
    });
  }

  setValue<T = any>(key: string, value: T): Promise<void> {
    // One validation and one JSON text, the value as it was at call time, whichever path runs.
    let checked: string;
    let json: string | undefined;
    try {
      checked = checkKey(key);
      // Apps pass `undefined` to mean "no session" (`setSession(value?: AuthResult)`); Identity
      // Vault then reads back nothing, so the key is removed (getValue gives null).
      json = value === undefined ? undefined : serialiseValue(value);
    } catch (error) {
      return this.#failed(error);
    }
    if (json === undefined) return this.#guarded(() => this.#removeKey(checked));
    const opened = this.#idleOpened();
    const held = opened?.engine.heldNow();
    if (opened && held && !held.locked && isSecuredAs(this.#resolved!.type, held.config)) {
      // Nothing queued, no unlock under way, the vault exists, is unlocked and secured as
      // configured: #valueOperation would only check all that through the queue, so the write
      // goes straight to the engine, holding the queue until it settles so that calls made after
      // it still wait for it (bench: "5.x Vault.setValue").
      return this.#queue.runNow(() => opened.engine.storeValue(checked, json)).then(undefined, (error: unknown) => this.#failed(error));
    }
    return this.#guarded(() =>
      this.#valueOperation(true, async (current) => {
        await current.engine.storeValue(checked, json);
        await this.#saveConfig(current);
      }),
    );
  }

  /** Unlocks the vault, asking the user as its type says (no-op when unlocked or not yet existing). */
  unlock(): Promise<void> {
    return this.#guarded(() => this.#valueOperation(false, async () => undefined));
  }

  /**
   * Changes the config and saves it with the vault (a later `initialize` gets it back). Changing
   * `type` re-secures the values: the vault is unlocked first if needed, and `CustomPasscode` asks
   * for the new passcode (`onPasscodeRequested(true)`). On failure the vault keeps its old config.
   */
  updateConfig(config: IdentityVaultConfig): Promise<void> {
    return this.#guarded(async () => {
      const next = resolveConfig(config);
      await this.#queue.run(async () => {
        const opened = this.#requireOpened();
        if (engineVaultIdOf(next.key) !== opened.vaultId) {
          throw invalidArguments('updateConfig cannot change the key of a vault: call initialize with the other key.');
        }
        const previous = this.#resolved!;
        this.#resolved = next;
        try {
          rehandle(opened, next, this.#valueEvents);
          await this.#secureAsConfigured(opened);
          await this.#saveConfig(opened, { force: true });
        } catch (error) {
          this.#resolved = previous;
          rehandle(opened, previous, this.#valueEvents);
          throw error;
        }
        this.config = { ...next };
      });
      this.#call(this.#handlers.config, { ...this.config });
    });
  }

  onConfigChanged(callback: (config: IdentityVaultConfig) => void): void {
    this.#handlers.config = callback;
  }

  onError(callback: (error: VaultError) => void): void {
    this.#handlers.error = callback;
  }

  onLock(callback: (lockEvent: VaultLockEvent) => void): void {
    this.#handlers.lock = callback;
  }

  /**
   * The app's passcode prompt for `CustomPasscode` vaults. Answer with `onComplete(code)` or
   * `setCustomPasscode(code)`; `''` cancels. Without one, the platform's built-in prompt asks.
   */
  onPasscodeRequested(callback: PasscodeRequestCallback): void {
    this.#passcodes.callback = callback;
  }

  onUnlock(callback: () => void): void {
    this.#handlers.unlock = callback;
  }

  // ---- internals ------------------------------------------------------------------------

  /** getValue through the queue; `lockedIn`: a first read found that vault locked (unlock, then read). */
  async #readValue<T>(key: string, lockedIn?: Opened): Promise<T | null> {
    const checked = checkKey(key); // a bad key is refused before anything else
    if (lockedIn) await this.#unlocking.join(() => this.#unlockNow(lockedIn));
    // One engine call, which refuses a locked vault itself, as the 3.x/4.x getValue (bench: "5.x Vault.getValue").
    const read = (opened: Opened) => opened.engine.getValue(checked) as Promise<T | undefined>;
    return orNull(await this.#valueOperation(false, read, { refusesLocked: true, firstRound: lockedIn ? 1 : 0 }));
  }

  #removeKey(key: string): Promise<void> {
    return this.#valueOperation(true, async (opened) => {
      await opened.engine.removeValue(key);
      await this.#saveConfig(opened);
    });
  }

  async #open(requested: ResolvedConfig): Promise<void> {
    closeHandles(this.#opened);
    this.#opened = undefined;
    this.#openFailure = undefined;
    let plugin: IonicNativeAuthPlugin;
    try {
      plugin = await defaultPlugin();
    } catch (error) {
      this.#openFailure = toVaultError(error, VaultErrorCodes.VaultUnavailable, 'The vault could not be opened.');
      throw this.#openFailure;
    }
    const { resolved, opened } = await openHandles(plugin, requested, this.#valueEvents);
    this.#resolved = resolved;
    this.config = { ...resolved };
    this.#opened = opened;
    // A vault that cannot be read can still be cleared (clear needs no credentials), as apps do on a failed initialize.
    if (opened.failure) throw opened.failure;
    if (resolved.type === VaultType.InMemory && !(await opened.values.isInMemoryOnly()) && !(await opened.values.isLocked()))
      await opened.values.setInMemoryOnly(true);
  }

  /** The opened vault when a call made now would run at once: it exists, nothing is queued, no unlock is under way. */
  #idleOpened(): Opened | undefined {
    const opened = this.#opened;
    if (opened === undefined || !opened.exists || opened.failure !== undefined || !this.#queue.idle || this.#unlocking.current !== undefined) return undefined;
    return opened;
  }

  #requireOpened({ evenIfDamaged = false } = {}): Opened {
    if (this.#opened?.failure && !evenIfDamaged) throw this.#opened.failure;
    if (this.#opened) return this.#opened;
    throw this.#openFailure ?? unavailable('The vault is not configured: pass a config to new Vault(config) or call initialize(config) first.');
  }

  #locksAtAll(): boolean {
    const type = this.#resolved?.type;
    return type === VaultType.CustomPasscode || type === VaultType.DeviceSecurity;
  }

  /**
   * Runs `task` on the unlocked values. `mutates`: the vault must first be secured as configured
   * (a new `CustomPasscode` vault asks for its passcode here). When the vault is locked, the call
   * leaves the queue to unlock (sharing one prompt with other calls), then runs in the queue.
   * `refusesLocked`: the task itself rejects with `VaultLocked` on a locked vault and changes
   * nothing then, so it runs without asking `isLocked()` first (one engine call instead of two).
   */
  async #valueOperation<T>(mutates: boolean, task: (opened: Opened) => Promise<T>, { refusesLocked = false, firstRound = 0 } = {}): Promise<T> {
    for (let round = firstRound; ; round++) {
      const step = await this.#queue.run(async (): Promise<{ locked: true; opened: Opened } | { locked: false; value: T }> => {
        const opened = this.#requireOpened();
        if (mutates) await this.#secureAsConfigured(opened);
        if (round < 2 && refusesLocked) {
          try {
            return { locked: false, value: await task(opened) };
          } catch (error) {
            if (error instanceof VaultError && error.code === VaultErrorCodes.VaultLocked) return { locked: true, opened };
            throw error;
          }
        }
        if (round < 2 && (await opened.values.isLocked())) return { locked: true, opened };
        return { locked: false, value: await task(opened) };
      });
      if (!step.locked) return step.value;
      await this.#unlocking.join(() => this.#unlockNow(step.opened));
    }
  }

  /** Unlocks the values as the stored vault is secured; a wipe after too many attempts also removes the vault. */
  async #unlockNow(opened: Opened): Promise<void> {
    try {
      await unlockAsStored(opened.values, this.#passcodes);
    } catch (error) {
      if (error instanceof VaultError && error.code === VaultErrorCodes.TooManyFailedAttempts) {
        // The engine cleared the values; the vault no longer exists (its config goes too).
        await opened.settings.clear().catch(() => undefined);
        opened.exists = false;
        this.#passcodes.forget();
      }
      throw error;
    }
  }

  #secureAsConfigured(opened: Opened): Promise<void> {
    return secureAs(this.#resolved!.type, opened.values, this.#passcodes, () => this.#unlockNow(opened));
  }

  async #saveConfig(opened: Opened, { force = false } = {}): Promise<void> {
    if (opened.exists && !force) return;
    await opened.settings.storeValue(CONFIG_RECORD, savedFields(this.#resolved!));
    opened.exists = true;
  }

  /** Every public call: failures are `VaultError`s, reported to `onError`, then rejected. */
  async #guarded<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (error) {
      return this.#failed(error);
    }
  }

  /** A failed public call: `error` as a `VaultError`, reported to `onError`, rejected. */
  #failed(error: unknown): Promise<never> {
    const vaultError = toVaultError(error, VaultErrorCodes.Unknown, 'An unexpected error occurred; see `cause`.');
    this.#call(this.#handlers.error, vaultError);
    return Promise.reject(vaultError);
  }

  /** App handlers are called, never awaited; one that throws must not break the vault. */
  #call<A>(handler: ((arg: A) => void) | undefined, arg: A): void {
    try {
      handler?.(arg);
    } catch {
      // the app's to log
    }
  }
}

/** `key` when it is a valid key; `undefined` otherwise (the queued path then reports why). */
function validKey(key: string): string | undefined {
  try {
    return checkKey(key);
  } catch {
    return undefined;
  }
}

function orNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}

/**
 * The session copy an {@link IonicIdentityVaultUser} keeps in memory, and the one-at-a-time reads
 * and unlocks that fill it: concurrent restores share one read and concurrent unlocks for the
 * same mode share one prompt, so the user is asked once.
 *
 * Every drop (a lock, `lockOut`, `logout`, too many failed attempts) starts a new generation. A
 * session read or written before a drop is never kept after it (issue 11): it was read under a
 * vault state that no longer holds, and keeping it would put it back in memory after the lock.
 *
 * @module
 */
import { invalidArguments, locked, VaultError, VaultErrorCodes } from '../core/errors.js';
import { singleFlight } from '../core/single-flight.js';
import { AuthMode, type IdentityVault } from '../core/types.js';
import { authModeOf } from './auth-mode-switches.js';
import { unlockVault, type PasscodeSource } from './unlock-vault.js';
import type { IonicIdentityVaultUser } from './identity-vault-user.js';

/** The vault key the session object is stored under. */
export const SESSION_KEY = 'session';

/** What a {@link SessionKeeper} tells its user. */
export interface SessionKeeperEvents<T> {
  /** The copy in memory changed: a session was kept, or `undefined` when it was dropped. */
  changed(session: T | undefined): void;
  /** A session was read from the vault (`onSessionRestored`). */
  restored(session: T): void;
  /** The passcode to unlock with (`onPasscodeRequest(false)`). */
  readonly passcode: PasscodeSource;
}

const ignore = (): void => undefined;

export class SessionKeeper<T> {
  #session: T | undefined;
  #generation = 0;
  readonly #restoring = singleFlight<T | undefined>();
  /** One unlock per mode in flight; an unlock for another mode waits for it, then starts its own. */
  readonly #unlocking = singleFlight<void, AuthMode | undefined>();

  readonly #events: SessionKeeperEvents<T>;

  constructor(events: SessionKeeperEvents<T>) {
    this.#events = events;
  }

  /** The session in memory. */
  get session(): T | undefined {
    return this.#session;
  }

  /** The current generation: pass it to {@link SessionKeeper.keep} after an await. */
  get generation(): number {
    return this.#generation;
  }

  /** Keeps `session` in memory, unless a drop happened since `generation` was read. */
  keep(session: T, generation = this.#generation): boolean {
    if (generation !== this.#generation) return false;
    this.#session = session;
    this.#events.changed(session);
    return true;
  }

  /** Drops the copy in memory and starts a new generation. */
  drop(): void {
    this.#session = undefined;
    this.#generation++;
    this.#events.changed(undefined);
  }

  /** Reads the session (shared by concurrent callers), unlocking first when `allowPrompt` or the vault needs nobody. */
  restore(vault: IdentityVault, allowPrompt: boolean): Promise<T | undefined> {
    return this.#restoring.join(() => this.#restoreNow(vault, allowPrompt));
  }

  async #restoreNow(vault: IdentityVault, allowPrompt: boolean): Promise<T | undefined> {
    if (!(await vault.isInUse())) return undefined;
    await this.ensureUnlocked(vault, allowPrompt);
    const generation = this.#generation;
    const session: unknown = await vault.getValue(SESSION_KEY);
    if (generation !== this.#generation) {
      throw locked('The vault was locked while the session was being read: unlock it again.');
    }
    if (!isSession(session)) return undefined;
    this.keep(session as T, generation);
    this.#events.restored(session as T);
    return session as T;
  }

  /** Unlocks a locked vault when allowed (joining an unlock in flight), else throws `VaultLocked`. */
  async ensureUnlocked(vault: IdentityVault, allowPrompt: boolean): Promise<void> {
    if (!(await vault.isLocked())) return;
    const pending = this.#unlocking.current;
    if (pending !== undefined) {
      await pending;
      if (!(await vault.isLocked())) return;
    }
    if (allowPrompt || (await opensWithoutUser(vault))) return this.unlock(vault, undefined);
    throw locked('The vault is locked: call unlock() first, or set unlockOnAccess.');
  }

  /** Unlocks with `mode` (the vault's own when `undefined`); concurrent calls for one mode share one prompt. */
  unlock(vault: IdentityVault, mode: AuthMode | undefined): Promise<void> {
    return this.#unlocking.join(async (previous) => {
      await previous?.catch(ignore);
      if (!(await vault.isLocked())) return;
      const effective = mode ?? authModeOf(await vault.getConfig());
      try {
        await unlockVault(vault, effective, this.#events.passcode);
      } catch (error) {
        if (error instanceof VaultError && error.code === VaultErrorCodes.TooManyFailedAttempts) this.drop();
        throw error;
      }
    }, mode);
  }
}

/** A session to save must be an object (`saveSession`, `login`). */
export function checkSession(session: unknown): void {
  if (typeof session !== 'object' || session === null) throw invalidArguments('A session must be an object.');
}

/** A stored session: anything but `undefined` and `null` (app vaults return `null` for a missing key). */
export function isSession(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A `SecureStorage` vault opens under the device key: reading it never needs the user. */
export async function opensWithoutUser(vault: IdentityVault): Promise<boolean> {
  return authModeOf(await vault.getConfig()) === AuthMode.SecureStorage;
}

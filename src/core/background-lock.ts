/**
 * Locking after time in the background (`lockAfter`): the timer on `ClockPort` and the expiry
 * rule. Browsers throttle or freeze timers of hidden pages, so the timer alone is not trusted:
 * expiry is also measured on every foreground event and every vault call, and a clock moved
 * back counts as expired (docs/security.md, "Who is kept out of what").
 */
import type { ClockPort } from './ports.js';

export class BackgroundLock {
  readonly #clock: ClockPort;
  readonly #expire: () => void;
  #lockAfter: number;
  #since: number | undefined;
  #cancel: (() => void) | undefined;

  /** `expire` runs when the timer fires; the engine decides there whether to lock. */
  constructor(clock: ClockPort, lockAfter: number, expire: () => void) {
    this.#clock = clock;
    this.#lockAfter = lockAfter;
    this.#expire = expire;
  }

  get lockAfter(): number {
    return this.#lockAfter;
  }

  /** Whether the vault is being timed in the background now. */
  get running(): boolean {
    return this.#since !== undefined;
  }

  /** Starts timing from now, unless `lockAfter` is 0 (never) or it is already running. */
  start(): void {
    if (this.#lockAfter <= 0 || this.running) return;
    this.#since = this.#clock.now();
    this.#schedule(this.#lockAfter);
  }

  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    this.#since = undefined;
  }

  /** Whether the time in the background is up (false when not running). */
  expired(): boolean {
    if (this.#since === undefined) return false;
    const elapsed = this.#clock.now() - this.#since;
    return elapsed < 0 || elapsed >= this.#lockAfter;
  }

  /**
   * A new `lockAfter`. A running timer is rescheduled to the new limit, counted from when the
   * vault went to the background; 0 stops it.
   */
  setLockAfter(lockAfter: number): void {
    this.#lockAfter = lockAfter;
    if (this.#since === undefined) return;
    if (lockAfter <= 0) return this.stop();
    this.#cancel?.();
    this.#schedule(Math.max(0, this.#since + lockAfter - this.#clock.now()));
  }

  #schedule(ms: number): void {
    this.#cancel = this.#clock.setTimer(ms, this.#expire);
  }
}

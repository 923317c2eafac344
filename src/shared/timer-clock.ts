/**
 * The `ClockPort` of real platforms (web, node, capacitor): `Date.now()` and `setTimeout`.
 *
 * `setTimeout` stores its delay as a signed 32-bit integer: anything above 2^31 − 1 ms (about
 * 24.8 days) fires at once in browsers (HTML §8.6 timers) and after 1 ms in Node
 * (TimeoutOverflowWarning). Longer timers are chained.
 */
import type { ClockPort } from '../core/ports.js';

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Options of {@link createTimerClock}. */
export interface TimerClockOptions {
  /** Node: timers do not keep the process alive (a vault's lock timer must not stop a CLI from exiting). */
  readonly unref?: boolean;
}

export function createTimerClock(options: TimerClockOptions = {}): ClockPort {
  return new TimerClock(options.unref ?? false);
}

class TimerClock implements ClockPort {
  readonly #unref: boolean;

  constructor(unref: boolean) {
    this.#unref = unref;
  }

  now(): number {
    return Date.now();
  }

  setTimer(ms: number, callback: () => void): () => void {
    let handle: ReturnType<typeof setTimeout> | undefined;
    let cancelled = false;
    const schedule = (remaining: number): void => {
      const step = Math.min(Math.max(0, remaining), MAX_TIMEOUT_MS);
      handle = setTimeout(() => {
        if (cancelled) return;
        if (remaining > step) schedule(remaining - step);
        else callback();
      }, step);
      if (this.#unref) (handle as { unref?: () => void }).unref?.();
    };
    schedule(Number.isFinite(ms) ? ms : MAX_TIMEOUT_MS);
    return () => {
      cancelled = true;
      clearTimeout(handle);
    };
  }
}

/**
 * The clock on Node: wall time and timers that never keep the process alive (a vault's lock
 * timer must not stop a CLI from exiting).
 */
import type { ClockPort } from '../core/ports.js';

/** Node stores a timer's delay as a signed 32-bit integer: longer delays fire after 1 ms (TimeoutOverflowWarning). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * `Date.now` and `setTimeout(...).unref()`, with delays beyond ~24.8 days chained.
 *
 * @example
 * ```ts
 * const cancel = createNodeClock().setTimer(5 * 60_000, () => vault.lock());
 * ```
 */
export function createNodeClock(): ClockPort {
  return {
    now: () => Date.now(),
    setTimer(ms, callback) {
      let timer: NodeJS.Timeout | undefined;
      let cancelled = false;
      const schedule = (remaining: number) => {
        const step = Math.min(Math.max(0, remaining), MAX_TIMEOUT_MS);
        timer = setTimeout(() => {
          if (cancelled) return;
          if (remaining > step) schedule(remaining - step);
          else callback();
        }, step);
        timer.unref();
      };
      schedule(Number.isFinite(ms) ? ms : MAX_TIMEOUT_MS);
      return () => {
        cancelled = true;
        clearTimeout(timer);
      };
    },
  };
}

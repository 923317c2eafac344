/**
 * `ClockPort` of the web platform: `Date.now()` and `setTimeout`.
 *
 * `setTimeout` stores its delay as a signed 32-bit integer: anything above 2^31 − 1 ms (about
 * 24.8 days) fires at once in every browser (HTML §8.6 timers, step "if timeout is greater than
 * 2^31 − 1"). Longer timers are chained.
 */
import type { ClockPort } from '../core/ports.js';

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The page's clock.
 *
 * @example
 * ```ts
 * const clock = createWebClock();
 * const cancel = clock.setTimer(1000, () => console.log('a second later'));
 * cancel();
 * ```
 */
export function createWebClock(): ClockPort {
  return {
    now: () => Date.now(),
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
      };
      schedule(Number.isFinite(ms) ? ms : MAX_TIMEOUT_MS);
      return () => {
        cancelled = true;
        clearTimeout(handle);
      };
    },
  };
}

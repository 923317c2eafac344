/**
 * The clock on Node: wall time and timers that never keep the process alive (a vault's lock
 * timer must not stop a CLI from exiting); delays beyond ~24.8 days are chained.
 */
import type { ClockPort } from '../core/ports.js';
import { createTimerClock } from '../shared/timer-clock.js';

/**
 * `Date.now` and `setTimeout(...).unref()`.
 *
 * @example
 * ```ts
 * const cancel = createNodeClock().setTimer(5 * 60_000, () => vault.lock());
 * ```
 */
export function createNodeClock(): ClockPort {
  return createTimerClock({ unref: true });
}

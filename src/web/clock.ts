/** `ClockPort` of the web platform: `Date.now()` and `setTimeout`, long delays chained. */
import type { ClockPort } from '../core/ports.js';
import { createTimerClock } from '../shared/timer-clock.js';

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
  return createTimerClock();
}

/**
 * A clock that moves only when told to. Timers run on monotonic time, as real timers do; the
 * wall clock (`now()`) can also be jumped, forwards or back, without touching them.
 */
import type { ClockPort } from '../core/ports.js';

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
}

export class SimulatedClock implements ClockPort {
  #wall: number;
  #monotonic = 0;
  #timers: Timer[] = [];
  #seq = 0;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#wall = start;
  }

  now(): number {
    return this.#wall;
  }

  setTimer(ms: number, callback: () => void): () => void {
    const timer: Timer = { at: this.#monotonic + Math.max(0, ms), seq: this.#seq++, callback };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** Move time forward, firing every timer that falls due, in order. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('advance() takes a duration ≥ 0; use jump() to move the wall clock back');
    const end = this.#monotonic + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#wall += due.at - this.#monotonic;
      this.#monotonic = due.at;
      due.callback();
    }
    this.#wall += end - this.#monotonic;
    this.#monotonic = end;
  }

  /** Change the wall clock only (the user or NTP moved it; may go backwards). Timers are unaffected. */
  jump(ms: number): void {
    this.#wall += ms;
  }

  /** Drop every timer (the app was killed). */
  reset(): void {
    this.#timers = [];
  }
}

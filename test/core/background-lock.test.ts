import { describe, expect, it } from 'vitest';
import { BackgroundLock } from '../../src/core/background-lock.js';
import { SimulatedClock } from 'identity-vault/testing';

function timed(lockAfter: number) {
  const clock = new SimulatedClock();
  let fired = 0;
  const lock = new BackgroundLock(clock, lockAfter, () => fired++);
  return { clock, lock, fired: () => fired };
}

describe('BackgroundLock', () => {
  it('fires once lockAfter has passed in the background, and is expired from then on', () => {
    const { clock, lock, fired } = timed(1000);
    lock.start();
    expect(lock.running).toBe(true);
    clock.advance(999);
    expect([fired(), lock.expired()]).toEqual([0, false]);
    clock.advance(1);
    expect([fired(), lock.expired()]).toEqual([1, true]);
  });

  it('lockAfter 0 means never: start() does nothing', () => {
    const { clock, lock, fired } = timed(0);
    lock.start();
    clock.advance(1_000_000);
    expect([lock.running, lock.expired(), fired()]).toEqual([false, false, 0]);
  });

  it('a second start() keeps the first start time (the time in the background is not reset)', () => {
    const { clock, lock, fired } = timed(1000);
    lock.start();
    clock.advance(600);
    lock.start();
    clock.advance(400);
    expect(fired()).toBe(1);
  });

  it('stop() cancels the timer and forgets the start', () => {
    const { clock, lock, fired } = timed(1000);
    lock.start();
    lock.stop();
    clock.advance(5000);
    expect([lock.running, lock.expired(), fired()]).toEqual([false, false, 0]);
  });

  it('measures on the wall clock, not only by the timer: a throttled timer still counts as expired', () => {
    const { clock, lock, fired } = timed(1000);
    lock.start();
    clock.jump(5000); // the wall clock moves; no timer fires (as in a frozen background tab)
    expect(fired()).toBe(0);
    expect(lock.expired()).toBe(true);
  });

  it('a wall clock moved back counts as expired (docs/security.md: a clock set back must not keep a vault open)', () => {
    const { clock, lock } = timed(60_000);
    lock.start();
    clock.jump(-1);
    expect(lock.expired()).toBe(true);
  });

  it('a new lockAfter reschedules a running timer, counted from when the background began', () => {
    const { clock, lock, fired } = timed(10_000);
    lock.start();
    clock.advance(1000);
    lock.setLockAfter(3000);
    clock.advance(1999);
    expect(fired()).toBe(0);
    clock.advance(1);
    expect(fired()).toBe(1);
  });

  it('a new lockAfter already passed fires at once; 0 stops the timer', () => {
    const first = timed(10_000);
    first.lock.start();
    first.clock.advance(5000);
    first.lock.setLockAfter(2000);
    first.clock.advance(0);
    expect(first.fired()).toBe(1);

    const second = timed(10_000);
    second.lock.start();
    second.lock.setLockAfter(0);
    second.clock.advance(20_000);
    expect([second.lock.running, second.fired()]).toEqual([false, 0]);
  });

  it('a new lockAfter while not running only applies to the next start', () => {
    const { clock, lock, fired } = timed(10_000);
    lock.setLockAfter(500);
    expect(lock.lockAfter).toBe(500);
    lock.start();
    clock.advance(500);
    expect(fired()).toBe(1);
  });
});

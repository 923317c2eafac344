import { describe, expect, it } from 'vitest';
import { singleFlight } from '../../src/core/single-flight.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('singleFlight', () => {
  it('callers during a flight join it: one start, one result for all', async () => {
    const flight = singleFlight<number>();
    const gate = deferred<number>();
    let starts = 0;
    const start = () => {
      starts++;
      return gate.promise;
    };
    const a = flight.join(start);
    const b = flight.join(start);
    expect(a).toBe(b);
    gate.resolve(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(starts).toBe(1);
  });

  it('starts synchronously, and a settled flight (either way) is over: the next call starts anew', async () => {
    const flight = singleFlight<number>();
    let started = false;
    const failing = flight.join(() => {
      started = true;
      return Promise.reject(new Error('no'));
    });
    expect(started).toBe(true);
    expect(flight.current).toBe(failing);
    await expect(failing).rejects.toThrow('no');
    expect(flight.current).toBeUndefined();
    await expect(flight.join(async () => 2)).resolves.toBe(2);
  });

  it('a call for another key starts its own flight, handed the one in flight to wait for; only the latest is current', async () => {
    const flight = singleFlight<string, 'a' | 'b'>();
    const gate = deferred<string>();
    const first = flight.join(() => gate.promise, 'a');
    let handed: Promise<string> | undefined;
    const second = flight.join(async (previous) => {
      handed = previous;
      await previous;
      return 'b done';
    }, 'b');
    expect(handed).toBe(first);
    expect(flight.current).toBe(second);
    expect(flight.join(async () => 'never', 'b')).toBe(second);
    gate.resolve('a done');
    expect(await Promise.all([first, second])).toEqual(['a done', 'b done']);
    expect(flight.current).toBeUndefined();
  });

  it('the end of an older flight does not end a newer one', async () => {
    const flight = singleFlight<number, number>();
    const older = deferred<number>();
    const newer = deferred<number>();
    flight.join(() => older.promise, 1);
    const second = flight.join(() => newer.promise, 2);
    older.resolve(1);
    await older.promise;
    await Promise.resolve();
    expect(flight.current).toBe(second);
    newer.resolve(2);
    await second;
  });
});

/** SerialQueue: call order, `idle`, and `runNow` (starts at once only when nothing is queued). */
import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../src/core/serial-queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SerialQueue', () => {
  it('runs tasks one at a time in call order, whatever each one does', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const a = queue.run(async () => {
      log.push('a start');
      await tick();
      log.push('a end');
      throw new Error('a failed');
    });
    const b = queue.run(async () => void log.push('b'));
    await expect(a).rejects.toThrow('a failed');
    await b;
    expect(log).toEqual(['a start', 'a end', 'b']);
  });

  it('runNow starts in the caller’s turn when idle; later tasks wait for it; idle again once it settled', async () => {
    const queue = new SerialQueue();
    expect(queue.idle).toBe(true);
    const log: string[] = [];
    const first = queue.runNow(async () => {
      log.push('first start');
      await tick();
      log.push('first end');
      return 1;
    });
    expect(log).toEqual(['first start']); // started synchronously
    expect(queue.idle).toBe(false);
    const second = queue.run(async () => void log.push('second'));
    expect(await first).toBe(1);
    await second;
    expect(log).toEqual(['first start', 'first end', 'second']);
    await tick();
    expect(queue.idle).toBe(true);
  });

  it('runNow waits its turn when something is queued, and a task that throws synchronously rejects', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const busy = queue.run(async () => {
      await tick();
      log.push('busy');
    });
    const now = queue.runNow(async () => void log.push('now'));
    expect(log).toEqual([]);
    await Promise.all([busy, now]);
    expect(log).toEqual(['busy', 'now']);
    const thrown = queue.runNow((): Promise<void> => {
      throw new Error('sync');
    });
    await expect(thrown).rejects.toThrow('sync');
    await expect(queue.run(async () => 'still running')).resolves.toBe('still running');
  });
});

/**
 * Runs async tasks one at a time, in call order. Each vault's operations go through one queue so
 * that, for example, a lock never lands in the middle of a write.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  /** Tasks run or waiting, until each one's outcome has settled. */
  #pending = 0;
  readonly #settled = (): undefined => void this.#pending--;

  /** Whether nothing is queued or running: {@link runNow} would start its task at once. */
  get idle(): boolean {
    return this.#pending === 0;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    return this.#hold(this.#tail.then(task, task));
  }

  /**
   * Like {@link run}, but when the queue is idle the task starts in the caller's turn instead of one
   * promise hop later. Either way, tasks queued after it wait for it.
   */
  runNow<T>(task: () => Promise<T>): Promise<T> {
    if (this.#pending !== 0) return this.run(task);
    let result: Promise<T>;
    try {
      result = task();
    } catch (error) {
      result = Promise.reject(error);
    }
    return this.#hold(result);
  }

  #hold<T>(result: Promise<T>): Promise<T> {
    this.#pending++;
    // Keep the chain alive whatever the task does; callers see the real outcome through `result`.
    this.#tail = result.then(this.#settled, this.#settled);
    return result;
  }
}

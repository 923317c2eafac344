/**
 * Runs async tasks one at a time, in call order. Each vault's operations go through one queue so
 * that, for example, a lock never lands in the middle of a write.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    // Keep the chain alive whatever the task does; callers see the real outcome through `result`.
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

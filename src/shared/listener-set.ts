/**
 * The one listener set of the project (lifecycles, peers, vault events), with one rule for a
 * listener that throws: it stops neither the other listeners nor the code that emitted. Its error
 * goes to `globalThis.reportError` where the host has one (browsers: the console and the window's
 * `error` event, as for an event handler that throws) and is dropped where it has none (Node 20),
 * because throwing it on would break a vault operation, or crash a Node process, for a bug in an
 * app's handler.
 */

interface Entry<T> {
  readonly listener: (value: T) => void;
}

export class ListenerSet<T> {
  readonly #entries = new Set<Entry<T>>();

  /**
   * Adds `listener` and returns its removal. Adding the same function twice calls it twice; each
   * removal removes one.
   */
  add(listener: (value: T) => void): () => void {
    const entry: Entry<T> = { listener };
    this.#entries.add(entry);
    return () => {
      this.#entries.delete(entry);
    };
  }

  /** Removes one registration of `listener`, if there is one. */
  delete(listener: (value: T) => void): void {
    for (const entry of this.#entries) {
      if (entry.listener === listener) {
        this.#entries.delete(entry);
        return;
      }
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Calls every listener registered now (one added or removed meanwhile does not change this round). */
  emit(value: T): void {
    for (const { listener } of [...this.#entries]) {
      try {
        listener(value);
      } catch (error) {
        (globalThis as { reportError?: (error: unknown) => void }).reportError?.(error);
      }
    }
  }
}

/**
 * One call in flight, shared: while it runs, callers join it instead of starting another (one
 * prompt for concurrent unlocks, one read for concurrent restores). The flight ends when its
 * promise settles, whichever way; the next call starts a new one.
 */

/** See {@link singleFlight}. */
export interface SingleFlight<T, K = undefined> {
  /** The call in flight, if any. */
  readonly current: Promise<T> | undefined;
  /**
   * Joins the call in flight when it was started for the same `key` (compared with `Object.is`).
   * Otherwise calls `start` at once, synchronously, with the call in flight for another key (or
   * `undefined`), so that it can wait for that one first; its promise is the call in flight until
   * it settles.
   */
  join(start: (previous: Promise<T> | undefined) => Promise<T>, key?: K): Promise<T>;
}

/** A new, empty {@link SingleFlight}. */
export function singleFlight<T, K = undefined>(): SingleFlight<T, K> {
  let flight: { readonly promise: Promise<T>; readonly key: K | undefined } | undefined;
  return {
    get current() {
      return flight?.promise;
    },
    join(start, key) {
      if (flight !== undefined && Object.is(flight.key, key)) return flight.promise;
      const entry = { promise: start(flight?.promise), key };
      flight = entry;
      const land = (): void => {
        if (flight === entry) flight = undefined;
      };
      entry.promise.then(land, land);
      return entry.promise;
    },
  };
}

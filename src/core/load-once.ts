/**
 * `lazily()`: a part of the library loaded with `import()` on first use, once (lazy-load.ts says
 * why). Its own module, apart from `afterPrompt`: a module that only needs `lazily` (the session
 * layer, in an app's entry chunk) must not hold the `import()` of after-prompt.ts, or a bundler
 * splits the core's modules that after-prompt.ts shares into a chunk of their own.
 */
import { unavailable } from './errors.js';

/** A function returning the loaded value, loading it on its first call. */
export interface Lazy<T> {
  (): Promise<T>;
  /**
   * The value once it has loaded, else `undefined`: a hot path (every `storeValue`) uses it without
   * awaiting an already-resolved promise (each await is one more turn of the microtask queue).
   */
  loaded(): T | undefined;
}

export function lazily<T>(what: string, load: () => Promise<T>): Lazy<T> {
  let loading: Promise<T> | undefined;
  let value: T | undefined;
  const get = (): Promise<T> => {
    loading ??= load().then(
      (loadedValue) => (value = loadedValue),
      (error: unknown) => {
        // Forget the failure so the next call imports again. A browser that still keeps a failed
        // module fetch for the page's life (before whatwg/html#10327; Chromium 150 does) answers
        // that import at once with the same failure, so the message names the reload too.
        loading = undefined;
        throw unavailable(`The ${what} could not be loaded (a network problem?); try again, or reload the page if it keeps failing.`, {
          cause: error,
        });
      },
    );
    return loading;
  };
  return Object.assign(get, { loaded: () => value });
}

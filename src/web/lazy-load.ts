/**
 * Loads a part of the web platform with `import()` on first use, once. A failed load (the chunk
 * could not be fetched: offline, a new deployment removed it) is reported as
 * `VaultError(VaultUnavailable)` and forgotten, so the next call tries again.
 *
 * Why lazily: the passcode dialog, the WebAuthn code and the privacy screen are not needed before
 * the first prompt; with a bundler that splits chunks (Vite, Rollup, webpack, esbuild
 * `--splitting`) they stay out of what an app downloads before it can show anything. Bundlers
 * that do not split inline them: the behaviour is the same.
 */
import { unavailable } from '../core/errors.js';

/** A function returning the loaded value, loading it on its first call. */
export function lazily<T>(what: string, load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw unavailable(`The ${what} could not be loaded (a network problem?); try again.`, { cause: error });
    });
    return loading;
  };
}

/**
 * Loads a part of the library with `import()` on first use, once. A failed load (the chunk could
 * not be fetched: offline, a new deployment removed it) is reported as `VaultError(VaultUnavailable)`
 * and forgotten, so the next call tries again.
 *
 * Why lazily: much of the code is not needed before an app shows its first prompt — the web
 * platform's passcode dialog, WebAuthn ceremonies, privacy screen and device key
 * (`src/web/lazy-ports.ts`), and the core's work after the prompt: opening the passcode wrap,
 * writing key state, rotating the data key, sealing and opening values, and the writes that change
 * a vault's protection or many values (`src/core/vault-writes.ts`, through `VaultState.writes()`).
 * With a bundler that splits chunks (Vite, Rollup, webpack, esbuild `--splitting`) it stays out of
 * what an app downloads before it can show anything (BENCHMARKS.md, "size"). Bundlers that do not
 * split inline it, and Node loads it from the package's own files: the behaviour is the same.
 */
import { lazily } from './load-once.js';

export { lazily } from './load-once.js';

/**
 * The core's work after the first prompt (after-prompt.ts), shared by every vault of the page.
 * Its first call starts the load; vault-state.ts and vault-engine.ts await it where they need it.
 */
export const afterPrompt = lazily('vault code', () => import('./after-prompt.js'));

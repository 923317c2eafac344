/**
 * apply-auth-mode.ts, loaded with `import()` the first time a mode is set (a new vault's setup,
 * `login`, `logout`, `setAuthMode`) or a new passcode is asked for: an app opening an existing vault
 * does neither before its first prompt, so a bundler that splits chunks keeps it out of what the
 * app loads first (BENCHMARKS.md, size). A chunk that cannot be fetched is
 * `VaultError(VaultUnavailable)` (core/lazy-load.ts).
 */
import { lazily } from '../core/load-once.js';

export const authModeChanges = lazily('AuthMode code', () => import('./apply-auth-mode.js'));

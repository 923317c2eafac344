/**
 * Calling an app's hook (`onVaultLocked`, `onSessionRestored`, …) without letting it break the vault.
 *
 * Hooks are notifications: they are called, not awaited, so a hook that awaits the user's own
 * methods (which wait for `ready()`) cannot deadlock setup. A hook that throws or rejects is
 * reported like an exception in an event listener — `reportError` where the platform has it
 * (browsers), `console.error` elsewhere — and the vault operation that triggered it goes on.
 *
 * @module
 */

/** Calls `hook` and reports what it throws or rejects with. */
export function callHook(hook: () => unknown): void {
  try {
    const result = hook();
    if (isThenable(result)) result.then(undefined, reportHookError);
  } catch (error) {
    reportHookError(error);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function reportHookError(error: unknown): void {
  const { reportError } = globalThis as { reportError?: (error: unknown) => void };
  if (typeof reportError === 'function') {
    reportError(error);
  } else {
    console.error('identity-vault: a session hook failed', error);
  }
}

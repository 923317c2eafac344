/**
 * Counting failed passcode attempts. The counter (`iv1/<id>/<user>/attempts`, records.ts) holds the
 * attempts left; each passcode try takes one off *before* the passcode is checked, and the right
 * passcode puts the limit back. What happens at zero (clear, or refuse the passcode) is decided
 * here too. docs/security.md, "Who is kept out of what", says why the counter works this way.
 * Reading what is left (`remainingAttempts()`, before any prompt) is remaining-attempts.ts; the rest
 * runs after a prompt, with the core's after-prompt work (lazy-load.ts).
 */
import { authFailed, tooManyFailedAttempts } from './errors.js';
import type { VaultError } from './errors.js';
import type { SecretStore, StoredRecord } from './ports.js';
import { parseAttempts, type MetaRecord, type AttemptsRecord } from './records.js';
import { attemptLimit } from './remaining-attempts.js';

export { attemptLimit, readRemainingAttempts } from './remaining-attempts.js';

/** One passcode try, counted. `before` is what was left before it (0: no try was left). */
export interface CountedAttempt {
  readonly limit: number;
  readonly before: number;
  readonly remaining: number;
}

/**
 * Takes one attempt off the counter under `key`, durably, before the passcode is checked: a crash
 * or a reload between the count and the check cannot give the attempt back.
 */
export async function countAttempt(store: SecretStore, key: string, meta: MetaRecord, clientMaxAttempts: number): Promise<CountedAttempt> {
  const limit = attemptLimit(meta, clientMaxAttempts);
  const limitStored = meta.maxAttempts !== undefined;
  let before = limit;
  const written = await store.update(key, (current) => {
    before = parseAttempts(current, limit, limitStored);
    return attemptsRecord(Math.max(0, before - 1));
  });
  const remaining = (written as { remaining?: number } | undefined)?.remaining ?? 0;
  return { limit, before, remaining };
}

/** The counter's record with `remaining` attempts left. The counter is rewritten, never deleted: a missing counter means someone deleted it. */
export function attemptsRecord(remaining: number): StoredRecord {
  return { v: 1, remaining } satisfies AttemptsRecord;
}

/**
 * What a change of the vault's wraps does to the counter: a new passcode writes it (the full
 * limit), a passcode that stays keeps it, no passcode deletes it.
 */
export function attemptsOnWrapChange(newPasscode: boolean, passcodeEnabled: boolean): 'write' | 'keep' | 'delete' {
  if (newPasscode) return 'write';
  return passcodeEnabled ? 'keep' : 'delete';
}

/** A wrong passcode with `remaining` attempts left (more than 0). */
export function wrongPasscode(remaining: number): VaultError {
  return authFailed(`Wrong passcode: ${remaining} attempt${remaining === 1 ? '' : 's'} left before the vault is cleared.`, { remainingAttempts: remaining });
}

/**
 * The attempts ran out. `clears` false (Identity Vault 4.1's
 * `shouldClearVaultAfterTooManyFailedAttempts: false`): the data is kept and the passcode refused.
 */
export function attemptsExhausted(clears: boolean): VaultError {
  return clears
    ? tooManyFailedAttempts('Too many failed passcode attempts: the vault was cleared. Log in again.')
    : tooManyFailedAttempts(
        'Too many failed passcode attempts: the passcode is refused until the vault is unlocked another way and a new passcode is set (the data was kept: shouldClearVaultAfterTooManyFailedAttempts is false).',
      );
}

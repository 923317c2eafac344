/**
 * The failed-passcode limit and the attempts left, as `remainingAttempts()` reads them: the part
 * of attempts.ts that an app may call before its first prompt (a lock screen showing the attempts
 * left), apart from counting and the errors at zero, which come after a prompt (after-prompt.ts).
 */
import type { SecretStore } from './ports.js';
import { parseAttempts, type MetaRecord } from './records.js';

/**
 * The failed-passcode limit: the one stored with the vault when its passcode was set (a client
 * created with a higher `maxAttempts` gets no more guesses), or the client's when lower.
 */
export function attemptLimit(meta: Pick<MetaRecord, 'maxAttempts'>, clientMaxAttempts: number): number {
  const stored = meta.maxAttempts;
  return stored === undefined ? clientMaxAttempts : Math.min(stored, clientMaxAttempts);
}

/** The attempts left as stored under `key` (a vault without a passcode has the whole limit). */
export async function readRemainingAttempts(store: SecretStore, key: string, meta: MetaRecord, clientMaxAttempts: number): Promise<number> {
  if (meta.wraps.passcode === undefined) return clientMaxAttempts;
  return parseAttempts(await store.get(key), attemptLimit(meta, clientMaxAttempts), meta.maxAttempts !== undefined);
}

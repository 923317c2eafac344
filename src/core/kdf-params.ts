/**
 * Passcode KDF parameters: the algorithms and floors, the check of a platform's settings and the
 * check of stored parameters — what runs on the way to a passcode prompt (unlock-method.ts checks
 * the stored parameters before anyone is asked). Deriving keys and making new parameters (kdf.ts)
 * come after the prompt, with the core's after-prompt work (lazy-load.ts).
 *
 * Parameters read from storage are checked against the floor before use: a downgrade written into
 * storage must not weaken unlock (docs/security.md, "Passcode KDF").
 */
import { fromBase64 } from './bytes.js';
import { invalidArguments, unavailable } from './errors.js';
import { PBKDF2_MIN_ITERATIONS, type KdfSettings } from './ports.js';

export const SALT_BYTES = 16;
/** The test-only KDF of `SimulatedDevice` (see {@link KdfSettings.testOnlyFastKdf}). */
export const TEST_KDF_ALG = 'PBKDF2-SHA256-TEST';
export const TEST_KDF_ITERATIONS = 1_000;
export const KDF_ALG = 'PBKDF2-SHA256';

/** KDF parameters as stored. */
export interface KdfParams {
  readonly alg: typeof KDF_ALG | typeof TEST_KDF_ALG;
  readonly iterations: number;
  readonly salt: string;
}

/** The largest iteration count unlock accepts (see {@link checkKdfParams}). */
export const MAX_KDF_ITERATIONS = 100_000_000;

/**
 * Checks a platform's KDF settings when it is created, against the same range unlock accepts: a
 * count above it would make the right passcode unable to open the vault ever again.
 * @throws VaultError `InvalidArguments`
 */
export function checkKdfSettings(settings: KdfSettings | undefined): void {
  const iterations = settings?.iterations;
  if (iterations === undefined) return;
  if (typeof iterations !== 'number' || !Number.isFinite(iterations) || iterations > MAX_KDF_ITERATIONS) {
    throw invalidArguments(
      `kdfIterations must be a number up to ${MAX_KDF_ITERATIONS.toLocaleString('en')} (values below ${PBKDF2_MIN_ITERATIONS.toLocaleString('en')} are raised to it)`,
    );
  }
}

/**
 * Checks stored parameters: known algorithm, at or above its floor, a salt of at least 16 bytes.
 * @throws VaultError `VaultUnavailable` when the record is below the floor or malformed.
 */
export function checkKdfParams(raw: unknown, settings: KdfSettings | undefined): KdfParams {
  const refuse = (why: string) => unavailable(`The stored passcode parameters are refused (${why}); the vault's storage may have been tampered with.`);
  if (typeof raw !== 'object' || raw === null) throw refuse('missing');
  const { alg, iterations, salt } = raw as Record<string, unknown>;
  if (typeof iterations !== 'number' || !Number.isSafeInteger(iterations)) throw refuse('bad iteration count');
  if (typeof salt !== 'string' || (fromBase64(salt)?.length ?? 0) < SALT_BYTES) throw refuse('salt shorter than 16 bytes');
  if (alg === KDF_ALG) {
    if (iterations < PBKDF2_MIN_ITERATIONS) throw refuse(`PBKDF2 iterations below ${PBKDF2_MIN_ITERATIONS}`);
    if (iterations > MAX_KDF_ITERATIONS) throw refuse('iteration count out of range');
    return { alg, iterations, salt };
  }
  if (alg === TEST_KDF_ALG && settings?.testOnlyFastKdf) {
    if (iterations < TEST_KDF_ITERATIONS) throw refuse('test KDF iterations below its floor');
    return { alg, iterations, salt };
  }
  throw refuse(alg === TEST_KDF_ALG ? 'a test-only KDF on a real platform' : 'unknown algorithm');
}

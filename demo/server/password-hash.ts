/**
 * Password hashing for the demo API: scrypt (RFC 7914) with a random 16-byte salt per user, the
 * parameters stored beside the hash so they can be raised later, and a constant-time comparison.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** A stored password hash. Never contains the password. */
export interface PasswordHash {
  readonly alg: 'scrypt';
  /** CPU/memory cost (a power of two). */
  readonly N: number;
  readonly r: number;
  readonly p: number;
  /** base64 */
  readonly salt: string;
  /** base64, {@link KEY_LENGTH} bytes */
  readonly hash: string;
}

/** 2^15 × 8 × 128 B = 32 MiB per hash, about 0.1 s here (OWASP's scrypt floor is N=2^17 with r=8; a demo trades some of it for a fast start). */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  // Node's default maxmem (32 MiB) is exactly what N=2^15, r=8 needs, and scrypt wants headroom.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Hashes `password` with a fresh salt.
 *
 * @example
 * ```ts
 * const stored = await hashPassword('correct horse');
 * await verifyPassword('correct horse', stored); // true
 * ```
 */
export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, PARAMS);
  return { alg: 'scrypt', ...PARAMS, salt: salt.toString('base64'), hash: key.toString('base64') };
}

/** Whether `password` matches `stored`, compared in constant time. A malformed record never matches. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  if (stored.alg !== 'scrypt' || expected.length !== KEY_LENGTH || stored.N > 2 ** 20 || stored.r > 32 || stored.p > 16) return false;
  const key = await derive(password, Buffer.from(stored.salt, 'base64'), stored);
  return timingSafeEqual(key, expected);
}

let decoy: Promise<PasswordHash> | undefined;

/**
 * Spends the same time as a real check, for an unknown username, so response time does not tell
 * which usernames exist. Always false.
 */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hashPassword('decoy password that matches nothing');
  await verifyPassword(password, await decoy);
  return false;
}

/** Whether `value` looks like a {@link PasswordHash} (for records read from disk). */
export function isPasswordHash(value: unknown): value is PasswordHash {
  const v = value as Partial<PasswordHash> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.alg === 'scrypt' &&
    Number.isInteger(v.N) &&
    Number.isInteger(v.r) &&
    Number.isInteger(v.p) &&
    typeof v.salt === 'string' &&
    typeof v.hash === 'string'
  );
}

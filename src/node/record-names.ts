/**
 * Store keys are arbitrary strings; file names are not. A key maps to a file name as follows:
 *
 * - `<hex>` — lowercase hex of the key's UTF-8 bytes, for well-formed keys of at most
 *   {@link MAX_DIRECT_BYTES} bytes. Lowercase hex is safe on case-insensitive file systems
 *   (macOS, Windows) and keeps prefixes: `hex(prefix)` is a prefix of `hex(key)`.
 * - `h<hex of the first 48 bytes>-<sha256 hex>` — longer keys. The leading bytes keep most prefix
 *   queries answerable from the name; the hash makes it unique.
 * - `u-<sha256 hex of the UTF-16 code units>` — keys with lone surrogates, which UTF-8 cannot
 *   carry losslessly.
 *
 * The real key is always stored inside the file too, so hashed names are resolved by reading it.
 */
import { createHash } from 'node:crypto';

/** Keys up to this many UTF-8 bytes get a direct, reversible name (2 hex digits each, under 255). */
export const MAX_DIRECT_BYTES = 120;
const HASHED_PREFIX_BYTES = 48;

// With the u flag a surrogate pair is one code point, so only lone surrogates match.
const LONE_SURROGATE = /\p{Surrogate}/u;
/** Whether `value` is valid UTF-16 (no lone surrogates), i.e. survives UTF-8 encoding. */
export function isWellFormed(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** The suffix of record files. */
export const RECORD_SUFFIX = '.json';

/** The file name (with suffix) of `key`. */
export function recordFileName(key: string): string {
  if (!isWellFormed(key)) {
    const units = Buffer.alloc(key.length * 2);
    for (let i = 0; i < key.length; i++) units.writeUInt16LE(key.charCodeAt(i), i * 2);
    return `u-${createHash('sha256').update(units).digest('hex')}${RECORD_SUFFIX}`;
  }
  const bytes = Buffer.from(key, 'utf8');
  if (bytes.length <= MAX_DIRECT_BYTES) return `${bytes.toString('hex')}${RECORD_SUFFIX}`;
  const head = bytes.subarray(0, HASHED_PREFIX_BYTES).toString('hex');
  return `h${head}-${createHash('sha256').update(bytes).digest('hex')}${RECORD_SUFFIX}`;
}

/**
 * What a file name says about whether its key starts with `prefix`:
 * `{ key }` decoded from the name and matching, `'no'`, or `'read'` (open the file to know).
 * Returns `'no'` for names that are not record files.
 */
export type NameMatch = { readonly key: string } | 'no' | 'read';

/** A matcher for `prefix`, to run over every file name of the records directory. */
export function prefixMatcher(prefix: string): (fileName: string) => NameMatch {
  const hexPrefix = isWellFormed(prefix) ? Buffer.from(prefix, 'utf8').toString('hex') : undefined;
  return (fileName) => {
    if (!fileName.endsWith(RECORD_SUFFIX)) return 'no';
    const stem = fileName.slice(0, -RECORD_SUFFIX.length);
    if (stem.startsWith('u-')) return 'read';
    if (stem.startsWith('h')) {
      if (hexPrefix === undefined) return 'read';
      const head = stem.slice(1, stem.indexOf('-'));
      if (head.length >= hexPrefix.length) return head.startsWith(hexPrefix) ? 'read' : 'no';
      return hexPrefix.startsWith(head) ? 'read' : 'no';
    }
    if (!/^(?:[0-9a-f]{2})*$/.test(stem)) return 'no';
    if (hexPrefix !== undefined && !stem.startsWith(hexPrefix)) return 'no';
    const key = Buffer.from(stem, 'hex').toString('utf8');
    return key.startsWith(prefix) ? { key } : 'no';
  };
}

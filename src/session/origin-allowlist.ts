/**
 * Which origins may receive the session's token. Origins are compared exactly (scheme, host and
 * port, as `URL.origin` normalises them): `https://api.example.com` does not allow
 * `http://api.example.com`, `https://api.example.com:8443` or `https://evil.example.com`.
 *
 * @module
 */
import { invalidArguments } from '../core/errors.js';

/** A set of allowed origins; see {@link createOriginAllowlist}. */
export interface OriginAllowlist {
  /** The normalised origins, for messages and docs. */
  readonly origins: readonly string[];
  /**
   * The origin of `url` when it is allowed, `undefined` otherwise. A relative `url` resolves against
   * `globalThis.location` when there is one (browsers); elsewhere only absolute URLs can match.
   */
  match(url: string | URL): string | undefined;
}

/**
 * An allowlist of origins. Each entry must be an absolute `http:` or `https:` URL; only its origin
 * counts (`https://api.example.com/v1` allows `https://api.example.com`).
 *
 * @throws VaultError `InvalidArguments` for an empty list, an entry that is not an absolute http(s)
 *   URL, or a wildcard (`*` is never allowed: the token would go anywhere).
 * @example
 * ```ts
 * const allowed = createOriginAllowlist(['https://api.example.com']);
 * allowed.match('https://api.example.com/me'); // 'https://api.example.com'
 * allowed.match('https://example.org/');       // undefined
 * ```
 */
export function createOriginAllowlist(allowedOrigins: readonly string[]): OriginAllowlist {
  if (!Array.isArray(allowedOrigins) || allowedOrigins.length === 0) {
    throw invalidArguments('allowedOrigins must list at least one origin, such as "https://api.example.com".');
  }
  const origins = new Set<string>();
  for (const entry of allowedOrigins) origins.add(parseOrigin(entry));
  return {
    origins: [...origins],
    match(url) {
      const origin = originOf(url);
      return origin !== undefined && origins.has(origin) ? origin : undefined;
    },
  };
}

function parseOrigin(entry: unknown): string {
  if (typeof entry !== 'string' || entry.includes('*')) {
    throw invalidArguments(`allowedOrigins entries must be absolute http(s) URLs without wildcards, got ${JSON.stringify(entry)}.`);
  }
  let url: URL;
  try {
    url = new URL(entry);
  } catch (cause) {
    throw invalidArguments(`allowedOrigins entry ${JSON.stringify(entry)} is not an absolute URL.`, { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidArguments(`allowedOrigins entry ${JSON.stringify(entry)} is not an http(s) URL.`);
  }
  return url.origin;
}

/**
 * `url` as an absolute URL: resolved against `globalThis.location` when there is one (browsers);
 * `undefined` when it is relative with no page to resolve against, or not a URL at all.
 */
export function resolveUrl(url: string | URL): URL | undefined {
  const base = (globalThis as { location?: { href?: unknown } }).location?.href;
  try {
    return new URL(url, typeof base === 'string' ? base : undefined);
  } catch {
    return undefined;
  }
}

/** The origin of `url`; `undefined` when it cannot be resolved or is opaque. */
function originOf(url: string | URL): string | undefined {
  const origin = resolveUrl(url)?.origin;
  // Opaque origins (data:, file: in some engines) serialise as "null": never a match.
  return origin === 'null' ? undefined : origin;
}

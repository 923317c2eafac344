/**
 * `createAuthFetch`: `fetch` with the vault user's token on the requests that may carry it.
 *
 * @module
 */
import { createAuthHeader, type AuthHeaderOptions, type SessionSource } from './auth-header.js';
import { resolveUrl } from './origin-allowlist.js';

/** Options of {@link createAuthFetch}. */
export interface AuthFetchOptions extends AuthHeaderOptions {
  /** The `fetch` to wrap. @default globalThis.fetch (looked up at each call) */
  fetch?: typeof fetch;
}

/**
 * Wraps `fetch` so that requests to an allowed origin carry `Authorization: Bearer <token>` from
 * `user`'s session (the answer to Identity Vault's "automatically adding your token to requests").
 *
 * - Only requests whose origin (`new URL(input, location).origin`) is in `allowedOrigins` read the
 *   session; others go out untouched and never prompt.
 * - A relative URL resolves against `globalThis.location` (browsers); without one (Node) the call
 *   rejects with a `TypeError`, as `fetch` itself does: use absolute URLs there.
 * - An `Authorization` header already on the request (in `init.headers` or on a `Request`) wins.
 * - No session, or a locked vault without `unlockOnAccess`: the request goes without the header.
 * - Under `unlockOnAccess` the request waits for the unlock; a failed unlock rejects the call with
 *   that `VaultError`.
 * - Redirects: the Fetch standard drops `Authorization` on a cross-origin redirect, so a token
 *   added here does not follow one to another origin.
 *
 * @throws VaultError `InvalidArguments` for bad `allowedOrigins` (at creation). The returned
 *   function rejects with `TypeError` for a URL it cannot resolve, and with the unlock's `VaultError`.
 * @example
 * ```ts
 * const authFetch = createAuthFetch(identityService, { allowedOrigins: ['https://api.example.com'] });
 * const me = await (await authFetch('https://api.example.com/me')).json();
 * ```
 */
export function createAuthFetch(user: SessionSource, options: AuthFetchOptions): typeof fetch {
  const authHeader = createAuthHeader(user, options);
  const explicitFetch = options.fetch;
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const doFetch = explicitFetch ?? globalThis.fetch;
    const request = input instanceof Request ? input : undefined;
    const headers = new Headers(init?.headers ?? request?.headers);
    if (headers.has('Authorization')) return doFetch(input, init);
    const url = request?.url ?? input.toString();
    if (resolveUrl(url) === undefined) {
      throw new TypeError(`createAuthFetch: cannot resolve ${JSON.stringify(url)} without a page location; use an absolute URL.`);
    }
    const value = await authHeader(url);
    if (value === undefined) return doFetch(input, init);
    headers.set('Authorization', value);
    return request !== undefined ? doFetch(new Request(request, { ...init, headers })) : doFetch(input, { ...init, headers });
  };
}

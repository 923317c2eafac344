/**
 * The `Authorization` header value for a request, from a vault user's session. Shared by
 * `createAuthFetch` and framework interceptors (see `README.md` for Angular).
 *
 * @module
 */
import { isVaultError, VaultErrorCodes } from '../core/errors.js';
import { createOriginAllowlist } from './origin-allowlist.js';

/**
 * What the helpers need from an `IonicIdentityVaultUser`: the token of the session in memory and a
 * way to read the session from the vault. Any `IonicIdentityVaultUser<T>` fits, whatever its session type.
 */
export interface SessionSource {
  /** The token of the session in memory (Identity Vault 4.x's `token`); `undefined` when none is. */
  readonly token: string | undefined;
  /** Reads the session from the vault into memory (unlocking first under `unlockOnAccess`). */
  restoreSession(): Promise<unknown>;
}

/** Options of {@link createAuthHeader}. */
export interface AuthHeaderOptions {
  /**
   * The origins that may receive the token, such as `['https://api.example.com']`. Requests to any
   * other origin never read the session (so never prompt) and never carry the token.
   */
  allowedOrigins: readonly string[];
  /** The authorization scheme. @default 'Bearer' */
  scheme?: 'Bearer';
}

/**
 * The header value for a request to `url`: `undefined` when the origin is not allowed or there is
 * no session token, else `"Bearer <token>"`.
 */
export type AuthHeader = (url: string | URL) => Promise<string | undefined>;

/**
 * Creates the function that computes the `Authorization` value for a URL: the user's `token`, and
 * when no session is in memory, `user.restoreSession()` first (the 4.x apps' own
 * `if (!this.token) await this.restoreSession()`), so a locked vault is unlocked first when the
 * user was created with `unlockOnAccess` (and the request waits for the user); otherwise a locked
 * vault gives no header.
 *
 * @throws VaultError `InvalidArguments` for bad `allowedOrigins` (at creation); the returned function
 *   rejects with the unlock's errors under `unlockOnAccess` (`UserCanceledInteraction`, …).
 * @example
 * ```ts
 * const authHeader = createAuthHeader(identityService, { allowedOrigins: ['https://api.example.com'] });
 * const value = await authHeader('https://api.example.com/me'); // 'Bearer eyJ…' or undefined
 * ```
 * @example An Angular HttpInterceptor (the whole file is in src/session/README.md)
 * ```ts
 * intercept(request: HttpRequest<unknown>, next: HttpHandler): Observable<HttpEvent<unknown>> {
 *   if (request.headers.has('Authorization')) return next.handle(request);
 *   return from(this.authHeader(request.url)).pipe(
 *     switchMap((value) => next.handle(value === undefined ? request : request.clone({ setHeaders: { Authorization: value } }))),
 *   );
 * }
 * ```
 */
export function createAuthHeader(user: SessionSource, options: AuthHeaderOptions): AuthHeader {
  const allowlist = createOriginAllowlist(options.allowedOrigins);
  const scheme = options.scheme ?? 'Bearer';
  return async (url) => {
    if (allowlist.match(url) === undefined) return undefined;
    if (user.token === undefined) {
      try {
        await user.restoreSession();
      } catch (error) {
        // Locked without unlockOnAccess: no prompt was allowed, so the request goes without a token.
        if (isVaultError(error) && error.code === VaultErrorCodes.VaultLocked) return undefined;
        throw error;
      }
    }
    const token = user.token;
    return typeof token === 'string' && token.length > 0 ? `${scheme} ${token}` : undefined;
  };
}

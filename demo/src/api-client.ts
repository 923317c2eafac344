/** The demo API (same origin, `/api`). */

/** `POST /api/login` answer. */
export interface LoginResult {
  readonly token: string;
  readonly username: string;
  /** ISO time */
  readonly expiresAt: string;
}

/** `GET /api/me` answer. */
export interface Me {
  readonly username: string;
  readonly displayName: string;
  readonly email: string;
  /** ISO time, or null */
  readonly lastLogin: string | null;
}

/** An error answer of the API, with its message for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function json<T>(response: Response): Promise<T> {
  if (response.ok) return (await response.json()) as T;
  let code = 'http_error';
  let message = `The server answered ${response.status}.`;
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not JSON: keep the generic message.
  }
  throw new ApiError(response.status, code, message);
}

/** Logs in. @throws ApiError 401 for a wrong username or password. */
export async function login(username: string, password: string): Promise<LoginResult> {
  return json<LoginResult>(
    await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) }),
  );
}

/**
 * The signed-in user's profile. `doFetch` adds the token: `createAuthFetch(identity, …)` in the app,
 * or a fetch with an explicit header right after login.
 * @throws ApiError 401 when the token is missing, expired or revoked.
 */
export async function fetchMe(doFetch: typeof fetch): Promise<Me> {
  return json<Me>(await doFetch('/api/me', { headers: { accept: 'application/json' } }));
}

/** Revokes the token on the server. @throws ApiError 401 when it was already invalid. */
export async function logoutOnServer(doFetch: typeof fetch): Promise<void> {
  const response = await doFetch('/api/logout', { method: 'POST' });
  if (!response.ok) await json<never>(response);
}

/** A fetch that sends `token` as the bearer token (for the moments before the session is in the vault). */
export function fetchWithToken(token: string): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('Authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
}

/**
 * The demo API under `/api`:
 *
 * | route | answer |
 * | --- | --- |
 * | `POST /api/login` `{ username, password }` | `200 { token, username, expiresAt }`; 401 for wrong credentials |
 * | `GET /api/me` with `Authorization: Bearer <token>` | `200 { username, displayName, email, lastLogin }` |
 * | `POST /api/logout` with the bearer token | `204`; the token no longer works |
 *
 * Errors are JSON `{ error, message }`: 400 malformed JSON or missing fields, 401 bad credentials
 * or token, 404 unknown route, 405 wrong method (with `Allow`), 413 body too large, 415 not JSON.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DemoStore } from './demo-store.js';
import { bearerToken, HttpError, invalidToken, readJsonObject, requireString, sendError, sendJson } from './http-json.js';

type Handler = (request: IncomingMessage, response: ServerResponse, store: DemoStore) => Promise<void>;

const login: Handler = async (request, response, store) => {
  const body = await readJsonObject(request);
  const username = requireString(body, 'username', 64);
  const password = requireString(body, 'password', 256);
  const user = await store.checkCredentials(username, password);
  if (user === undefined) {
    // One answer for unknown user and wrong password: the API does not say which usernames exist.
    throw new HttpError(401, 'invalid_credentials', 'Wrong username or password.');
  }
  const { token, expiresAt } = await store.issueToken(user);
  sendJson(response, 200, { token, username: user.username, expiresAt: new Date(expiresAt).toISOString() });
};

const me: Handler = async (request, response, store) => {
  const user = store.userForToken(bearerToken(request));
  if (user === undefined) throw invalidToken();
  sendJson(response, 200, { username: user.username, displayName: user.displayName, email: user.email, lastLogin: user.lastLogin });
};

const logout: Handler = async (request, response, store) => {
  if (!(await store.revokeToken(bearerToken(request)))) throw invalidToken();
  response.writeHead(204, { 'cache-control': 'no-store' });
  response.end();
};

const ROUTES: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
  '/api/login': { POST: login },
  '/api/me': { GET: me },
  '/api/logout': { POST: logout },
};

/** Answers one `/api/…` request. Never throws: every failure becomes a JSON error. */
export async function handleApi(request: IncomingMessage, response: ServerResponse, pathname: string, store: DemoStore): Promise<void> {
  try {
    const methods = Object.hasOwn(ROUTES, pathname) ? ROUTES[pathname] : undefined;
    if (methods === undefined) throw new HttpError(404, 'not_found', `No API route ${pathname}.`);
    const method = request.method ?? 'GET';
    const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (handler === undefined) {
      const allow = Object.keys(methods).join(', ');
      throw new HttpError(405, 'method_not_allowed', `${pathname} accepts ${allow}.`, { allow });
    }
    await handler(request, response, store);
  } catch (error) {
    if (!response.headersSent) sendError(response, error);
    else response.destroy();
  }
}

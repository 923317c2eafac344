/**
 * JSON over node:http for the demo API: reading a bounded JSON body, and answering with JSON or a
 * JSON error `{ "error": code, "message": words }`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body the API reads. */
export const MAX_BODY_BYTES = 8 * 1024;

/** An error the API answers with: status, stable code and a sentence for people. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Sends `body` as JSON; API answers are never cached. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}

/** Sends an {@link HttpError} (or a 500 for anything else, without its details). */
export function sendError(response: ServerResponse, error: unknown): void {
  if (error instanceof HttpError) {
    sendJson(response, error.status, { error: error.code, message: error.message }, error.headers);
    return;
  }
  console.error('demo API: unexpected error', error);
  sendJson(response, 500, { error: 'internal_error', message: 'Something went wrong on the server.' });
}

/**
 * Reads the request body as a JSON object.
 *
 * @throws HttpError 415 when it is not `application/json`; 413 when larger than
 *   {@link MAX_BODY_BYTES} (by `content-length` or as it streams); 400 for malformed JSON or a
 *   value that is not an object.
 */
export async function readJsonObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  const declared = Number(request.headers['content-length'] ?? '0');
  const body = await readBody(request, declared > MAX_BODY_BYTES ? 0 : MAX_BODY_BYTES);
  if (body === undefined) {
    throw new HttpError(413, 'payload_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes.`, { connection: 'close' });
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'malformed_json', 'The body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'invalid_body', 'The body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/** Bodies up to this size are read and dropped before a 413, so the client gets to read the answer. */
const DRAIN_LIMIT = 1024 * 1024;

/**
 * The body, or `undefined` when it is larger than `limit`. An oversized body is still read and
 * dropped (up to {@link DRAIN_LIMIT}) before the 413 goes out: closing a socket with unread data
 * makes Linux send a reset, and the client would see `ECONNRESET` instead of the answer.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > DRAIN_LIMIT) {
        request.off('data', onData).pause();
        resolve(undefined);
      }
    };
    request.on('data', onData);
    request.once('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
    request.once('error', reject);
  });
}

/** A required non-empty string field of at most `max` characters. @throws HttpError 400 */
export function requireString(body: Record<string, unknown>, field: string, max = 256): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new HttpError(400, 'missing_field', `"${field}" is required and must be a non-empty string.`);
  }
  if (value.length > max) throw new HttpError(400, 'invalid_field', `"${field}" is longer than ${max} characters.`);
  return value;
}

/**
 * The bearer token of the request (RFC 6750 §2.1).
 *
 * @throws HttpError 401 with `WWW-Authenticate` when there is none or it is malformed.
 */
export function bearerToken(request: IncomingMessage): string {
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(request.headers.authorization ?? '');
  if (!match?.[1]) {
    throw new HttpError(401, 'missing_token', 'Send the session token as "Authorization: Bearer <token>".', {
      'www-authenticate': 'Bearer realm="identity-vault-demo"',
    });
  }
  return match[1];
}

/** The 401 for a token that is unknown, expired or revoked. */
export function invalidToken(): HttpError {
  return new HttpError(401, 'invalid_token', 'The session token is invalid, expired or revoked. Log in again.', {
    'www-authenticate': 'Bearer realm="identity-vault-demo", error="invalid_token"',
  });
}

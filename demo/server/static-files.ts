/**
 * Serves the built app (Vite's `dist`) for `GET`/`HEAD`: `/` is `index.html`, hashed files under
 * `/assets/` are cached for a year, everything else is revalidated. Paths are resolved inside the
 * app directory only (no `..`, no symlink escapes).
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

function sendText(response: ServerResponse, status: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** The file for `pathname` inside `root`, or `undefined`. */
async function resolveFile(root: string, pathname: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const candidate = path.resolve(root, relative);
  if (candidate !== root && !candidate.startsWith(root + path.sep)) return undefined;
  try {
    const real = await realpath(candidate);
    if (!real.startsWith(root + path.sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Answers one request for the app's files.
 *
 * @param appDir - the built app; when it has no `index.html` the answer says how to build it.
 */
export async function serveStatic(request: IncomingMessage, response: ServerResponse, pathname: string, appDir: string): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendText(response, 405, 'Method not allowed.\n', { allow: 'GET, HEAD' });
    return;
  }
  let root: string;
  try {
    root = await realpath(appDir);
  } catch {
    sendText(response, 503, 'The demo app is not built: run `npm start`.\n');
    return;
  }
  const file = await resolveFile(root, pathname);
  if (file === undefined) {
    sendText(response, 404, 'Not found.\n');
    return;
  }
  const { size } = await stat(file);
  const immutable = path.relative(root, file).startsWith(`assets${path.sep}`);
  response.writeHead(200, {
    'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

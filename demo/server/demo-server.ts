/**
 * The demo's one HTTP server on 127.0.0.1: the built app and the API (`/api/*`) on one origin, so
 * the app needs no CORS and WebAuthn sees one relying party (`localhost`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApi } from './api-routes.js';
import { DemoStore } from './demo-store.js';
import { sendJson } from './http-json.js';
import { serveStatic } from './static-files.js';

/** Options of {@link startDemoServer}. */
export interface DemoServerOptions {
  /** The built app (Vite's outDir). */
  readonly appDir: string;
  /** Where the API keeps `users.json`. */
  readonly dataDir: string;
  /** 0 picks a free port. @default 5173 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Bearer token lifetime. @default 12 hours */
  readonly tokenTtlMs?: number;
  /** The API's clock (tests). @default Date.now */
  readonly now?: () => number;
}

/** A running demo server. */
export interface DemoServer {
  /** `http://localhost:PORT/` — `localhost`, a secure context, so WebCrypto and WebAuthn work over http. */
  readonly url: string;
  readonly port: number;
  readonly store: DemoStore;
  close(): Promise<void>;
}

/**
 * The app is small and same-origin: everything from 'self', nothing inline, no framing. The vault's
 * own CSS uses constructed stylesheets, which `style-src 'self'` allows.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'publickey-credentials-create=(self), publickey-credentials-get=(self), camera=(), microphone=(), geolocation=()',
};

/**
 * Only answer requests addressed to this server by a loopback name: a web page elsewhere cannot
 * reach the API through DNS rebinding (its requests carry its own host name).
 */
function hostAllowed(request: IncomingMessage, port: number): boolean {
  const host = (request.headers.host ?? '').toLowerCase();
  return host === `localhost:${port}` || host === `127.0.0.1:${port}` || host === `[::1]:${port}`;
}

/**
 * Starts the server.
 *
 * @example
 * ```ts
 * const server = await startDemoServer({ appDir: 'demo/dist', dataDir: 'demo/.data', port: 0 });
 * console.log(server.url);
 * await server.close();
 * ```
 */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const store = await DemoStore.open({
    dataDir: options.dataDir,
    ...(options.tokenTtlMs !== undefined ? { tokenTtlMs: options.tokenTtlMs } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  let port = 0;
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    if (!hostAllowed(request, port)) {
      sendJson(response, 421, { error: 'misdirected_request', message: 'Use http://localhost:' + port + '/.' });
      return;
    }
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname === '/api' || pathname.startsWith('/api/')) await handleApi(request, response, pathname, store);
    else await serveStatic(request, response, pathname, options.appDir);
  };
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('demo server: unexpected error', error);
      if (!response.headersSent) sendJson(response, 500, { error: 'internal_error', message: 'Something went wrong on the server.' });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 5173, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}/`,
    port,
    store,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * A tiny static server for browser tests: serves harness pages on 127.0.0.1 at a random port,
 * with bundles built on the fly by esbuild from TypeScript entries (the real `src/web` and core,
 * no mocks). Pages are opened as `http://localhost:PORT/…`, a secure context, so WebCrypto and
 * WebAuthn work over plain http.
 */
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const repoRoot = path.resolve(here, '../..');

/** Bundles the server can build: `/NAME.js` is built from `entries[NAME]`. */
const ENTRIES: Readonly<Record<string, string>> = {
  harness: path.join(here, 'entry.ts'),
  conformance: path.join(here, 'conformance-entry.ts'),
};

/** A running harness server. */
export interface HarnessServer {
  /** `http://localhost:PORT` */
  readonly origin: string;
  /** The page that loads `bundle` (default `harness`) and sets `window.ivReady`. */
  pageUrl(bundle?: string): string;
  close(): Promise<void>;
}

function page(bundle: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>identity-vault harness</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { font-family: system-ui, sans-serif; margin: 2rem; } main { min-height: 60vh; }</style>
</head>
<body><main><h1>identity-vault test page</h1><p id="secret">Account balance: 1,234.56</p>
<button id="focus-start" type="button">Start</button></main>
<script type="module" src="/${bundle}.js"></script></body></html>`;
}

/** A built bundle: its script, and the source map the script links to as `/NAME.js.map`. */
interface Bundle {
  readonly script: string;
  readonly sourceMap: string;
}

async function bundleOf(name: string): Promise<Bundle> {
  const entry = ENTRIES[name];
  if (!entry) throw new Error(`no bundle ${name}`);
  const result = await build({
    entryPoints: { [name]: entry },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // Linked, not inline: Chromium fetches a linked map only for DevTools, and an inline map made
    // every harness page parse about twice the text (measured: 0.48 s against 0.34 s a load).
    sourcemap: 'linked',
    outdir: path.join(repoRoot, 'test-results', 'harness-bundles'),
    write: false,
    absWorkingDir: repoRoot,
    logLevel: 'silent',
  });
  const script = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const sourceMap = result.outputFiles.find((file) => file.path.endsWith('.js.map'));
  if (!script || !sourceMap) throw new Error(`esbuild produced no script or map for ${name}`);
  return { script: script.text, sourceMap: sourceMap.text };
}

/**
 * Start a server; bundles are built once, on first request.
 *
 * @example
 * ```ts
 * const server = await startHarnessServer();
 * await page.goto(server.pageUrl());
 * ```
 */
export async function startHarnessServer(): Promise<HarnessServer> {
  const bundles = new Map<string, Promise<Bundle>>();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const send = (status: number, type: string, body: string): void => {
      // no-cache, not no-store: Chromium keeps no-store pages out of the back/forward cache.
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache' });
      response.end(body);
    };
    if (url.pathname === '/elsewhere.html') {
      // A page of the same origin without the vault, to navigate away to (bfcache tests).
      send(200, 'text/html; charset=utf-8', '<!doctype html><html lang="en"><title>elsewhere</title><p>elsewhere</p></html>');
      return;
    }
    const htmlMatch = /^\/(?:([a-z-]+)\.html)?$/.exec(url.pathname);
    if (htmlMatch) {
      const bundle = htmlMatch[1] ?? 'harness';
      if (!ENTRIES[bundle]) send(404, 'text/plain', 'not found');
      else send(200, 'text/html; charset=utf-8', page(bundle));
      return;
    }
    const jsMatch = /^\/([a-z-]+)\.js(\.map)?$/.exec(url.pathname);
    if (jsMatch?.[1] && ENTRIES[jsMatch[1]]) {
      const name = jsMatch[1];
      const wantsMap = jsMatch[2] !== undefined;
      let bundle = bundles.get(name);
      if (!bundle) bundles.set(name, (bundle = bundleOf(name)));
      bundle.then(
        ({ script, sourceMap }) => (wantsMap ? send(200, 'application/json; charset=utf-8', sourceMap) : send(200, 'text/javascript; charset=utf-8', script)),
        (error: unknown) => {
          bundles.delete(name);
          send(500, 'text/plain', String(error));
        },
      );
      return;
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('harness server has no port');
  const origin = `http://localhost:${address.port}`;
  return {
    origin,
    pageUrl: (bundle = 'harness') => `${origin}/${bundle === 'harness' ? '' : `${bundle}.html`}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

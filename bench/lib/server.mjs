/**
 * A tiny static server for the bench pages on 127.0.0.1 (opened as http://localhost:PORT, a secure
 * context, so WebCrypto and WebAuthn work). It serves esbuild bundles of the bench entries, built
 * once at start from the TypeScript sources, minified as an app would ship them.
 *
 * Pages are cross-origin isolated (COOP + COEP), which gives `performance.now()` 5 µs resolution
 * in Chromium instead of 100 µs; nothing the vault does depends on it.
 */
import { createServer } from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './paths.mjs';

/** Bundle name → entry. */
const ENTRIES = {
  bench: 'bench/page/bench-entry.ts',
  ready: 'bench/page/ready-entry.ts',
};

const HEADERS = {
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

function page(bundle) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>identity-vault bench</title></head>
<body><main><h1>identity-vault bench</h1></main><script type="module" src="/${bundle}.js"></script></body></html>`;
}

async function bundle(entry, minify) {
  const result = await build({
    entryPoints: [path.join(repoRoot, entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    write: false,
    absWorkingDir: repoRoot,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/**
 * Build the bundles and start the server. `minify: false` keeps function names (for profiles).
 * @param {{ minify?: boolean }} [options]
 * @returns {Promise<{ origin: string, url(bundle: string, hash?: string): string, close(): Promise<void> }>}
 */
export async function startBenchServer({ minify = true } = {}) {
  const bundles = Object.fromEntries(await Promise.all(Object.entries(ENTRIES).map(async ([name, entry]) => [name, await bundle(entry, minify)])));
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const send = (status, type, body) => {
      response.writeHead(status, { ...HEADERS, 'content-type': type });
      response.end(body);
    };
    const html = /^\/([a-z]+)\.html$/.exec(pathname);
    if (html && bundles[html[1]]) return send(200, 'text/html; charset=utf-8', page(html[1]));
    const js = /^\/([a-z]+)\.js$/.exec(pathname);
    if (js && bundles[js[1]]) return send(200, 'text/javascript; charset=utf-8', bundles[js[1]]);
    send(404, 'text/plain', 'not found');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://localhost:${server.address().port}`;
  return {
    origin,
    url: (name, hash = '') => `${origin}/${name}.html${hash ? `#${hash}` : ''}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

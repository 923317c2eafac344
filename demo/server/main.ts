/**
 * `npm start`: builds the demo app, starts the server (app + API) on 127.0.0.1 and prints the URL
 * and the demo users. `PORT` picks the port (default 5173); `DEMO_DATA_DIR` the API's data directory.
 */
import path from 'node:path';
import { buildDemoApp, demoRoot } from './build-app.js';
import { DEMO_USERS } from './demo-store.js';
import { startDemoServer, type DemoServer } from './demo-server.js';

function portFromEnv(): number {
  const raw = process.env['PORT'];
  if (raw === undefined || raw === '') return 5173;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a whole number from 0 to 65535, got ${JSON.stringify(raw)}.`);
    process.exit(1);
  }
  return port;
}

let server: DemoServer | undefined;
let stopping = false;
/** Closes the server (when it is up) and exits: on Ctrl+C, SIGTERM, or when our parent goes away. */
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  if (server === undefined) process.exit(0);
  void server.close().finally(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// `npm start` runs this under npm, through a shell (`sh -c "… && node demo/start.mjs"`). A SIGTERM
// to npm reaches the shell, which exits without passing it on, and we would be left serving with
// no one to stop us. So we also stop when our parent goes away: we are then re-parented (to init
// or a subreaper), and `process.ppid` changes.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 250).unref();

const started = performance.now();
const port = portFromEnv();
console.log('Building the demo app (Vite)…');
const appDir = await buildDemoApp();
async function start(appDir: string, port: number): Promise<DemoServer> {
  const dataDir = process.env['DEMO_DATA_DIR'] ?? path.join(demoRoot, '.data');
  try {
    return await startDemoServer({ appDir, dataDir, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`Port ${port} is in use. Start on another one: PORT=5180 npm start`);
      process.exit(1);
    }
    throw error;
  }
}

server = await start(appDir, port);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`
identity-vault demo is running (ready in ${seconds} s):

  ${server.url}

API on the same origin: POST /api/login, GET /api/me, POST /api/logout
Users: ${DEMO_USERS.map((u) => `${u.username} / ${u.password}`).join(',  ')}
Data:  ${path.relative(process.cwd(), server.store.file) || server.store.file}

Open the URL as "localhost" (a secure context: WebCrypto and WebAuthn need it). Ctrl+C stops.`);

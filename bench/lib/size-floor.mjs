/**
 * The floor under the size figure, measured rather than argued: how much of what an app loads
 * before its first prompt actually runs before it. Each size app (`bench/size-app`, built by Vite
 * as in size.mjs) is opened in headless Chromium on a vault that a first page set up, locked, with
 * a saved value, so the app's way in ends in its first prompt:
 *
 * - the 3.x/4.x app (`main.ts`): `restoreSession()` with `unlockOnAccess` on a PasscodeOnly vault,
 *   until the built-in passcode dialog shows;
 * - the 5.x/6.x app (`v5.ts`): `initialize`, `Device.isBiometricsEnabled`, `getValue` on a
 *   CustomPasscode vault, until its `onPasscodeRequested` handler calls `window.prompt` (replaced
 *   by one that cancels: Chromium takes no coverage while a JavaScript dialog is open).
 *
 * V8's precise coverage (block granularity) runs from the first byte until that prompt. Reported,
 * over the chunks loaded before the first prompt: the bytes that ran, those bytes gzipped as one
 * file, and per source file (through Vite's source maps) the bytes loaded and the bytes that ran.
 * No split can bring what loads before the prompt under the code that runs before it, so the
 * gzipped figure is the floor of any reshuffle of chunks; the files with the most bytes that did
 * not run are where moving code behind the prompt would pay. Two floors of moving code function
 * by function: optimistic (every function never called cut out, nothing left in its place), and
 * realistic (size-stubs.mjs: a stub where code that stays can still call it, the function whole
 * where no stub can), with the realistic one's stubs for synchronous functions too beside it.
 */
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { build as esbuild } from 'esbuild';
import { launchChromium } from './browser.mjs';
import { repoRoot } from './paths.mjs';
import { sourceOfEachByte } from './source-positions.mjs';

const appDir = path.join(repoRoot, 'bench/size-app');
import { splitChunks, viteChunks } from './size.mjs';
import { stubbedFloor } from './size-stubs.mjs';

/** A secure-context origin served entirely by `page.route` (no server to start or stop). */
const ORIGIN = 'http://localhost:4997';

/**
 * The first page of each app: the same library (from `src/`), the same default vault and web
 * platform as the size app, secured with a passcode and holding a value, then locked, so the size
 * app finds a locked vault and must ask for the passcode.
 */
const SEEDS = {
  v4: `
import { AuthMode, IonicIdentityVaultUser } from 'identity-vault';
class Seed extends IonicIdentityVaultUser {
  constructor() { super({ ready: () => Promise.resolve() }, { authMode: AuthMode.PasscodeOnly }); }
  async onPasscodeRequest() { return '2468'; }
}
const seed = new Seed();
await seed.login({ username: 'ada', token: 'abc', email: 'ada@example.com' });
await seed.lockOut();
window.seeded = true;
`,
  // The config of bench/size-app/v5.ts (the saved config wins over it anyway).
  v5: `
import { BrowserVault } from 'identity-vault';
const vault = new BrowserVault();
await vault.initialize({ key: 'com.example.size', type: 'CustomPasscode', deviceSecurityType: 'None', lockAfterBackgrounded: 5000,
  shouldClearVaultAfterTooManyFailedAttempts: true, customPasscodeInvalidUnlockAttempts: 5, unlockVaultOnLoad: false });
vault.onPasscodeRequested((isPasscodeSetRequest, onComplete) => onComplete('2468'));
await vault.setValue('session', { token: 'abc' });
await vault.lock();
window.seeded = true;
`,
};

/** Each app's page, and how its first prompt shows: the built-in dialog, or the app's `window.prompt`. */
const APP_PAGES = { v4: { html: 'index.html', prompt: 'dialog' }, v5: { html: 'v5.html', prompt: 'window.prompt' } };

async function seedScript(app) {
  const result = await esbuild({
    stdin: { contents: SEEDS[app], resolveDir: repoRoot, loader: 'js' },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    alias: { 'identity-vault': path.join(repoRoot, 'src/index.ts') },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/**
 * Which bytes of `source` ran (1) or not (0): V8 reports nested ranges (a function, then its
 * blocks) with a count each; painted outermost first, the innermost range decides each byte.
 */
function executedBytes(source, functions) {
  const ranges = functions.flatMap((fn) => fn.ranges).sort((a, b) => a.startOffset - b.startOffset || b.endOffset - a.endOffset);
  const ran = new Uint8Array(source.length);
  for (const { startOffset, endOffset, count } of ranges) ran.fill(count > 0 ? 1 : 0, startOffset, endOffset);
  return ran;
}

/** Which bytes of `source` are inside a function V8 never called (1): moving code at function granularity could take these out. */
function uncalledFunctions(source, functions) {
  const out = new Uint8Array(source.length);
  for (const fn of functions) if (fn.ranges[0].count === 0) out.fill(1, fn.ranges[0].startOffset, fn.ranges[0].endOffset);
  return out;
}

/**
 * One size app (`v4`, `v5`) run up to its first prompt: its Vite chunks (with source maps), those
 * loaded before the first prompt, and V8's block coverage of them until the prompt shows.
 */
export async function coverageUntilPrompt(app) {
  const { html, prompt } = APP_PAGES[app];
  const chunks = await viteChunks(html, { sourcemap: true });
  const { first } = splitChunks(chunks);
  const firstNames = new Set(first.map((chunk) => chunk.name));
  const files = new Map(chunks.map((chunk) => [`/${chunk.name}`, { type: 'text/javascript', body: chunk.code }]));
  for (const asset of chunks[0].assets) files.set(`/${asset.name}`, { type: asset.name.endsWith('.html') ? 'text/html' : 'text/plain', body: asset.source });
  files.set('/seed.js', { type: 'text/javascript', body: await seedScript(app) });
  files.set('/seed.html', { type: 'text/html', body: '<!doctype html><title>seed</title><script type="module" src="/seed.js"></script>' });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.route(`${ORIGIN}/**`, (route) => {
      const file = files.get(new URL(route.request().url()).pathname);
      return file ? route.fulfill({ contentType: file.type, body: file.body }) : route.fulfill({ status: 404, body: '' });
    });
    await page.goto(`${ORIGIN}/seed.html`);
    await page.waitForFunction(() => window.seeded === true, undefined, { timeout: 60_000 });
    await page.goto('about:blank');
    await page.coverage.startJSCoverage({ resetOnNavigation: false });
    if (prompt === 'dialog') {
      await page.goto(`${ORIGIN}/${html}`);
      await page.getByRole('dialog').waitFor({ timeout: 60_000 });
    } else {
      // The app's prompt is window.prompt. Chromium answers no DevTools call while a JavaScript
      // dialog is open, so the page's prompt is replaced: it notes the call and cancels (the app
      // then runs its cancel path, a few hundred bytes of error handling, before coverage is taken).
      await page.addInitScript(() => {
        window.prompt = () => {
          window.prompted = true;
          return null;
        };
      });
      await page.goto(`${ORIGIN}/${html}`);
      await page.waitForFunction(() => window.prompted === true, undefined, { timeout: 60_000 });
    }
    const coverage = (await page.coverage.stopJSCoverage())
      .map((entry) => ({ ...entry, name: new URL(entry.url).pathname.slice(1) }))
      .filter((entry) => firstNames.has(entry.name));
    return { chunks, first, coverage };
  } finally {
    await browser.close();
  }
}

/** One size app (`v4`, `v5`) up to its first prompt: loaded and executed bytes of its first-load chunks. */
export async function sizeFloor(app) {
  const { chunks, first, coverage } = await coverageUntilPrompt(app);
  let loaded = '';
  let ran = '';
  // The loaded code without the functions that were never called (their whole text): what the
  // first load would be if every one of them moved behind the prompt and nothing else changed.
  let calledFunctions = '';
  const perFile = new Map();
  for (const entry of coverage) {
    const name = entry.name;
    const chunk = chunks.find((c) => c.name === name);
    const executed = executedBytes(entry.source, entry.functions);
    const owner = sourceOfEachByte(entry.source, chunk.map.mappings);
    const files = chunk.map.sources.map((source) => path.relative(repoRoot, path.resolve(appDir, 'dist', path.dirname(name), source)));
    loaded += entry.source;
    const uncalled = uncalledFunctions(entry.source, entry.functions);
    for (let i = 0; i < entry.source.length; i++) {
      if (!uncalled[i]) calledFunctions += entry.source[i];
      if (executed[i]) ran += entry.source[i];
      const file = owner[i] === -1 ? '(Vite and Rollup glue)' : files[owner[i]];
      const counts = perFile.get(file) ?? { loaded: 0, ran: 0 };
      counts.loaded++;
      if (executed[i]) counts.ran++;
      perFile.set(file, counts);
    }
  }
  const gzip = (text) => gzipSync(text, { level: 9 }).length;
  // The realistic floor (size-stubs.mjs): a stub where code that stays can still call an uncalled
  // function, the function whole where no stub can stand in; and what the stubs alone cost.
  const firstChunks = chunks.filter((chunk) => first.some((f) => f.name === chunk.name));
  const figures = ({ minified, gzip, moved, stubbed, whole, stubBytes, wholeByFile }) => ({
    minified,
    gzip,
    moved,
    stubbed,
    whole,
    stubBytes,
    wholeByFile: wholeByFile.slice(0, 8),
  });
  const withStubs = figures(stubbedFloor(firstChunks, coverage));
  const everyStub = figures(stubbedFloor(firstChunks, coverage, { synchronousToo: true }));
  return {
    app,
    loaded: { minified: loaded.length, gzip: gzip(loaded) },
    ran: { minified: ran.length, gzip: gzip(ran) },
    calledFunctions: { minified: calledFunctions.length, gzip: gzip(calledFunctions) },
    withStubs,
    everyStub,
    chunks: first.length,
    files: [...perFile].map(([file, counts]) => ({ file, ...counts })).sort((a, b) => b.loaded - b.ran - (a.loaded - a.ran)),
  };
}

/**
 * Both apps' floors. The floor is an explanation, not a figure: an app whose floor cannot be
 * measured (no Chromium, a timeout) gets `{ app, error }` and the analysis says why it is missing.
 */
export async function sizeFloors() {
  const floors = [];
  for (const app of Object.keys(APP_PAGES)) floors.push(await sizeFloor(app).catch((error) => ({ app, error: String(error?.message ?? error) })));
  return floors;
}

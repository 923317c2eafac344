/**
 * The size figure, measured the way an app sees it: `bench/size-app` (an app written as the README
 * shows) built by Vite for production, every chunk gzipped at level 9. Reported:
 *
 * - what identity-vault adds to the app's entry chunk (the entry minus the same app's entry
 *   without identity-vault, `empty.ts`: Vite's own module-preload polyfill is not ours);
 * - what the app loads **before the first prompt**: the entry's share plus every chunk a call
 *   awaits on the way there (the web platform, picked at run time, is one);
 * - what comes **later**: the chunks loaded on first use (`ON_FIRST_USE`: the passcode dialog at
 *   the first passcode prompt, the WebAuthn ceremonies at the first biometric one, the privacy
 *   screen in the background once it is enabled, the device key at the first wrap or unwrap under
 *   it — never for a vault secured by passcode or biometrics —, the core's work after the
 *   prompt: opening wraps, key state, rotation, sealing, and the writes that change a vault's
 *   protection or many values; the session layer's AuthMode changes; key rotation's IndexedDB
 *   transaction) and what only they import.
 *
 * Who contributes what comes from an esbuild build of the same app with splitting (minified bytes
 * of each source file in the chunks loaded before the first prompt).
 */
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { repoRoot } from './paths.mjs';
import { sizeAllFloor } from './size-all.mjs';

const appDir = path.join(repoRoot, 'bench/size-app');
const src = path.join(repoRoot, 'src');

/** The apps measured: each an HTML page of `bench/size-app` and the script it loads. */
export const APPS = [
  {
    id: 'v4',
    short: '3.x/4.x API',
    label: '3.x/4.x API: `IdentityService extends IonicIdentityVaultUser`, as in the README',
    html: 'index.html',
    script: 'main.ts',
  },
  { id: 'v5', short: '5.x/6.x API', label: "5.x/6.x API: `BrowserVault` / `Vault` and `Device`, as Ionic's demos use them", html: 'v5.html', script: 'v5.ts' },
];

/** Modules the web platform loads with `import()` on first use, never before the first prompt. */
const ON_FIRST_USE = [
  // The web platform's first-use parts below are one chunk: every import() of them names this module.
  'src/web/on-first-use.ts',
  'src/ui/passcode-dialog.ts',
  'src/web/webauthn-biometrics.ts',
  'src/web/privacy-screen.ts',
  'src/web/device-key.ts',
  // The core's work after the prompt: loaded while the user answers it (an app opening an existing
  // vault), or at the first change of its protection (a new vault's setup).
  'src/core/after-prompt.ts',
  // Setting an AuthMode (a new vault's setup, login, logout, setAuthMode) or asking for a new
  // passcode: an app opening an existing vault does neither before its first prompt.
  'src/session/apply-auth-mode.ts',
  // Key rotation's one IndexedDB transaction (IndexedDbStore.rewrite): a rotation is a change of
  // protection on an unlocked vault, after its prompt; opening an existing vault never rotates.
  'src/web/rewrite-transaction.ts',
];

/**
 * Platforms the default plugin picks at run time instead of the web one (Capacitor on a native
 * device): a browser never loads their chunks, so they count neither before the first prompt nor
 * in what a web app loads; they are listed as "native only".
 */
const NOT_IN_A_BROWSER = ['src/capacitor/plugin-platform.ts'];

/** `identity-vault` and its subpaths resolved to `src/` (no build needed). */
const ALIASES = [
  { find: /^identity-vault\/(web|node|testing|capacitor)$/, replacement: `${src}/$1/index.ts` },
  { find: /^identity-vault$/, replacement: `${src}/index.ts` },
];

const gzip = (code) => gzipSync(code, { level: 9 }).length;
const relative = (id) => path.relative(repoRoot, id.replace(/^\0/, ''));

/**
 * The app's chunks as Vite writes them: name, bytes, gzip bytes, modules, imports (and `code`, `assets`: what size-floor.mjs serves).
 * `plugins` and `output` (Rollup output options) serve size-all.mjs's one-chunk build.
 */
export async function viteChunks(html, { sourcemap = false, plugins = [], output = {} } = {}) {
  const result = await viteBuild({
    root: appDir,
    configFile: false,
    logLevel: 'silent',
    plugins,
    resolve: { alias: ALIASES },
    build: { write: false, sourcemap, rollupOptions: { input: path.join(appDir, html), output } },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  const assets = outputs.filter((o) => o.type === 'asset').map((asset) => ({ name: asset.fileName, source: asset.source }));
  return outputs
    .filter((o) => o.type === 'chunk')
    .map((chunk) => ({
      name: chunk.fileName,
      code: chunk.code,
      map: chunk.map ?? undefined,
      assets,
      entry: chunk.isEntry,
      facade: chunk.facadeModuleId ? relative(chunk.facadeModuleId) : undefined,
      minified: Buffer.byteLength(chunk.code),
      gzip: gzip(chunk.code),
      modules: chunk.moduleIds.map(relative),
      imports: chunk.imports,
      dynamicImports: chunk.dynamicImports,
    }));
}

/**
 * The chunks loaded before the first prompt: from the entry, every static import and every
 * dynamic import except those of `ON_FIRST_USE` modules.
 */
export function splitChunks(chunks) {
  const byName = new Map(chunks.map((chunk) => [chunk.name, chunk]));
  // A chunk imported with import() for an ON_FIRST_USE module: its facade, or (when Rollup shares
  // the chunk with another lazy one and names no facade) one of its modules.
  const onFirstUse = (name) => {
    const chunk = byName.get(name);
    return chunk !== undefined && (ON_FIRST_USE.includes(chunk.facade) || chunk.modules.some((m) => ON_FIRST_USE.includes(m)));
  };
  const first = new Set();
  const visit = (name) => {
    if (first.has(name)) return;
    first.add(name);
    const chunk = byName.get(name);
    for (const next of chunk.imports) visit(next);
    for (const next of chunk.dynamicImports) if (!onFirstUse(next) && !NOT_IN_A_BROWSER.includes(byName.get(next)?.facade)) visit(next);
  };
  for (const chunk of chunks) if (chunk.entry) visit(chunk.name);
  // Everything a browser can load (lazy chunks too); the rest only native platforms load.
  const web = new Set();
  const visitWeb = (name) => {
    if (web.has(name)) return;
    web.add(name);
    const chunk = byName.get(name);
    for (const next of chunk.imports) visitWeb(next);
    for (const next of chunk.dynamicImports) if (!NOT_IN_A_BROWSER.includes(byName.get(next)?.facade)) visitWeb(next);
  };
  for (const chunk of chunks) if (chunk.entry) visitWeb(chunk.name);
  const native = new Set(chunks.filter((c) => !web.has(c.name)).map((c) => c.name));
  return {
    first: chunks.filter((c) => first.has(c.name)),
    later: chunks.filter((c) => !first.has(c.name) && !native.has(c.name)),
    native: chunks.filter((c) => native.has(c.name)),
  };
}

/** Minified bytes per source file in the chunks loaded before the first prompt (esbuild, splitting). */
async function contributors(script) {
  const result = await esbuild({
    entryPoints: [path.join(appDir, script)],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    metafile: true,
    outdir: path.join(appDir, 'dist'),
    alias: { 'identity-vault': path.join(src, 'index.ts'), 'identity-vault/web': path.join(src, 'web/index.ts') },
    absWorkingDir: repoRoot,
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  const first = new Set();
  const visit = (name) => {
    if (first.has(name)) return;
    first.add(name);
    for (const { path: next, kind } of outputs[name].imports) {
      if (kind === 'dynamic-import' && (ON_FIRST_USE.includes(outputs[next]?.entryPoint) || NOT_IN_A_BROWSER.includes(outputs[next]?.entryPoint))) continue;
      visit(next);
    }
  };
  for (const [name, output] of Object.entries(outputs)) if (output.entryPoint === relative(path.join(appDir, script))) visit(name);
  const files = new Map();
  for (const name of first)
    for (const [file, { bytesInOutput }] of Object.entries(outputs[name].inputs)) files.set(file, (files.get(file) ?? 0) + bytesInOutput);
  const list = [...files].map(([file, bytes]) => ({ file, bytes })).filter(({ bytes }) => bytes > 0);
  const groups = new Map();
  for (const { file, bytes } of list) {
    const group = file.startsWith('src/') ? file.split('/').slice(0, 2).join('/').replace(/\.ts$/, '') : path.dirname(file);
    groups.set(group, (groups.get(group) ?? 0) + bytes);
  }
  return {
    files: list.sort((a, b) => b.bytes - a.bytes),
    groups: [...groups].map(([group, bytes]) => ({ group, bytes })).sort((a, b) => b.bytes - a.bytes),
  };
}

const sum = (chunks, field) => chunks.reduce((total, chunk) => total + chunk[field], 0);

/** One app: the entry's share, before the first prompt, later, total; and which API modules it holds. */
async function measureApp(app, empty) {
  const chunks = await viteChunks(app.html);
  const { first, later, native } = splitChunks(chunks);
  const entry = chunks.find((chunk) => chunk.entry);
  const minus = (chunk) => ({ minified: chunk.minified - empty.minified, gzip: chunk.gzip - empty.gzip });
  const entryAdds = minus(entry);
  const firstLoad = { minified: sum(first, 'minified') - empty.minified, gzip: sum(first, 'gzip') - empty.gzip };
  const lazy = { minified: sum(later, 'minified'), gzip: sum(later, 'gzip') };
  const modules = chunks.flatMap((chunk) => chunk.modules).filter((m) => m.startsWith('src/'));
  return {
    ...app,
    entryAdds,
    firstLoad,
    lazy,
    total: { minified: firstLoad.minified + lazy.minified, gzip: firstLoad.gzip + lazy.gzip },
    chunks: chunks.map((chunk) => ({
      name: chunk.entry ? 'entry' : (chunk.facade ?? chunk.modules.find((m) => m.startsWith('src/')) ?? chunk.name),
      when: first.includes(chunk)
        ? chunk.entry
          ? 'entry'
          : 'before the first prompt'
        : native.includes(chunk)
          ? 'native platforms only (never in a browser)'
          : 'later (on first use)',
      minified: chunk.entry ? chunk.minified - empty.minified : chunk.minified,
      gzip: chunk.entry ? chunk.gzip - empty.gzip : chunk.gzip,
      modules: chunk.modules.filter((m) => m.startsWith('src/')),
    })),
    /** The 5.x API's modules in this app (`src/vault-api/`), and the 3.x/4.x session layer's. */
    holds: { vaultApi: modules.filter((m) => m.startsWith('src/vault-api/')), session: modules.filter((m) => m.startsWith('src/session/')) },
    contributors: await contributors(app.script),
    /** The floor under "all chunks": one chunk, one chunk without strings, per feature (size-all.mjs). */
    all: await sizeAllFloor(app).catch((error) => ({ error: String(error?.message ?? error) })),
  };
}

/** Every app's figures, and idb-keyval for scale. */
export async function sizeFigures() {
  const emptyChunks = await viteChunks('empty.html');
  const empty = emptyChunks.find((chunk) => chunk.entry);
  const apps = [];
  for (const app of APPS) apps.push(await measureApp(app, empty));
  const keyval = await esbuild({
    stdin: { contents: `import { get, set } from 'idb-keyval'; export const use = [get, set];`, resolveDir: repoRoot, loader: 'js' },
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return {
    vite: (await import('vite')).version,
    empty: { minified: empty.minified, gzip: empty.gzip },
    apps,
    onFirstUse: ON_FIRST_USE,
    keyval: { minified: keyval.outputFiles[0].contents.length, gzip: gzip(keyval.outputFiles[0].contents) },
  };
}

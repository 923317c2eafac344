/**
 * The floor under issue 16's "≤ 16 KB in all" (every chunk a web app can load, min+gzip),
 * measured in the run rather than argued. For each size app (size.mjs's `APPS`):
 *
 * - **one chunk**: the same app built by Vite with every `import()` inlined (Rollup's
 *   `output.inlineDynamicImports`), the Capacitor platform replaced by "not a native app" (a
 *   browser never loads it; size.mjs does not count it either). All chunks minus this is what
 *   splitting costs: each chunk is gzipped alone, so text two chunks share is paid twice.
 * - **one chunk without strings**: that chunk with every string literal and template text
 *   emptied (error messages, record field names in quotes, CSS, DOM texts, import specifiers),
 *   parsed with Rollup's parser (`parseAst`, re-exported by Vite). What the code alone weighs:
 *   no shortening of messages brings the app under it.
 * - **per source file and per feature**: what the one chunk loses, min+gzip, when the bytes of
 *   that file (or of every file of that feature) are cut out of it (bytes found through Vite's
 *   source map). A removed part's cost in context, not its size alone; what no part owns
 *   (text they share, Rollup's glue) is the rest.
 *
 * A feature's `issue` is the project issue that requires it (`issues show N`), so the table says
 * which issue a cut would break.
 */
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { parseAst } from 'vite';
import { repoRoot } from './paths.mjs';
import { viteChunks } from './size.mjs';
import { sourceOfEachByte } from './source-positions.mjs';

const appDir = path.join(repoRoot, 'bench/size-app');
const gzip = (code) => gzipSync(code, { level: 9 }).length;

/**
 * The features of a web app and the issue that asks for each: the first feature whose test
 * matches a source file owns it. Files of no feature (the app's own script) are "the app".
 */
export const FEATURES = [
  { name: '3.x/4.x session layer (IonicIdentityVaultUser, AuthMode)', issue: '3, 13', test: (f) => f.startsWith('src/session/') },
  { name: '5.x/6.x API (Vault, BrowserVault, Device, config)', issue: '14', test: (f) => f.startsWith('src/vault-api/') },
  { name: 'passcode dialog (accessible `<dialog>`, texts, styles)', issue: '4', test: (f) => f.startsWith('src/ui/') },
  {
    name: 'WebAuthn biometrics (PRF enrol/assert, availability, errors)',
    issue: '4',
    test: (f) => /^src\/web\/(webauthn-|prf-wrapping-key|biometric-type|bytes)/.test(f),
  },
  {
    name: 'privacy screen and page lifecycle',
    issue: '4',
    test: (f) => /^src\/web\/(privacy-screen|page-lifecycle|clock)/.test(f) || f === 'src/shared/timer-clock.ts',
  },
  { name: 'IndexedDB store and connection', issue: '4, 16', test: (f) => /^src\/web\/(idb-connection|indexeddb-store|prefix-range)/.test(f) },
  { name: 'device key (non-extractable CryptoKey)', issue: '4', test: (f) => f === 'src/web/device-key.ts' },
  { name: 'tabs: BroadcastChannel peers', issue: '11', test: (f) => f === 'src/web/broadcast-peers.ts' },
  {
    name: 'passcode: KDF, slots, attempts and wipe',
    issue: '2, 8',
    test: (f) => /^src\/core\/(kdf|kdf-params|passcode-slot|passcode-unlock|attempts|remaining-attempts|unlock-asking-again)\.ts$/.test(f),
  },
  { name: 'key wraps, key state and rotation', issue: '11', test: (f) => /^src\/core\/(key-wraps|key-state|key-rotation)\.ts$/.test(f) },
  { name: 'envelope, value records, record parsing, bytes', issue: '2, 16', test: (f) => /^src\/core\/(envelope|value-records|records|bytes)\.ts$/.test(f) },
  { name: 'argument and value checks (validate.ts)', issue: '2, 8', test: (f) => f === 'src/core/validate.ts' },
  { name: 'VaultError, codes and factories', issue: '2, 14', test: (f) => f === 'src/core/errors.ts' },
  {
    name: 'vault engine, state and 3.x/4.x facade',
    issue: '2, 12',
    test: (f) => /^src\/core\/(vault-engine|vault-state|identity-vault|unlock-method|background-lock)\.ts$/.test(f),
  },
  { name: 'plugin, platforms, loaders and the rest of core/shared/web', issue: '2, 4', test: (f) => /^src\//.test(f) },
];

/** Replaces the Capacitor platform's module by "not a native app": a browser never gets further. */
const noNativePlatform = {
  name: 'no-native-platform',
  enforce: 'pre',
  resolveId(source) {
    return source.endsWith('/capacitor/plugin-platform.js') ? '\0no-native-platform' : null;
  },
  load(id) {
    return id === '\0no-native-platform' ? 'export async function loadPluginPlatform() { return undefined; }' : null;
  },
};

/** `code` with every string literal's and template text's content emptied (quotes kept). */
export function withoutStrings(code) {
  const ranges = [];
  const visit = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'Literal' && typeof node.value === 'string') ranges.push([node.start + 1, node.end - 1]);
    else if (node.type === 'TemplateElement') ranges.push([node.start, node.end]);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') visit(value);
    }
  };
  visit(parseAst(code));
  let out = '';
  let at = 0;
  for (const [start, end] of ranges.sort((a, b) => a[0] - b[0])) {
    out += code.slice(at, start);
    at = end;
  }
  return out + code.slice(at);
}

/** `code` without the bytes whose owner (an index of `files`) the predicate accepts. */
function cut(code, owner, files, remove) {
  let out = '';
  for (let i = 0; i < code.length; i++) if (owner[i] === -1 || !remove(files[owner[i]])) out += code[i];
  return out;
}

/** One app's one-chunk floor, string-free floor, and per file and per feature costs. */
export async function sizeAllFloor(app) {
  const chunks = await viteChunks(app.html, { sourcemap: true, plugins: [noNativePlatform], output: { inlineDynamicImports: true } });
  const js = chunks.filter((chunk) => chunk.name.endsWith('.js'));
  if (js.length !== 1) throw new Error(`one chunk expected, Vite wrote ${js.length}`);
  const [chunk] = js;
  const { code } = chunk;
  const owner = sourceOfEachByte(code, chunk.map.mappings);
  const files = chunk.map.sources.map((source) => path.relative(repoRoot, path.resolve(appDir, 'dist', path.dirname(chunk.name), source)));
  const whole = gzip(code);
  const bytes = new Map();
  for (let i = 0; i < code.length; i++) {
    const file = owner[i] === -1 ? undefined : files[owner[i]];
    if (file) bytes.set(file, (bytes.get(file) ?? 0) + 1);
  }
  const perFile = [...bytes]
    .filter(([file]) => file.startsWith('src/'))
    .map(([file, minified]) => ({ file, minified, gzip: whole - gzip(cut(code, owner, files, (f) => f === file)) }))
    .sort((a, b) => b.gzip - a.gzip);
  const featureOf = (file) => FEATURES.find((feature) => feature.test(file));
  const features = FEATURES.map((feature) => {
    const own = perFile.filter(({ file }) => featureOf(file) === feature);
    return {
      name: feature.name,
      issue: feature.issue,
      files: own.length,
      minified: own.reduce((total, { minified }) => total + minified, 0),
      gzip: own.length === 0 ? 0 : whole - gzip(cut(code, owner, files, (f) => featureOf(f) === feature)),
    };
  }).filter(({ files: count }) => count > 0);
  const stringFree = withoutStrings(code);
  return {
    app: app.id,
    oneChunk: { minified: code.length, gzip: whole },
    withoutStrings: { minified: stringFree.length, gzip: gzip(stringFree) },
    features,
    files: perFile,
  };
}

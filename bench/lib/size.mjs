/**
 * The size figure: what an app ships when it bundles `identity-vault` + `identity-vault/web`
 * (esbuild: ESM, browser, minified, tree-shaken), gzipped at level 9, and who contributes what
 * (esbuild's metafile: minified bytes of each source file in the output).
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './paths.mjs';

const ENTRIES = {
  app: 'bench/page/app-entry.ts',
  root: 'bench/page/root-entry.ts',
  web: 'bench/page/web-entry.ts',
};
const KEYVAL_ENTRY = `import { get, set } from 'idb-keyval'; export const use = [get, set];`;

async function measure(options) {
  const result = await build({
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    treeShaking: true,
    write: false,
    metafile: true,
    absWorkingDir: repoRoot,
    logLevel: 'silent',
    ...options,
  });
  const output = result.outputFiles[0].contents;
  const [meta] = Object.values(result.metafile.outputs);
  const inputs = Object.entries(meta.inputs).map(([file, { bytesInOutput }]) => ({ file, bytes: bytesInOutput }));
  return { minified: output.length, gzip: gzipSync(output, { level: 9 }).length, inputs, text: result.outputFiles[0].text };
}

/**
 * What-if variants: the app bundle with some modules replaced by stubs that keep their exports,
 * i.e. what the first download would weigh if those modules were loaded with `import()` on first
 * use (a lazy loader adds about 0.1 KB).
 */
const WHAT_IF = {
  'built-in passcode dialog loaded on first prompt': ['src/web/passcode-dialog.ts'],
  'WebAuthn biometrics loaded on first use': ['src/web/webauthn-biometrics.ts', 'src/web/webauthn-errors.ts', 'src/web/biometric-type.ts'],
  'both': ['src/web/passcode-dialog.ts', 'src/web/webauthn-biometrics.ts', 'src/web/webauthn-errors.ts', 'src/web/biometric-type.ts'],
};

/** A module that exports the same runtime names as `file`, with empty bodies. */
function stubOf(file) {
  const source = readFileSync(file, 'utf8');
  const lines = [];
  for (const [, name] of source.matchAll(/^export (?:abstract )?class (\w+)/gm)) lines.push(`export class ${name} {}`);
  for (const [, name] of source.matchAll(/^export (?:async )?function (\w+)/gm)) lines.push(`export function ${name}() {}`);
  for (const [, name] of source.matchAll(/^export const (\w+)/gm)) lines.push(`export const ${name} = {};`);
  return lines.join('\n');
}

function stubPlugin(files) {
  const absolute = new Set(files.map((file) => path.join(repoRoot, file)));
  return {
    name: 'stub',
    setup(builder) {
      builder.onLoad({ filter: /\.ts$/ }, (args) => (absolute.has(args.path) ? { contents: stubOf(args.path), loader: 'js' } : undefined));
    },
  };
}

/**
 * Long string literals (messages, CSS) in a minified bundle: their bytes, and the gzip size of the
 * bundle with them emptied — a rough estimate of what shorter messages would save.
 */
function longStrings(code, minLength = 25) {
  let out = '';
  let bytes = 0;
  let i = 0;
  while (i < code.length) {
    const quote = code[i];
    if (quote === '"' || quote === "'" || quote === '`') {
      let j = i + 1;
      while (j < code.length && code[j] !== quote) j += code[j] === '\\' ? 2 : 1;
      const body = code.slice(i + 1, j);
      if (body.length >= minLength && !body.includes('${')) {
        bytes += body.length;
        out += quote + quote;
      } else out += code.slice(i, j + 1);
      i = j + 1;
    } else if (quote === '/' && /[=(,:;!&|?{}[]$/.test(out.trimEnd().slice(-1))) {
      // A regular expression literal: copy it whole.
      let j = i + 1;
      while (j < code.length && code[j] !== '/') j += code[j] === '\\' ? 2 : 1;
      out += code.slice(i, j + 1);
      i = j + 1;
    } else out += code[i++];
  }
  return { bytes, gzipWithout: gzipSync(out, { level: 9 }).length };
}

/** Minified bytes per group of source files (src/core, src/session, src/web, …). */
function byGroup(inputs) {
  const groups = new Map();
  for (const { file, bytes } of inputs) {
    const group = file.startsWith('src/') ? file.split('/').slice(0, 2).join('/') : file.startsWith('node_modules/') ? 'node_modules' : path.dirname(file);
    groups.set(group, (groups.get(group) ?? 0) + bytes);
  }
  return [...groups].map(([group, bytes]) => ({ group, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** Sizes of the app bundle and of each entry alone, with contributors. */
export async function sizeFigures() {
  const bundles = {};
  for (const [name, entry] of Object.entries(ENTRIES)) bundles[name] = await measure({ entryPoints: [path.join(repoRoot, entry)] });
  const keyval = await measure({ stdin: { contents: KEYVAL_ENTRY, resolveDir: repoRoot, loader: 'js' } });
  const app = bundles.app;
  const whatIf = [];
  for (const [variant, files] of Object.entries(WHAT_IF)) {
    const result = await measure({ entryPoints: [path.join(repoRoot, ENTRIES.app)], plugins: [stubPlugin(files)] });
    whatIf.push({ variant, minified: result.minified, gzip: result.gzip });
    if (variant === 'both') {
      const stripped = longStrings(result.text);
      whatIf.push({ variant: 'both, and long messages emptied (estimate)', minified: result.minified - stripped.bytes, gzip: stripped.gzipWithout });
    }
  }
  const strings = longStrings(app.text);
  const kdfFile = app.inputs.find((input) => input.file === 'src/core/kdf.ts');
  return {
    app: { minified: app.minified, gzip: app.gzip },
    root: { minified: bundles.root.minified, gzip: bundles.root.gzip },
    web: { minified: bundles.web.minified, gzip: bundles.web.gzip },
    keyval: { minified: keyval.minified, gzip: keyval.gzip },
    /** The KDF is WebCrypto's PBKDF2: no library code. `kdf.ts` is our parameter policy around it. */
    kdf: { libraryBytes: 0, wrapperMinified: kdfFile?.bytes ?? 0 },
    groups: byGroup(app.inputs),
    whatIf,
    strings,
    topFiles: [...app.inputs].sort((a, b) => b.bytes - a.bytes).slice(0, 10),
  };
}

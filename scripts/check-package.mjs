#!/usr/bin/env node
// `npm test` step: packs the package as `npm publish` would (after `npm run build` and `npm run
// docs`) and checks the tarball the way a user meets it, offline:
//   - what ships: every `exports`/`bin` target, the API reference (docs/api/*.md), no source maps
//     (src/ is not shipped, so maps would point nowhere), and every link in the shipped Markdown
//     works for a reader of the package: relative links resolve inside the package, links into
//     the repository (src/, test/) use its URL and name a file that exists; no "seed" in it;
//   - publint (package.json fields against the files) and @arethetypeswrong/cli (types under
//     node10, node16 CJS/ESM and bundler resolution), both reading the local tarball.
// Findings we accept are passed as explicit flags below and written down in docs/packaging.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(new URL('..', import.meta.url).pathname);
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const problems = [];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', ...options });
  return { ok: result.status === 0, out: `${result.stdout ?? ''}${result.stderr ?? ''}`, stdout: result.stdout ?? '' };
}

const dir = mkdtempSync(path.join(tmpdir(), 'identity-vault-pack-'));
try {
  // --ignore-scripts: `npm test` has just built dist/ and docs/api (prepack would do it again).
  const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir]);
  if (!packed.ok) throw new Error(`npm pack failed:\n${packed.out}`);
  const [info] = JSON.parse(packed.stdout);
  const tarball = path.join(dir, info.filename);
  const files = new Set(info.files.map((f) => f.path));
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

  // Every exports target and the bin ship.
  const targets = [];
  const collect = (value) => {
    if (typeof value === 'string') targets.push(value.replace(/^\.\//, ''));
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(pkg.exports);
  collect(pkg.bin);
  collect(pkg.typesVersions);
  for (const target of targets) if (!files.has(target)) problems.push(`${target} (in package.json) is not in the tarball; run npm run build`);

  // The API reference users read without cloning.
  for (const page of ['README.md', 'index.md', 'web.md', 'node.md', 'testing.md', 'capacitor.md', 'platform.md']) {
    if (!files.has(`docs/api/${page}`)) problems.push(`docs/api/${page} is not in the tarball; run npm run docs`);
  }

  // No maps into an unshipped src/, and nothing of src/ or tests.
  for (const file of files) {
    if (file.endsWith('.map')) problems.push(`${file}: source maps point into src/, which is not shipped`);
    if (/^(src|test|demo|bench)\//.test(file)) problems.push(`${file}: not meant to ship`);
  }
  // Modules that register something when imported must be listed in "sideEffects", or bundlers
  // drop a bare `import 'identity-vault/capacitor'`.
  const sideEffects = new Set((Array.isArray(pkg.sideEffects) ? pkg.sideEffects : []).map((f) => f.replace(/^\.\//, '')));
  for (const file of files) {
    if (!/\.(js|d\.ts)$/.test(file)) continue;
    const text = readFileSync(path.join(root, file), 'utf8');
    if (text.includes('sourceMappingURL=')) problems.push(`${file} names a source map`);
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    if (file.endsWith('.js') && /\b(registerPlugin|customElements\.define)\(/.test(code) && !sideEffects.has(file)) {
      problems.push(`${file} registers something when imported but is not in package.json "sideEffects"`);
    }
  }

  // Links in shipped Markdown must work for a reader of the package (the registry shows README.md
  // without the repository around it; docs/ is read from node_modules): a relative link must land
  // on a shipped file, and a link into src/, test/ … goes to the repository's URL instead — where
  // the file must exist, so a rename cannot leave it dead.
  const repository = String(pkg.repository?.url ?? '')
    .replace(/^git\+/, '')
    .replace(/\.git$/, '');
  const repoLink = new RegExp(`^${repository.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?:blob|tree)/main/([^#?]+)`);
  for (const file of files) {
    if (!file.endsWith('.md')) continue;
    const text = readFileSync(path.join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const [, href] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const inRepository = repository ? repoLink.exec(href) : null;
      if (inRepository) {
        if (!existsSync(path.join(root, inRepository[1]))) problems.push(`${file}: link "${href}" names ${inRepository[1]}, which is not in the repository`);
        continue;
      }
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), href.split('#')[0]));
      if (files.has(target) || files.has(`${target}/README.md`)) continue;
      problems.push(
        `${file}: link "${href}" points to ${target}, which is not in the package; link ${repository}/blob/main/${target} or name the file without a link`,
      );
    }
  }

  // The package speaks its own words: "the Identity Vault 3.x/4.x API", never "seed" (what the
  // project calls its starting material). package.json is left out: its scripts name test files.
  for (const file of files) {
    if (file === 'package.json' || !/\.(js|ts|md|json)$/.test(file)) continue;
    readFileSync(path.join(root, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/\bseed/i.test(line))
          problems.push(`${file}:${i + 1} says "seed"; say "the Identity Vault 3.x/4.x API" (or what is meant): ${line.trim().slice(0, 100)}`);
      });
  }

  const publint = run(bin('publint'), ['run', tarball, '--strict']);
  console.log(publint.out.trim());
  if (!publint.ok) problems.push('publint reported problems (above)');

  // Accepted (docs/packaging.md): a require() of this ESM-only package is `cjs-resolves-to-esm`
  // for TypeScript's node16 model, yet works on the Node versions in "engines" (require(esm)).
  const attw = run(bin('attw'), [tarball, '--no-definitely-typed', '--no-color', '--format', 'table', '--ignore-rules', 'cjs-resolves-to-esm']);
  console.log(attw.out.trim());
  if (!attw.ok) problems.push('@arethetypeswrong/cli reported problems (above)');

  console.log(
    `\nPacked ${info.filename}: ${info.entryCount} files, ${(info.size / 1024).toFixed(0)} kB packed, ${(info.unpackedSize / 1024).toFixed(0)} kB unpacked.`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`\nPackage check failed:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('Package check passed.');

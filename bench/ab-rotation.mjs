#!/usr/bin/env node
/**
 * A/B of key rotation between another commit and this tree, in one page, same run (issue 16: judge a
 * change by an interleaved A/B, never against an earlier run):
 *
 *   node bench/ab-rotation.mjs [ref=main] [--counts=10,1000] [--rounds=60]
 *
 * Bundles `ref`'s `src/` and `bench/page/` (git archive into a temporary directory) and this tree's
 * into one page (bench/page/ab-rotation.ts). Each round times `setPasscodeEnabled(false)` on both
 * builds' vaults and idb-keyval `setMany` back to back. A slot of the page can favour its build (the
 * database made second, the vault put back last): the whole run is done twice, with the builds in
 * swapped slots, and the change is the geometric mean of the two paired results, which cancels a
 * slot's constant bias (printed too). Rounds at 1,000 values and more are halved. Not part of
 * `npm run bench`; prints only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { launchChromium, openPage } from './lib/browser.mjs';
import { repoRoot } from './lib/paths.mjs';
import { median, pairedRatio } from './lib/stats.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const ref = args.find((arg) => !arg.startsWith('--')) ?? 'main';
const counts = option('counts', '10,1000').split(',').map(Number);
const rounds = Number(option('rounds', '60'));

const other = mkdtempSync(path.join(os.tmpdir(), 'identity-vault-ab-'));
const server = createServer();
let chrome;
try {
  const archive = execFileSync('git', ['archive', ref, 'src', 'bench/page'], { cwd: repoRoot, maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', other], { input: archive });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(other, 'node_modules'));
  const entry = path.join(other, 'ab-entry.ts');
  const vaults = (root) => JSON.stringify(path.join(root, 'bench/page/vaults.ts'));
  writeFileSync(
    entry,
    `import * as before from ${vaults(other)};
import * as after from ${vaults(repoRoot)};
import { rotationAB } from ${JSON.stringify(path.join(repoRoot, 'bench/page/ab-rotation.ts'))};
const run = (options: { count: number; rounds: number; warmup: number }, swapped: boolean) =>
  rotationAB(swapped ? { first: after, second: before } : { first: before, second: after }, { ...options, tag: swapped ? 'swapped' : 'named' });
Object.assign(window, { ab: run, abReady: true });
`,
  );
  const bundled = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'error',
  });
  const script = bundled.outputFiles[0].text;
  // Cross-origin isolated, as the bench's own server: 5 µs timers.
  const headers = { 'cache-control': 'no-store', 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  server.on('request', (request, response) => {
    const js = request.url === '/ab.js';
    response.writeHead(200, { ...headers, 'content-type': js ? 'text/javascript' : 'text/html' });
    response.end(js ? script : '<!doctype html><script type="module" src="/ab.js"></script>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  chrome = await launchChromium();
  const page = await openPage(chrome.context, `http://localhost:${server.address().port}/ab.html`, 'abReady');
  const load = () => os.loadavg()[0].toFixed(2);
  console.log(`key rotation, ${ref} (before) vs this tree (after); setPasscodeEnabled(false) against setMany`);
  for (const count of counts) {
    const options = { count, rounds: count >= 1000 ? Math.max(5, Math.round(rounds / 2)) : rounds, warmup: 2 };
    const runs = [];
    for (const swapped of [false, true]) {
      const startLoad = load();
      const samples = await page.evaluate(([o, s]) => window.ab(o, s), [options, swapped]);
      const [before, after] = swapped ? [samples.second, samples.first] : [samples.first, samples.second];
      const slotRatio = pairedRatio(samples.second, samples.first);
      runs.push(slotRatio);
      console.log(
        `  ${count} values, ${options.rounds} rounds, ${swapped ? 'swapped slots' : 'slots as named'} (load ${startLoad} -> ${load()}): ` +
          `before ${median(before).toFixed(3)} ms = ${pairedRatio(before, samples.keyval).toFixed(2)}x, ` +
          `after ${median(after).toFixed(3)} ms = ${pairedRatio(after, samples.keyval).toFixed(2)}x, setMany ${median(samples.keyval).toFixed(3)} ms`,
      );
    }
    // runs[0] = (after / before) * bias, runs[1] = (before / after) * bias.
    const change = Math.sqrt(runs[0] / runs[1]);
    const bias = Math.sqrt(runs[0] * runs[1]);
    console.log(`  ${count} values: after / before = ${change.toFixed(3)} (second slot's bias ${bias.toFixed(3)})`);
  }
} finally {
  await chrome?.close();
  server.close();
  rmSync(other, { recursive: true, force: true });
}

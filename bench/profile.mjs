#!/usr/bin/env node
/**
 * A DevTools CPU profile of one in-page figure, to see where a missed target's time goes:
 *
 *   node bench/profile.mjs storeOne            (or passcodeUnlock, getOne, storeThousand, biometricUnlock, unlockByStoreSize,
 *                                               rotationBreakdown: every step of a 1,000-value rotation and the whole
 *                                               `setPasscodeEnabled(false)`, interleaved)
 *
 * Prints the functions with the most self time (wall-clock samples of the page's main thread:
 * time waiting for IndexedDB or WebCrypto shows as "(idle)") and writes the full profile to
 * bench/profiles/<figure>.cpuprofile (open it in Chrome DevTools → Performance).
 * The bundle is not minified, so names are the source's.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { addVirtualAuthenticator, launchChromium, openPage } from './lib/browser.mjs';
import { repoRoot } from './lib/paths.mjs';
import { startBenchServer } from './lib/server.mjs';

const ARGS = {
  storeOne: { rounds: 20, warmup: 2, batch: 10 },
  getOne: { rounds: 20, warmup: 2, batch: 100 },
  storeThousand: { rounds: 1, warmup: 0, count: 1000 },
  passcodeUnlock: { rounds: 6, warmup: 1 },
  biometricUnlock: { rounds: 30, warmup: 3 },
  unlockByStoreSize: { rounds: 3, warmup: 1 },
  rotationBreakdown: { rounds: 3, warmup: 0, count: 1000 },
};

const figure = process.argv[2];
if (!(figure in ARGS)) {
  console.error(`usage: node bench/profile.mjs <${Object.keys(ARGS).join('|')}>`);
  process.exit(2);
}

const server = await startBenchServer({ minify: false });
const chrome = await launchChromium();
try {
  const page = await openPage(chrome.context, server.url('bench'), 'benchReady');
  if (figure === 'biometricUnlock') {
    await addVirtualAuthenticator(chrome.context, page);
    await page.bringToFront();
  }
  const cdp = await chrome.context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  await page.evaluate(([name, arg]) => window.bench[name](arg), [figure, ARGS[figure]]);
  const { profile } = await cdp.send('Profiler.stop');

  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${url.split('/').pop()}:${lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`${figure}: ${(total / 1000).toFixed(0)} ms sampled; self time by function:`);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`${(us / 1000).toFixed(1).padStart(9)} ms  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
  }
  const directory = path.join(repoRoot, 'bench', 'profiles');
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, `${figure}.cpuprofile`), JSON.stringify(profile));
  console.log(`\nfull profile: bench/profiles/${figure}.cpuprofile`);
} finally {
  await chrome.close();
  await server.close();
}

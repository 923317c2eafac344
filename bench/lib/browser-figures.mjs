/**
 * The browser figures, driven in headless Chromium: the main bench page runs the in-page figures;
 * the `ready()` figure opens new pages; the second-tab figure uses two pages of one origin.
 */
import { addVirtualAuthenticator, launchChromium, openPage } from './browser.mjs';
import { profileFigure } from './cpu-profile.mjs';
import { fileSystemOf } from './machine.mjs';
import { startBenchServer } from './server.mjs';

/** Run `what` in the page: `window.bench[what](arg)`. */
function call(page, what, arg) {
  return page.evaluate(([name, value]) => window.bench[name](value), [what, arg]);
}

async function inPageFigures(context, server, plan, log) {
  const page = await openPage(context, server.url('bench'), 'benchReady');
  const environment = await call(page, 'environment');
  const cdp = await context.newCDPSession(page);
  const { product } = await cdp.send('Browser.getVersion');
  await cdp.detach();
  const results = { environment: { ...environment, product } };
  log('unlock with passcode');
  results.passcode = await call(page, 'passcodeUnlock', plan.passcode);
  log('unlock with biometrics');
  const authenticator = await addVirtualAuthenticator(context, page);
  await page.bringToFront(); // WebAuthn in Chromium needs the page focused
  results.biometrics = await call(page, 'biometricUnlock', plan.biometrics);
  await authenticator.remove();
  log('storeValue / getValue 1 KB');
  results.store = await call(page, 'storeOne', plan.store);
  results.storeProfile = await profileFigure(context, page, 'storeOnly', { count: plan.store.profiled }, 'storeOnlyPrepare');
  results.get = await call(page, 'getOne', plan.get);
  log('1,000 sequential storeValue');
  results.thousand = await call(page, 'storeThousand', plan.thousand);
  log('breakdowns');
  results.storeBreakdown = await call(page, 'storeBreakdown', plan.store);
  results.storePhases = await call(page, 'storePhases', { count: 200 });
  results.unlockBreakdown = await call(page, 'unlockBreakdown', plan.breakdown);
  log('5.x Vault vs 3.x/4.x');
  results.v5 = { values: await call(page, 'v5Values', plan.v5), unlock: await call(page, 'v5Unlock', plan.passcode) };
  log('unlock with 10 / 1,000 / 10,000 values');
  results.scale = await call(page, 'unlockByStoreSize', plan.scale);
  log('data-key rotation with 10 / 1,000 / 10,000 values');
  results.rotation = await call(page, 'rotationBySize', plan.rotation);
  results.rotationBreakdown = await call(page, 'rotationBreakdown', plan.rotationBreakdown);
  results.rotationBreakdownSmall = await call(page, 'rotationBreakdown', plan.rotationBreakdownSmall);
  results.rotationPhases = await call(page, 'rotationPhases', plan.rotationPhases);
  // A prototype the vault does not ship (bench/page/rotation-mirror.ts): what re-encrypting from ciphertext already held would give.
  results.rotationMirror = await call(page, 'rotationMirror', plan.rotationMirror);
  await page.close();
  return results;
}

/** A new page of `hash` on the ready bundle; its `window.readyResult` (`{ ms, steps? }`). */
async function readyPage(context, server, hash) {
  const page = await openPage(context, server.url('ready', hash));
  try {
    await page.waitForFunction(() => window.readyResult !== undefined, undefined, { timeout: 30_000 });
    const result = await page.evaluate(() => window.readyResult);
    if ('error' in result) throw new Error(`ready page #${hash}: ${result.error}`);
    return result;
  } finally {
    await page.close();
  }
}

/**
 * `ready()` on a new page vs one idb-keyval `get` on a new page, one measuring page open at a
 * time. Each round is user, keyval, plugin, keyval: every vault page follows an idb-keyval page and
 * every idb-keyval page follows a vault page, so neither side opens a database another page was
 * closing a moment before. `keyval` pairs with `user`, `keyvalAfterPlugin` with `plugin`.
 */
async function readyFigure(context, server, plan) {
  await readyPage(context, server, 'setup');
  const order = [
    ['user', 'user'],
    ['keyval', 'keyval'],
    ['plugin', 'plugin'],
    ['keyvalAfterPlugin', 'keyval'],
  ];
  const samples = Object.fromEntries(order.map(([name]) => [name, []]));
  for (let round = 0; round < plan.warmup + plan.rounds; round++) {
    for (const [name, hash] of order) {
      const { ms } = await readyPage(context, server, hash);
      if (round >= plan.warmup) samples[name].push(ms);
    }
  }
  // The setup calls of the session layer, one by one, on new pages (for the breakdown), each after
  // a page that reads the vault's database with idb-keyval (IndexedDB's own cost there).
  const steps = { 'for comparison: idb-keyval get of the meta record from the vault database': [] };
  for (let i = 0; i < plan.stepPages; i++) {
    steps['for comparison: idb-keyval get of the meta record from the vault database'].push((await readyPage(context, server, 'raw')).ms);
    const result = await readyPage(context, server, 'steps');
    for (const [step, ms] of Object.entries(result.steps)) (steps[step] ??= []).push(ms);
  }
  return { ...samples, steps };
}

/** Tab A locks; tab B's `onLock` time minus A's call time. */
async function secondTabFigure(context, server, plan) {
  const a = await openPage(context, server.url('bench'), 'benchReady');
  const b = await openPage(context, server.url('bench'), 'benchReady');
  try {
    await call(a, 'tabOpen');
    await call(a, 'tabSeed');
    await call(b, 'tabOpen');
    const delays = [];
    for (let round = 0; round < plan.warmup + plan.rounds; round++) {
      await call(a, 'tabArm');
      await call(b, 'tabArm');
      const lockedAt = await call(a, 'tabLock');
      const seenAt = await call(b, 'tabLockSeenAt', 2_000);
      if (seenAt === null) throw new Error('tab B never saw the lock (2 s)');
      if (round >= plan.warmup) delays.push(seenAt - lockedAt);
    }
    return delays;
  } finally {
    await a.close();
    await b.close();
  }
}

/** Every browser figure. */
export async function browserFigures(plan, log) {
  const server = await startBenchServer();
  const chrome = await launchChromium();
  try {
    const results = await inPageFigures(chrome.context, server, plan, log);
    log('ready() on a new page');
    results.ready = await readyFigure(chrome.context, server, plan.ready);
    log('lock seen by a second tab');
    results.secondTab = await secondTabFigure(chrome.context, server, plan.secondTab);
    results.profileFileSystem = fileSystemOf(chrome.profileDir);
    return results;
  } finally {
    await chrome.close();
    await server.close();
  }
}

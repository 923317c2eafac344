/**
 * The main bench page's script: every in-page figure, exposed as `window.bench` for
 * `bench/run.mjs` to drive with `page.evaluate`. Bundled by esbuild from the TypeScript sources
 * (the real `src/web` and core).
 */
import { biometricUnlock, passcodeUnlock, unlockByStoreSize } from './unlock-figures.js';
import { getOne, storeOne, storeOnly, storeOnlyPrepare, storeThousand } from './store-figures.js';
import { unlockBreakdown, storeBreakdown, storePhases } from './breakdown.js';
import { rotationBreakdown, rotationBySize } from './rotation-figures.js';
import { rotationMirror } from './rotation-mirror.js';
import { rotationPhases } from './rotation-phases.js';
import { v5Unlock, v5Values } from './v5-figures.js';
import { tabArm, tabLock, tabLockSeenAt, tabOpen, tabSeed } from './tab-figures.js';

const bench = {
  passcodeUnlock,
  biometricUnlock,
  unlockByStoreSize,
  storeOne,
  getOne,
  storeThousand,
  storeOnly,
  storeOnlyPrepare,
  unlockBreakdown,
  storeBreakdown,
  storePhases,
  rotationBySize,
  rotationBreakdown,
  rotationMirror,
  rotationPhases,
  v5Values,
  v5Unlock,
  tabOpen,
  tabSeed,
  tabArm,
  tabLock,
  tabLockSeenAt,
  environment: () => ({ crossOriginIsolated: globalThis.crossOriginIsolated, userAgent: navigator.userAgent }),
};

/** What `bench/run.mjs` sees as `window.bench`. */
export type BenchApi = typeof bench;

declare global {
  interface Window {
    bench: BenchApi;
    benchReady: boolean;
  }
}

window.bench = bench;
window.benchReady = true;

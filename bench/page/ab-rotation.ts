/**
 * The page side of `bench/ab-rotation.mjs`: two builds of the vault in ONE page (another commit's
 * sources and this tree's, in the slots `first` and `second`; the driver runs both assignments,
 * since a slot may favour its build), each with its own database, and idb-keyval `setMany`, timed
 * round by round so a change to key rotation is judged against its parent in the same run.
 * The two timed rotations of a round run back to back, in one of the six orders of the three sides
 * (rotating round by round), and only then are both vaults put back (passcode on, then set: the
 * KDF and another rotation each), so the pair shares the machine's state of that moment.
 */
import { setMany } from 'idb-keyval';
import type { IdentityVault } from '../../src/index.js';
import { keyvalStoreWithDurability } from './baselines.js';
import { VALUE_1KB } from './values.js';
import type * as Vaults from './vaults.js';

type Side = 'first' | 'second' | 'keyval';
const ORDERS: ReadonlyArray<readonly [number, number, number]> = [
  [0, 1, 2],
  [1, 0, 2],
  [2, 0, 1],
  [0, 2, 1],
  [1, 2, 0],
  [2, 1, 0],
];

/** Rounds of `setPasscodeEnabled(false)` on a passcode vault of `count` values, in both builds. */
export async function rotationAB(
  builds: { readonly first: typeof Vaults; readonly second: typeof Vaults },
  options: { readonly count: number; readonly rounds: number; readonly warmup: number; readonly tag: string },
): Promise<Record<Side, number[]>> {
  const vaults = {} as Record<'first' | 'second', IdentityVault>;
  for (const side of ['first', 'second'] as const) {
    const build = builds[side];
    const name = `ab-${options.tag}-${side}-${options.count}`; // a database of its own per run: the last run's stay open
    await build.deleteDatabase(name);
    vaults[side] = await build.openVault(name, { vaultId: 'bench', username: `ab-${options.count}` });
    await build.fillVault(vaults[side], options.count, () => VALUE_1KB, 'passcode');
  }
  await builds.second.deleteDatabase(`ab-${options.tag}-keyval-${options.count}`);
  const store = keyvalStoreWithDurability(`ab-${options.tag}-keyval-${options.count}`, 'strict');
  const entries: Array<[IDBValidKey, unknown]> = Array.from({ length: options.count }, (_, i) => [`value-${i}`, VALUE_1KB]);
  const time = async (op: () => Promise<unknown>) => {
    const start = performance.now();
    await op();
    return performance.now() - start;
  };
  const sides: Side[] = ['first', 'second', 'keyval'];
  const run: Record<Side, () => Promise<number>> = {
    first: () => time(() => vaults.first.setPasscodeEnabled(false)),
    second: () => time(() => vaults.second.setPasscodeEnabled(false)),
    keyval: () => time(() => setMany(entries, store)),
  };
  const samples: Record<Side, number[]> = { first: [], second: [], keyval: [] };
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    for (const index of ORDERS[round % ORDERS.length]!) {
      const side = sides[index]!;
      const ms = await run[side]();
      if (round >= options.warmup) samples[side].push(ms);
    }
    for (const vault of Object.values(vaults)) {
      await vault.setPasscodeEnabled(true);
      await vault.setPasscode(builds.second.PASSCODE);
    }
  }
  return samples;
}

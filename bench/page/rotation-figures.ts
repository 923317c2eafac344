/**
 * Data-key rotation (issue 11): what a change of protection costs when every value is
 * re-encrypted under a new data key in one IndexedDB transaction, at 10, 1,000 and 10,000 values of
 * 1 KB, against idb-keyval `setMany` of the same values (one transaction, durability 'strict').
 * The timed change is turning the passcode off (a rotation with no KDF in it); each round turns it
 * back on untimed.
 */
import { setMany } from 'idb-keyval';
import { keyvalStoreWithDurability } from './baselines.js';
import { interleave, timeOnce, type Samples } from './timing.js';
import type { Rounds } from './unlock-figures.js';
import { VALUE_1KB } from './values.js';
import { PASSCODE, deleteDatabase, fillVault, openVault } from './vaults.js';

export const ROTATION_SIZES = [10, 1000, 10000] as const;

export async function rotationBySize(options: Rounds): Promise<Samples<string>> {
  const out: Record<string, number[]> = {};
  for (const count of ROTATION_SIZES) {
    const name = `bench-rotation-${count}`;
    await deleteDatabase(name);
    await deleteDatabase(`${name}-keyval`);
    const vault = await openVault(name, { vaultId: 'bench', username: `rotation-${count}` });
    await fillVault(vault, count, () => VALUE_1KB, 'passcode');
    const store = keyvalStoreWithDurability(`${name}-keyval`, 'strict');
    const entries: Array<[IDBValidKey, unknown]> = Array.from({ length: count }, (_, i) => [`value-${i}`, VALUE_1KB]);
    const samples = await interleave(
      {
        vault: async () => {
          const ms = await timeOnce(() => vault.setPasscodeEnabled(false));
          await vault.setPasscodeEnabled(true);
          await vault.setPasscode(PASSCODE);
          return ms;
        },
        keyval: () => timeOnce(() => setMany(entries, store)),
      },
      options,
    );
    out[`vault:${count}`] = samples.vault;
    out[`keyval:${count}`] = samples.keyval;
  }
  return out;
}

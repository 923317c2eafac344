/**
 * Value figures: `storeValue` and `getValue` of 1 KB against idb-keyval, one at a time and 1,000
 * in a row. idb-keyval is measured as shipped (durability `'default'`) and, through its own
 * `UseStore` seam, with `'strict'` (what the vault uses) and `'relaxed'`.
 */
import { get, set, type UseStore } from 'idb-keyval';
import type { IdentityVault } from '../../src/index.js';
import { keyvalStoreWithDurability } from './baselines.js';
import { storeFloor } from './store-floor.js';
import { interleave, perOperation, timeOnce, type Samples } from './timing.js';
import type { Rounds } from './unlock-figures.js';
import { VALUE_1KB } from './values.js';
import { deleteDatabase, openVault } from './vaults.js';

interface Subjects {
  readonly vault: IdentityVault;
  readonly strict: UseStore;
  readonly relaxed: UseStore;
  /** The same store with no vault around it (`store-floor.ts`), on a database of its own. */
  readonly floor: (key: string) => Promise<void>;
  /** The floor without the guard read: what the guard costs. */
  readonly unguarded: (key: string) => Promise<void>;
}

async function subjects(tag: string): Promise<Subjects> {
  for (const name of [`bench-${tag}`, `bench-${tag}-keyval-strict`, `bench-${tag}-keyval-relaxed`]) await deleteDatabase(name);
  const floor = await storeFloor(`bench-${tag}-floor`, { guard: true });
  const unguarded = await storeFloor(`bench-${tag}-unguarded`, { guard: false });
  await floor('session');
  await unguarded('session');
  // SecureStorage (the device key wraps the data key): values are encrypted, no user needed.
  const vault = await openVault(`bench-${tag}`, { vaultId: 'bench', username: tag });
  await vault.storeValue('session', VALUE_1KB);
  const strict = keyvalStoreWithDurability(`bench-${tag}-keyval-strict`, 'strict');
  const relaxed = keyvalStoreWithDurability(`bench-${tag}-keyval-relaxed`, 'relaxed');
  await set('session', VALUE_1KB);
  await set('session', VALUE_1KB, strict);
  await set('session', VALUE_1KB, relaxed);
  return { vault, strict, relaxed, floor, unguarded };
}

type StoreSides = 'vault' | 'keyval' | 'keyvalStrict' | 'keyvalRelaxed' | 'floor' | 'unguarded';

/**
 * One `storeValue` of 1 KB (encrypted, strict) vs one idb-keyval `set`; `batch` calls per sample.
 * The floor (the seal and the guarded strict transaction alone), and the same without the guard,
 * run in the same rounds, so the report can tell the vault's own cost from what any such store
 * costs on the machine as it is then, and what of that the guard is.
 */
export async function storeOne(options: Rounds & { batch: number }): Promise<Samples<StoreSides> & { keyvalDurability: string }> {
  const { vault, strict, relaxed, floor, unguarded } = await subjects('store');
  let keyvalDurability = 'unknown';
  // idb-keyval's default store, observed: the durability its transactions carry.
  await set(
    'probe',
    1,
    (mode, callback) =>
      new Promise((resolve) => {
        const request = indexedDB.open('keyval-store');
        request.onsuccess = () => {
          const tx = request.result.transaction('keyval', mode);
          keyvalDurability = (tx as IDBTransaction & { durability?: string }).durability ?? 'unknown';
          resolve(callback(tx.objectStore('keyval')));
          request.result.close();
        };
      }),
  );
  const samples = await interleave(
    {
      vault: () => perOperation(options.batch, () => vault.storeValue('session', VALUE_1KB)),
      keyval: () => perOperation(options.batch, () => set('session', VALUE_1KB)),
      keyvalStrict: () => perOperation(options.batch, () => set('session', VALUE_1KB, strict)),
      keyvalRelaxed: () => perOperation(options.batch, () => set('session', VALUE_1KB, relaxed)),
      floor: () => perOperation(options.batch, () => floor('session')),
      unguarded: () => perOperation(options.batch, () => unguarded('session')),
    },
    options,
  );
  return { ...samples, keyvalDurability };
}

/**
 * `getValue` of 1 KB on an unlocked vault (after its first read: the in-memory cache) vs idb-keyval
 * `get`, `batch` calls per sample; the first read after an unlock (IndexedDB + AES-GCM decrypt);
 * and the cold-start path, `unlock()` then the first `getValue` (device key read, unwrap, value
 * read, decrypt), each against one idb-keyval `get`.
 */
export async function getOne(options: Rounds & { batch: number }): Promise<Samples<'vault' | 'keyval' | 'vaultFirstRead' | 'keyvalOne' | 'unlockThenRead'>> {
  const { vault } = await subjects('get');
  await vault.getValue('session');
  return interleave(
    {
      vault: () => perOperation(options.batch, () => vault.getValue('session')),
      keyval: () => perOperation(options.batch, () => get('session')),
      vaultFirstRead: async () => {
        await vault.lock();
        await vault.unlock();
        return timeOnce(() => vault.getValue('session'));
      },
      keyvalOne: () => timeOnce(() => get('session')),
      unlockThenRead: async () => {
        await vault.lock();
        return timeOnce(async () => {
          await vault.unlock();
          await vault.getValue('session');
        });
      },
    },
    options,
  );
}

/**
 * 1,000 sequential `storeValue` of 1 KB under distinct keys vs 1,000 idb-keyval `set`s, and 1,000
 * stores of the floor with and without the guard (total milliseconds).
 */
export async function storeThousand(options: Rounds & { count: number }): Promise<Samples<'vault' | 'keyval' | 'keyvalStrict' | 'floor' | 'unguarded'>> {
  const { vault, strict, floor, unguarded } = await subjects('thousand');
  const total = async (op: (i: number) => Promise<unknown>): Promise<number> => options.count * (await perOperation(options.count, op));
  return interleave(
    {
      vault: () => total((i) => vault.storeValue(`value-${i}`, VALUE_1KB)),
      keyval: () => total((i) => set(`value-${i}`, VALUE_1KB)),
      keyvalStrict: () => total((i) => set(`value-${i}`, VALUE_1KB, strict)),
      floor: () => total((i) => floor(`value-${i}`)),
      unguarded: () => total((i) => unguarded(`value-${i}`)),
    },
    options,
  );
}

let profiled: IdentityVault | undefined;

/** Sets up the vault {@link storeOnly} writes to (outside the profile). */
export async function storeOnlyPrepare(): Promise<void> {
  profiled = (await subjects('profiled')).vault;
}

/**
 * `count` sequential `storeValue` calls of 1 KB and nothing else, for the CPU profile the bench
 * takes of them (`bench/lib/cpu-profile.mjs`): where the page's main thread spends a store.
 */
export async function storeOnly(options: { count: number }): Promise<number> {
  const vault = profiled ?? (await subjects('profiled')).vault;
  return perOperation(options.count, () => vault.storeValue('session', VALUE_1KB));
}

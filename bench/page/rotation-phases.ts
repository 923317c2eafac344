/**
 * Where one 10-value rotation's time goes, by timestamps the page takes around the platform calls
 * it makes (as `storePhases` does for a store; the prototypes are wrapped for the timed call only,
 * then put back), in the figure's own conditions: a passcode vault of 10 values held, each round
 * `setPasscodeEnabled(false)` timed, `setMany` of the same values, then the passcode turned back on.
 */
import { setMany } from 'idb-keyval';
import { keyvalStoreWithDurability } from './baselines.js';
import type { Rounds } from './unlock-figures.js';
import { VALUE_1KB } from './values.js';
import { PASSCODE, deleteDatabase, fillVault, openVault } from './vaults.js';

export type RotationPhase = 'beforeTransaction' | 'firstAnswer' | 'valuesAnswer' | 'toCommit' | 'commit' | 'afterComplete' | 'whole' | 'keyval';

/** The timestamps of one rotation, milliseconds from the call. */
interface Marks {
  firstCrypto?: number;
  transaction?: number;
  firstAnswer?: number;
  valuesAnswer?: number;
  commitCalled?: number;
  complete?: number;
}

/**
 * Per round: the call until `IDBDatabase.transaction()` returned its read-write transaction (new
 * data key, the values held sealed, the device key and its wrap dispatched); until that
 * transaction's first request answered (the meta guard); until the values' read answered; the page
 * from there to `commit()` (checks, finish's writes, the puts); `commit()` until `complete`; and
 * `complete` until the call resolved. Medians per phase over `rounds`, milliseconds.
 */
export async function rotationPhases(options: Rounds & { count: number }): Promise<Record<RotationPhase, number[]>> {
  const name = `bench-rotation-phases-${options.count}`;
  await deleteDatabase(name);
  await deleteDatabase(`${name}-keyval`);
  const vault = await openVault(name, { vaultId: 'bench', username: 'rotation-phases' });
  await fillVault(vault, options.count, () => VALUE_1KB, 'passcode');
  const store = keyvalStoreWithDurability(`${name}-keyval`, 'strict');
  const entries: Array<[IDBValidKey, unknown]> = Array.from({ length: options.count }, (_, i) => [`value-${i}`, VALUE_1KB]);
  const out = Object.fromEntries(
    (['beforeTransaction', 'firstAnswer', 'valuesAnswer', 'toCommit', 'commit', 'afterComplete', 'whole', 'keyval'] as const).map((phase) => [
      phase,
      [] as number[],
    ]),
  ) as Record<RotationPhase, number[]>;
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    const { marks, whole } = await timedRotation(() => vault.setPasscodeEnabled(false));
    const start = performance.now();
    await setMany(entries, store);
    const keyval = performance.now() - start;
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode(PASSCODE);
    if (round < options.warmup) continue;
    const { transaction, firstAnswer, valuesAnswer, commitCalled, complete } = marks;
    if ([transaction, firstAnswer, valuesAnswer, commitCalled, complete].some((mark) => mark === undefined)) {
      throw new Error(`a rotation's timestamps are missing: ${JSON.stringify(marks)}`);
    }
    out.beforeTransaction.push(transaction!);
    out.firstAnswer.push(firstAnswer! - transaction!);
    out.valuesAnswer.push(valuesAnswer! - firstAnswer!);
    out.toCommit.push(commitCalled! - valuesAnswer!);
    out.commit.push(complete! - commitCalled!);
    out.afterComplete.push(whole - complete!);
    out.whole.push(whole);
    out.keyval.push(keyval);
  }
  return out;
}

/** Runs `rotate` with the platform calls it makes timestamped; the prototypes are put back after. */
async function timedRotation(rotate: () => Promise<void>): Promise<{ marks: Marks; whole: number }> {
  const marks: Marks = {};
  const start = performance.now();
  const at = () => performance.now() - start;
  const transaction = IDBDatabase.prototype.transaction;
  const commit = IDBTransaction.prototype.commit;
  const generateKey = SubtleCrypto.prototype.generateKey;
  SubtleCrypto.prototype.generateKey = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['generateKey']>) {
    marks.firstCrypto ??= at();
    return generateKey.apply(this, args);
  } as SubtleCrypto['generateKey'];
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = transaction.apply(this, args);
    if (args[1] === 'readwrite' && marks.transaction === undefined) {
      marks.transaction = at();
      // Request events pass through their transaction in the capture phase (IndexedDB 3.0 §5.7).
      tx.addEventListener(
        'success',
        (event) => {
          marks.firstAnswer ??= at();
          const request = event.target as IDBRequest;
          if (marks.valuesAnswer === undefined && Array.isArray(request.result) && request.result.length > 0 && typeof request.result[0] === 'object') {
            marks.valuesAnswer = at();
          }
        },
        { capture: true },
      );
      tx.addEventListener('complete', () => (marks.complete = at()));
    }
    return tx;
  } as IDBDatabase['transaction'];
  IDBTransaction.prototype.commit = function (this: IDBTransaction) {
    if (marks.commitCalled === undefined && marks.transaction !== undefined) marks.commitCalled = at();
    return commit.call(this);
  };
  try {
    await rotate();
    return { marks, whole: at() };
  } finally {
    SubtleCrypto.prototype.generateKey = generateKey;
    IDBDatabase.prototype.transaction = transaction;
    IDBTransaction.prototype.commit = commit;
  }
}

/**
 * Where one 10-value rotation's time goes, by timestamps the page takes around the storage calls
 * it makes (as `storePhases` does for a store; the prototypes are wrapped for the timed call only,
 * then put back), in the figure's own conditions: its sides (`rotationSides`), a passcode vault of
 * the values held, `setPasscodeEnabled(false)` and `setMany` each timed right after the same setup.
 */
import { rotationSides } from './rotation-figures.js';
import { interleave } from './timing.js';
import type { Rounds } from './unlock-figures.js';

const PHASES = ['beforeTransaction', 'firstAnswer', 'valuesAnswer', 'toCommit', 'commit', 'afterComplete', 'whole', 'keyval'] as const;
export type RotationPhase = (typeof PHASES)[number];

/** The timestamps of one rotation, milliseconds from the call. */
export interface Marks {
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
 * `complete` until the call resolved; and the whole call and `setMany`, on the figure's own sides
 * (`rotationSides`: both timed right after the same untimed setup). Milliseconds per round.
 */
export async function rotationPhases(options: Rounds & { count: number }): Promise<Record<RotationPhase, number[]>> {
  const marks: Marks[] = [];
  const samples = await interleave(await rotationSides(`bench-rotation-phases-${options.count}`, options.count, marking(marks)), options);
  // interleave drops the warm-up rounds' samples; their marks go too. One rotation per round.
  return { ...phasesOf(marks.slice(options.warmup), samples.vault), keyval: samples.keyval };
}

/** A `timeRotation` for {@link rotationSides} (or any timed rotation) that keeps each call's marks in `marks`. */
export function marking(marks: Marks[]): (rotate: () => Promise<unknown>) => Promise<number> {
  return async (rotate) => {
    const timed = await timedRotation(rotate);
    marks.push(timed.marks);
    return timed.whole;
  };
}

/** Per phase, milliseconds per rotation, from each rotation's marks and whole time (in the same order). */
export function phasesOf(marks: readonly Marks[], wholes: readonly number[]): Record<Exclude<RotationPhase, 'keyval'>, number[]> {
  const out = Object.fromEntries(PHASES.filter((phase) => phase !== 'keyval').map((phase) => [phase, [] as number[]])) as Record<
    Exclude<RotationPhase, 'keyval'>,
    number[]
  >;
  marks.forEach((round, i) => {
    const { transaction, firstAnswer, valuesAnswer, commitCalled, complete } = round;
    if ([transaction, firstAnswer, valuesAnswer, commitCalled, complete].some((mark) => mark === undefined)) {
      throw new Error(`a rotation's timestamps are missing: ${JSON.stringify(round)}`);
    }
    const whole = wholes[i]!;
    out.beforeTransaction.push(transaction!);
    out.firstAnswer.push(firstAnswer! - transaction!);
    out.valuesAnswer.push(valuesAnswer! - firstAnswer!);
    out.toCommit.push(commitCalled! - valuesAnswer!);
    out.commit.push(complete! - commitCalled!);
    out.afterComplete.push(whole - complete!);
    out.whole.push(whole);
  });
  return out;
}

/** Runs `rotate` with the platform calls it makes timestamped; the prototypes are put back after. */
async function timedRotation(rotate: () => Promise<unknown>): Promise<{ marks: Marks; whole: number }> {
  const marks: Marks = {};
  const start = performance.now();
  const at = () => performance.now() - start;
  const transaction = IDBDatabase.prototype.transaction;
  const commit = IDBTransaction.prototype.commit;
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = transaction.apply(this, args);
    if (args[1] === 'readwrite' && marks.transaction === undefined) {
      marks.transaction = at();
      // A request's success event is dispatched with its transaction (and database) on the event's path
      // (IndexedDB 3.0, "fire a success event"), so a capture listener on the transaction sees every answer.
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
    IDBDatabase.prototype.transaction = transaction;
    IDBTransaction.prototype.commit = commit;
  }
}

/**
 * Timing helpers of the bench pages. Pages are served cross-origin isolated (COOP/COEP), so
 * `performance.now()` has 5 µs resolution instead of 100 µs; sub-millisecond operations are still
 * timed in batches and reported per operation.
 */

/** A high-resolution timestamp in milliseconds. */
export const now = (): number => performance.now();

/** A wall-clock timestamp comparable between two pages of one browser (`timeOrigin` + `now()`). */
export const wallNow = (): number => performance.timeOrigin + performance.now();

/** One measurement: resolves the milliseconds of one sample. */
export type Runner = () => Promise<number>;

/** Samples in milliseconds per runner name. */
export type Samples<K extends string> = Record<K, number[]>;

/**
 * Runs every runner once per round, rotating which goes first each round so that no side always
 * runs on a cache or disk state left by the other; the first `warmup` rounds are dropped.
 *
 * @example
 * ```ts
 * const samples = await interleave({ a: runA, b: runB }, { rounds: 20, warmup: 3 });
 * ```
 */
export async function interleave<K extends string>(runners: Record<K, Runner>, options: { rounds: number; warmup: number }): Promise<Samples<K>> {
  const names = Object.keys(runners) as K[];
  const samples = {} as Samples<K>;
  for (const name of names) samples[name] = [];
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length] as K;
      const ms = await runners[name]();
      if (round >= options.warmup) samples[name].push(ms);
    }
  }
  return samples;
}

/** Milliseconds per operation of `count` sequential, awaited calls of `op`. */
export async function perOperation(count: number, op: (index: number) => Promise<unknown>): Promise<number> {
  const start = now();
  for (let i = 0; i < count; i++) await op(i);
  return (now() - start) / count;
}

/** Milliseconds of one awaited call. */
export async function timeOnce(op: () => Promise<unknown>): Promise<number> {
  const start = now();
  await op();
  return now() - start;
}

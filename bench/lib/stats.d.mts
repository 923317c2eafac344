/** Types of stats.mjs, for its test (test/bench/stats.test.ts). */
export function median(values: readonly number[]): number;
export function quantile(values: readonly number[], q: number): number;
export function pairedRatio(subject: readonly number[], baseline: readonly number[]): number;
export function pairedRatioInterval(
  subject: readonly number[],
  baseline: readonly number[],
  options?: { readonly level?: number; readonly resamples?: number },
): [number, number];
export function pairedDifference(subject: readonly number[], baseline: readonly number[]): number;
export function pairedDifferenceInterval(
  subject: readonly number[],
  baseline: readonly number[],
  options?: { readonly level?: number; readonly resamples?: number },
): [number, number];
export function summary(values: readonly number[]): { median: number; p10: number; p90: number; n: number };
export function ms(value: number): string;
export function signedMs(value: number): string;
export function times(value: number): string;
export function timesWithInterval(value: number, interval?: readonly [number, number]): string;

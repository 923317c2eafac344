/** Statistics of the samples: medians and spreads. */

/** The median of `values` (NaN for none). */
export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The `q` quantile (0..1) of `values`, nearest rank. */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * The median over rounds of `subject[i] / baseline[i]`: both sides were measured in the same round
 * (interleaved), so a load spike or a slow phase of the machine hits both sides of a pair.
 */
export function pairedRatio(subject, baseline) {
  const n = Math.min(subject.length, baseline.length);
  return median(Array.from({ length: n }, (_, i) => subject[i] / baseline[i]));
}

/** The median over rounds of `subject[i] - baseline[i]`. */
export function pairedDifference(subject, baseline) {
  const n = Math.min(subject.length, baseline.length);
  return median(Array.from({ length: n }, (_, i) => subject[i] - baseline[i]));
}

/** `{ median, p10, p90, n }` of `values`. */
export function summary(values) {
  return { median: median(values), p10: quantile(values, 0.1), p90: quantile(values, 0.9), n: values.length };
}

/** Milliseconds for a table: 3 significant digits, µs below 0.1 ms. */
export function ms(value) {
  if (!Number.isFinite(value)) return '—';
  if (value < 0.1) return `${(value * 1000).toPrecision(3)} µs`;
  if (value >= 1000) return `${(value / 1000).toPrecision(3)} s`;
  return `${value.toPrecision(3)} ms`;
}

/** A ratio for a table. */
export function times(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '—';
}

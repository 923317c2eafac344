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

/**
 * How precisely this run's rounds pin down {@link pairedRatio}: a percentile bootstrap interval
 * (`level`, default 90%) of the median of the per-round ratios, resampling the rounds with
 * replacement. It says how far the result could move with another draw of the same number of
 * rounds on the machine as it was; not how far a run on another day could move. Deterministic: the
 * resampling's generator is seeded from the samples' count, so a report is reproducible from its
 * samples.
 */
export function pairedRatioInterval(subject, baseline, options = {}) {
  const n = Math.min(subject.length, baseline.length);
  return medianInterval(
    Array.from({ length: n }, (_, i) => subject[i] / baseline[i]),
    options,
  );
}

/**
 * The same interval for {@link pairedDifference}: of the median of the per-round differences.
 * Where two parts of one call are compared across rounds, a difference whose interval holds 0 is
 * not told apart from none in this run.
 */
export function pairedDifferenceInterval(subject, baseline, options = {}) {
  const n = Math.min(subject.length, baseline.length);
  return medianInterval(
    Array.from({ length: n }, (_, i) => subject[i] - baseline[i]),
    options,
  );
}

/** A percentile bootstrap interval of the median of `values` (the rounds resampled with replacement). */
function medianInterval(values, { level = 0.9, resamples = 2000 } = {}) {
  const n = values.length;
  if (n < 2) return [NaN, NaN];
  const random = seededRandom(n);
  const medians = [];
  const draw = new Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) draw[i] = values[Math.floor(random() * n)];
    medians.push(median(draw));
  }
  const tail = (1 - level) / 2;
  return [quantile(medians, tail), quantile(medians, 1 - tail)];
}

/** Mulberry32: a small seeded generator (the bootstrap needs reproducible draws, not secret ones). */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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

/** A signed difference in milliseconds for a table: "+1.20 ms" / "−0.300 ms". */
export function signedMs(value) {
  return `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}`;
}

/** A ratio for a table. */
export function times(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '—';
}

/** A ratio and, in brackets, its 90% interval, as the tables show them: "1.12× (1.08–1.17)"; the ratio alone without an interval (a run of one round). */
export function timesWithInterval(value, interval) {
  return interval && Number.isFinite(interval[0]) && Number.isFinite(interval[1])
    ? `${times(value)} (${interval[0].toFixed(2)}–${interval[1].toFixed(2)})`
    : times(value);
}

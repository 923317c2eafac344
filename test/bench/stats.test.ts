/**
 * The bench's interval for a paired result (bench/lib/stats.mjs `pairedRatioInterval`): what the
 * "close" verdicts of BENCHMARKS.md rest on.
 */
import { describe, expect, it } from 'vitest';
import { pairedDifference, pairedDifferenceInterval, pairedRatio, pairedRatioInterval } from '../../bench/lib/stats.mjs';

/** Per-round samples whose ratio to the baseline is `ratio` times a spread of ±`spread` (deterministic). */
function rounds(count: number, ratio: number, spread: number): { subject: number[]; baseline: number[] } {
  const baseline = Array.from({ length: count }, (_, i) => 1 + (i % 7) / 10);
  const subject = baseline.map((b, i) => b * ratio * (1 + spread * Math.sin(i * 2.3)));
  return { subject, baseline };
}

describe('pairedRatioInterval', () => {
  it('brackets the paired median ratio', () => {
    const { subject, baseline } = rounds(41, 1.2, 0.1);
    const [low, high] = pairedRatioInterval(subject, baseline);
    const median = pairedRatio(subject, baseline);
    expect(low).toBeLessThanOrEqual(median);
    expect(high).toBeGreaterThanOrEqual(median);
    expect(low).toBeGreaterThan(1.2 * 0.9 - 1e-9);
    expect(high).toBeLessThan(1.2 * 1.1 + 1e-9);
  });

  it('is the same for the same samples (a report can be recomputed)', () => {
    const { subject, baseline } = rounds(25, 1.1, 0.2);
    expect(pairedRatioInterval(subject, baseline)).toEqual(pairedRatioInterval(subject, baseline));
  });

  it('narrows as rounds are added', () => {
    const width = (count: number) => {
      const { subject, baseline } = rounds(count, 1.1, 0.2);
      const [low, high] = pairedRatioInterval(subject, baseline);
      return high - low;
    };
    expect(width(200)).toBeLessThan(width(15));
  });

  it('collapses to the ratio when every round agrees', () => {
    const baseline = [1, 2, 3, 4, 5, 6];
    expect(
      pairedRatioInterval(
        baseline.map((b) => b * 1.3),
        baseline,
      ),
    ).toEqual([expect.closeTo(1.3, 10), expect.closeTo(1.3, 10)]);
  });

  it('is undefined (NaN) below two rounds', () => {
    expect(pairedRatioInterval([1], [1]).every(Number.isNaN)).toBe(true);
  });
});

describe('pairedDifferenceInterval', () => {
  it('brackets the paired median difference', () => {
    const { subject, baseline } = rounds(41, 1.2, 0.1);
    const [low, high] = pairedDifferenceInterval(subject, baseline);
    const median = pairedDifference(subject, baseline);
    expect(low).toBeLessThanOrEqual(median);
    expect(high).toBeGreaterThanOrEqual(median);
  });

  it('holds 0 when the two sides differ only by noise, and not when one is steadily longer', () => {
    const baseline = Array.from({ length: 60 }, (_, i) => 1 + (i % 5) / 10);
    const noise = baseline.map((b, i) => b + 0.2 * Math.sin(i * 2.3));
    const [low, high] = pairedDifferenceInterval(noise, baseline);
    expect(low).toBeLessThan(0);
    expect(high).toBeGreaterThan(0);
    const longer = pairedDifferenceInterval(
      noise.map((value) => value + 0.5),
      baseline,
    );
    expect(longer[0]).toBeGreaterThan(0);
  });

  it('collapses to the difference when every round agrees', () => {
    const baseline = [1, 2, 3, 4, 5, 6];
    expect(
      pairedDifferenceInterval(
        baseline.map((b) => b + 0.25),
        baseline,
      ),
    ).toEqual([expect.closeTo(0.25, 10), expect.closeTo(0.25, 10)]);
  });
});

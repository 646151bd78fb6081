import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { resampledQuantileOf, type Interval } from './bootstrap.js';
import { bootstrapCi, median, medianRatio, quantileRatio } from './index.js';

function seeded(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  return () => uniformFloat64(rng);
}

const subject = Array.from({ length: 200 }, (_, i) => 100 + ((i * 37) % 61));
const reference = Array.from({ length: 150 }, (_, i) => 90 + ((i * 53) % 47));

describe('bootstrapCi', () => {
  it('is reproducible from the same random source and brackets the estimate', () => {
    const options = { resamples: 500, confidence: 0.95 };
    const first = bootstrapCi([subject, reference], medianRatio, { ...options, random: seeded(9) });
    const second = bootstrapCi([subject, reference], medianRatio, { ...options, random: seeded(9) });
    const other = bootstrapCi([subject, reference], medianRatio, { ...options, random: seeded(10) });
    expect(second).toEqual(first);
    expect(other.ciLow === first.ciLow && other.ciHigh === first.ciHigh).toBe(false);
    expect(first.estimate).toBeCloseTo(median(subject) / median(reference), 12);
    expect(first.ciLow).toBeLessThanOrEqual(first.estimate);
    expect(first.ciHigh).toBeGreaterThanOrEqual(first.estimate);
    expect(first.ciHigh - first.ciLow).toBeLessThan(0.3);
  });

  it('collapses to the value when every resample gives the same statistic', () => {
    const result = bootstrapCi(
      [
        [200, 200, 200],
        [100, 100],
      ],
      medianRatio,
      { resamples: 50, confidence: 0.9, random: seeded(1) },
    );
    expect(result).toEqual({ estimate: 2, ciLow: 2, ciHigh: 2 });
  });

  it('resamples each sample independently and survives a source returning 1', () => {
    const seen = new Set<string>();
    const statistic = (a: number[], b: number[]): number => {
      seen.add(`${a.length}/${b.length}`);
      return a.reduce((s, v) => s + v, 0) - b.reduce((s, v) => s + v, 0);
    };
    const result = bootstrapCi([[1, 2, 3], [10]], statistic, { resamples: 10, confidence: 0.5, random: () => 1 });
    expect([...seen]).toEqual(['3/1']);
    expect(result).toEqual({ estimate: -4, ciLow: -1, ciHigh: -1 });
  });

  it('quantileRatio compares the chosen quantile', () => {
    expect(quantileRatio(0.9)([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5])).toBe(10);
  });
});

describe('bootstrapCi of a quantile ratio (order statistics drawn directly, no resample)', () => {
  /** P(Binomial(n, q) ≥ k), summed exactly (n is small here). */
  function binomialAtLeast(n: number, q: number, k: number): number {
    let total = 0;
    let choose = 1;
    for (let j = 0; j <= n; j += 1) {
      if (j > 0) choose = (choose * (n - j + 1)) / j;
      if (j >= k) total += choose * q ** j * (1 - q) ** (n - j);
    }
    return total;
  }

  it('draws the k-th smallest resampled value with its exact distribution', () => {
    // In the sample 0..n−1 each value is its own rank, and p = (k − 1)/(n − 1) needs no interpolation.
    // The k-th smallest of a resample is ≤ r exactly when at least k of the n draws are ≤ r:
    // P = P(Binomial(n, (r + 1)/n) ≥ k). 100,000 draws put each empirical CDF value within 0.006 of it (> 4 σ).
    for (const [n, k] of [
      [11, 6],
      [21, 20],
      [9, 1],
      [9, 9],
    ] as const) {
      const p = (k - 1) / (n - 1);
      const draw = resampledQuantileOf(
        Array.from({ length: n }, (_, i) => i),
        p,
        seeded(n * 100 + k),
      );
      const draws = 100_000;
      const counts = new Array<number>(n).fill(0);
      for (let i = 0; i < draws; i += 1) {
        const value = draw();
        counts[value] = (counts[value] ?? 0) + 1;
      }
      let below = 0;
      for (let r = 0; r < n; r += 1) {
        below += counts[r] ?? 0;
        expect(Math.abs(below / draws - binomialAtLeast(n, (r + 1) / n, k)), `n=${n} k=${k} r=${r}`).toBeLessThan(
          0.006,
        );
      }
    }
  });

  it('gives the interval that sorting every resample gives, within Monte Carlo error, with ties, at the median, p95 and p99', () => {
    /** The textbook way: draw and sort every resample. */
    const sortingCi = (a: number[], b: number[], p: number, random: () => number, resamples: number): Interval =>
      bootstrapCi([a, b], (x: number[], y: number[]): number => quantileRatio(p)(x, y), {
        resamples,
        confidence: 0.95,
        random,
      });
    const tied = Array.from({ length: 301 }, (_, i) => 50 + ((i * 7) % 13));
    const smooth = Array.from({ length: 257 }, (_, i) => 80 + Math.sin(i) * 17.3 + i / 1000);
    for (const p of [0.5, 0.95, 0.99]) {
      for (const [a, b] of [
        [tied, smooth],
        [smooth, tied],
      ] as const) {
        const fast = bootstrapCi([a, b], quantileRatio(p), { resamples: 4000, confidence: 0.95, random: seeded(7) });
        const slow = sortingCi([...a], [...b], p, seeded(8), 4000);
        const width = slow.ciHigh - slow.ciLow;
        expect(fast.estimate).toBe(slow.estimate);
        expect(Math.abs(fast.ciLow - slow.ciLow), `p=${p} low`).toBeLessThan(0.1 * width + 1e-9);
        expect(Math.abs(fast.ciHigh - slow.ciHigh), `p=${p} high`).toBeLessThan(0.1 * width + 1e-9);
      }
    }
  });

  it('brackets the ratio of two identical 200,000-value samples tightly', () => {
    const big = Array.from({ length: 200_000 }, (_, i) => 5 + ((i * 7919) % 1000) / 100);
    const result = bootstrapCi([big, big], medianRatio, { resamples: 2000, confidence: 0.95, random: seeded(3) });
    expect(result.estimate).toBe(1);
    expect(result.ciLow).toBeLessThanOrEqual(1);
    expect(result.ciHigh).toBeGreaterThanOrEqual(1);
    expect(result.ciHigh - result.ciLow).toBeLessThan(0.02);
  });
});

import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
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

describe('bootstrapCi of a quantile ratio (counting, no sort per resample)', () => {
  /** The textbook way: sort every resample. */
  function sortingCi(samples: number[][], p: number, random: () => number, resamples: number): number[] {
    const plain = (a: number[], b: number[]): number => quantileRatio(p)(a, b);
    const result = bootstrapCi(samples, plain, { resamples, confidence: 0.95, random });
    return [result.estimate, result.ciLow, result.ciHigh];
  }

  it('equals sorting every resample to the last bit, with ties, at the median, p95 and p99', () => {
    const tied = Array.from({ length: 301 }, (_, i) => 50 + ((i * 7) % 13));
    const smooth = Array.from({ length: 257 }, (_, i) => 80 + Math.sin(i) * 17.3 + i / 1000);
    for (const p of [0, 0.5, 0.95, 0.99, 1]) {
      for (const [a, b] of [
        [tied, smooth],
        [smooth, tied],
        [[5], [3, 3]],
      ] as const) {
        const fast = bootstrapCi([a, b], quantileRatio(p), {
          resamples: 300,
          confidence: 0.95,
          random: seeded(p * 100 + a.length),
        });
        expect([fast.estimate, fast.ciLow, fast.ciHigh], `p=${p} n=${a.length}`).toEqual(
          sortingCi([[...a], [...b]], p, seeded(p * 100 + a.length), 300),
        );
      }
    }
  });
});

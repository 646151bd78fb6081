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

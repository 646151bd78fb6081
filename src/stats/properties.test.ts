// Properties every caller relies on, checked on seeded random data and brute-force enumeration.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { hodgesLehmann, ksTwoSample, mannWhitney } from './index.js';
import { kthPairwiseDifference } from './pairwise.js';
import { sortedCopy } from './rank.js';
import { UDistribution } from './u-distribution.js';

function seeded(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  return () => uniformFloat64(rng);
}

function logNormal(random: () => number, n: number, median: number, sigma: number): number[] {
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return median * Math.exp(sigma * z);
  });
}

/** Every way of choosing which k of n pooled positions belong to the first sample. */
function* combinations(n: number, k: number, start = 0): Generator<number[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let first = start; first <= n - k; first += 1) {
    for (const rest of combinations(n, k - 1, first + 1)) yield [first, ...rest];
  }
}

describe('Mann–Whitney properties', () => {
  it('keeps p-values in (0, 1] for many random sample pairs and all alternatives', () => {
    const random = seeded(1);
    for (let trial = 0; trial < 60; trial += 1) {
      const x = logNormal(random, 3 + (trial % 17), 100, 0.5).map((v) => Math.round(v / 10));
      const y = logNormal(random, 4 + (trial % 13), 110, 0.5).map((v) => Math.round(v / 10));
      for (const alternative of ['two-sided', 'greater', 'less'] as const) {
        const { p } = mannWhitney(x, y, alternative);
        expect(p).toBeGreaterThan(0);
        expect(p).toBeLessThanOrEqual(1);
      }
    }
  });

  it('gives p ≈ 1 (two-sided) for identical samples, exact and asymptotic', () => {
    const small = [3, 1, 4, 1.5, 9];
    const large = logNormal(seeded(2), 200, 100, 0.4);
    expect(mannWhitney(small, [...small], 'two-sided').p).toBe(1);
    expect(mannWhitney(large, [...large], 'two-sided').p).toBeGreaterThan(0.99);
    expect(mannWhitney(large, [...large]).u).toBe((200 * 200) / 2);
  });

  it('finds a large shift only in the direction it goes', () => {
    const random = seeded(3);
    const reference = logNormal(random, 300, 100, 0.3);
    const subject = logNormal(random, 300, 200, 0.3);
    expect(mannWhitney(subject, reference, 'greater').p).toBeLessThan(1e-30);
    expect(mannWhitney(subject, reference, 'two-sided').p).toBeLessThan(1e-30);
    expect(mannWhitney(subject, reference, 'less').p).toBeGreaterThan(0.999);
    expect(mannWhitney(reference, subject, 'less').p).toBeLessThan(1e-30);
  });

  it('uses the exact distribution only for small tie-free samples', () => {
    expect(mannWhitney([1, 2, 3], [4, 5, 6, 7]).method).toBe('exact');
    expect(
      mannWhitney(
        [1, 2, 3],
        Array.from({ length: 50 }, (_, i) => i + 0.5),
      ).method,
    ).toBe('exact');
    expect(mannWhitney([1, 2, 2], [4, 5, 6, 7]).method).toBe('asymptotic');
    expect(
      mannWhitney(
        Array.from({ length: 9 }, (_, i) => i),
        Array.from({ length: 9 }, (_, i) => i + 0.5),
      ).method,
    ).toBe('asymptotic');
  });

  it('exact U distribution equals brute-force enumeration of all arrangements', () => {
    const [n1, n2] = [4, 6];
    const histogram = new Map<number, number>();
    let count = 0;
    for (const chosen of combinations(n1 + n2, n1)) {
      // U = number of (x, y) pairs with x above y, x holding the chosen ranks.
      const u = chosen.reduce((sum, rank, index) => sum + rank - index, 0);
      histogram.set(u, (histogram.get(u) ?? 0) + 1);
      count += 1;
    }
    const distribution = new UDistribution(n1, n2);
    let running = 0;
    for (let u = 0; u <= n1 * n2; u += 1) {
      running += histogram.get(u) ?? 0;
      expect(distribution.cdf(u)).toBeCloseTo(running / count, 14);
      expect(distribution.sf(u)).toBeCloseTo(1 - (running - (histogram.get(u) ?? 0)) / count, 14);
    }
  });
});

describe('two-sample KS exact p-value', () => {
  it('equals brute-force enumeration for equal and unequal sizes and every alternative', () => {
    for (const [n1, n2] of [
      [3, 4],
      [4, 4],
      [2, 6],
    ] as const) {
      const pooled = Array.from({ length: n1 + n2 }, (_, i) => i);
      const arrangements = [...combinations(n1 + n2, n1)].map((chosen) => {
        const x = chosen;
        const y = pooled.filter((v) => !chosen.includes(v));
        return { x, y };
      });
      for (const alternative of ['two-sided', 'greater', 'less'] as const) {
        const stats = arrangements.map(({ x, y }) => ksTwoSample(x, y, alternative));
        for (const observed of stats) {
          const atLeast = stats.filter((other) => other.d >= observed.d - 1e-12).length;
          expect(observed.p).toBeCloseTo(atLeast / arrangements.length, 12);
        }
      }
    }
  });

  it('handles n = m = 1000 and unequal 1000 × 999 quickly and consistently', () => {
    const random = seeded(4);
    const x = logNormal(random, 1000, 100, 0.5);
    const y = logNormal(random, 1000, 105, 0.5);
    const equal = ksTwoSample(x, y);
    const unequal = ksTwoSample(x, y.slice(1));
    expect(equal.method).toBe('exact');
    // Dropping one point moves D by at most ~1/999, so the p-values stay in the same range.
    expect(Math.abs(unequal.d - equal.d)).toBeLessThan(0.0021);
    expect(unequal.p / equal.p).toBeGreaterThan(0.5);
    expect(unequal.p / equal.p).toBeLessThan(2);
  });
});

describe('Hodges–Lehmann', () => {
  it('recovers c when the subject is the reference shifted by c', () => {
    const reference = logNormal(seeded(5), 301, 100, 0.5);
    const subject = reference.map((value) => value + 12.5);
    const { estimate, ciLow, ciHigh } = hodgesLehmann(subject, reference);
    expect(estimate).toBeCloseTo(12.5, 9);
    expect(ciLow).toBeLessThan(12.5);
    expect(ciHigh).toBeGreaterThan(12.5);
  });

  it('selects the same order statistics as sorting all differences, ties and signs included', () => {
    const random = seeded(6);
    for (let trial = 0; trial < 20; trial += 1) {
      const xs = sortedCopy(Array.from({ length: 5 + trial }, () => Math.round((random() - 0.5) * 20) / 2));
      const ys = sortedCopy(Array.from({ length: 3 + 2 * trial }, () => Math.round((random() - 0.3) * 20) / 2));
      const all = sortedCopy([...xs].flatMap((x) => [...ys].map((y) => x - y)));
      for (const k of [1, 2, Math.ceil(all.length / 2), all.length - 1, all.length]) {
        expect(kthPairwiseDifference(xs, ys, k)).toBe(all[k - 1]);
      }
    }
  });

  it('returns an unbounded interval when the samples are too small for the confidence', () => {
    const result = hodgesLehmann([1, 2], [3, 4], 0.95);
    expect(result.estimate).toBe(-2);
    expect(result.ciLow).toBe(-Infinity);
    expect(result.ciHigh).toBe(Infinity);
  });

  it('narrows its interval as samples grow', () => {
    const random = seeded(7);
    const widths = [30, 300].map((n) => {
      const { ciLow, ciHigh } = hodgesLehmann(logNormal(random, n, 110, 0.4), logNormal(random, n, 100, 0.4));
      return ciHigh - ciLow;
    });
    expect(widths[1]).toBeLessThan((widths[0] ?? 0) / 2);
  });
});

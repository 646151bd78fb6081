import { describe, expect, it } from 'vitest';
import { tostLog } from './index.js';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { tQuantile } from './student-t.js';

/** Deterministic log-normal sample: exp of evenly spaced normal scores. */
function spread(n: number, median: number, sigma: number): number[] {
  return Array.from({ length: n }, (_, i) => median * Math.exp(sigma * normalQuantile((i + 0.5) / n, 0, 1)));
}

describe('tostLog', () => {
  it('shows equivalence for identical distributions with enough data', () => {
    const result = tostLog(spread(400, 100, 0.3), spread(400, 100, 0.3), 10);
    expect(result.ratio).toBeCloseTo(1, 12);
    expect(result.p).toBeLessThan(0.001);
    expect(result.ciLow).toBeLessThan(1);
    expect(result.ciHigh).toBeGreaterThan(1);
  });

  it('cannot show equivalence when the subject is 30% slower against a 10% margin', () => {
    const result = tostLog(spread(400, 130, 0.3), spread(400, 100, 0.3), 10);
    expect(result.ratio).toBeCloseTo(1.3, 10);
    expect(result.pLower).toBeLessThan(1e-6);
    expect(result.pUpper).toBeGreaterThan(0.99);
    expect(result.p).toBe(result.pUpper);
    expect(result.ciLow).toBeGreaterThan(1.1);
  });

  it('handles zero variance without NaN', () => {
    const result = tostLog([100, 100, 100], [100, 100], 5);
    expect(result).toEqual({ p: 0, pLower: 0, pUpper: 0, ratio: 1, ciLow: 1, ciHigh: 1 });
  });

  it('rejects non-positive values and too-small samples', () => {
    expect(() => tostLog([0, 1], [1, 2], 10)).toThrow(RangeError);
    expect(() => tostLog([1], [1, 2], 10)).toThrow(RangeError);
  });

  it('tQuantile inverts the t CDF', () => {
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 12);
    expect(tQuantile(0.05, 3)).toBeCloseTo(-2.353363434801824, 12);
    expect(tQuantile(0.95, 2.5)).toBeCloseTo(2.5582186141359355, 12);
    expect(tQuantile(0.95, 1e6)).toBeCloseTo(1.6448551507220404, 12);
  });
});

import { describe as suite, expect, it } from 'vitest';
import { describe, ecdf, median, quantile } from './index.js';

suite('describe and quantile', () => {
  it('interpolates type-7 quantiles between order statistics', () => {
    const sorted = [10, 20, 30, 40, 50];
    expect(quantile(sorted, 0)).toBe(10);
    expect(quantile(sorted, 1)).toBe(50);
    expect(quantile(sorted, 0.5)).toBe(30);
    expect(quantile(sorted, 0.1)).toBeCloseTo(14, 12);
    expect(quantile(sorted, 0.95)).toBeCloseTo(48, 12);
    expect(quantile([7], 0.99)).toBe(7);
    expect(() => quantile(sorted, 1.5)).toThrow(RangeError);
  });

  it('summarises an unsorted sample without reordering it', () => {
    const values = [5, 1, 4, 2, 3];
    const summary = describe(values);
    expect(summary).toEqual({
      n: 5,
      mean: 3,
      median: 3,
      p95: 4.8,
      p99: expect.closeTo(4.96, 12) as number,
      min: 1,
      max: 5,
    });
    expect(values).toEqual([5, 1, 4, 2, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('reports NaN statistics for an empty sample instead of throwing', () => {
    const summary = describe([]);
    expect(summary.n).toBe(0);
    expect(summary.median).toBeNaN();
    expect(summary.max).toBeNaN();
  });

  it('ecdf has one point per distinct value, ending at 1', () => {
    expect(ecdf([3, 1, 1, 2])).toEqual([
      [1, 0.5],
      [2, 0.75],
      [3, 1],
    ]);
    expect(ecdf([])).toEqual([]);
  });
});

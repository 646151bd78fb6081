import { describe, expect, it } from 'vitest';
import { fisherExact, twoProportions } from './index.js';

describe('twoProportions', () => {
  it('is antisymmetric when the groups swap', () => {
    const ab = twoProportions(40, 50, 30, 50);
    const ba = twoProportions(30, 50, 40, 50);
    expect(ba.z).toBeCloseTo(-ab.z, 12);
    expect(ba.pTwoSided).toBeCloseTo(ab.pTwoSided, 12);
    expect(ab.pGreater + ba.pGreater).toBeCloseTo(1, 12);
    expect(ba.ciLow).toBeCloseTo(-ab.ciHigh, 12);
    expect(ab.ciLow).toBeGreaterThan(0);
  });

  it('gives no evidence when both groups are all failures', () => {
    const result = twoProportions(0, 40, 0, 40);
    expect(result.z).toBe(0);
    expect(result.pTwoSided).toBe(1);
    expect(result.ciLow).toBeLessThan(0);
    expect(result.ciHigh).toBeGreaterThan(0);
  });

  it('rejects impossible counts', () => {
    expect(() => twoProportions(5, 4, 1, 2)).toThrow(RangeError);
    expect(() => twoProportions(0, 0, 1, 2)).toThrow(RangeError);
  });
});

describe('fisherExact', () => {
  it('sums the hypergeometric tail of the lady-tasting-tea table', () => {
    // 4 of 4 cups right out of 8: p = 1/70 one-sided, 2/70 two-sided.
    expect(fisherExact(4, 0, 0, 4, 'greater').p).toBeCloseTo(1 / 70, 14);
    expect(fisherExact(4, 0, 0, 4).p).toBeCloseTo(2 / 70, 14);
    expect(fisherExact(4, 0, 0, 4, 'less').p).toBeCloseTo(1, 14);
    expect(fisherExact(4, 0, 0, 4).oddsRatio).toBe(Infinity);
  });

  it('returns p = 1 and an undefined odds ratio when a margin is empty', () => {
    const result = fisherExact(0, 0, 3, 4);
    expect(result.p).toBe(1);
    expect(result.oddsRatio).toBeNaN();
  });

  it('rejects non-integer counts', () => {
    expect(() => fisherExact(1.5, 2, 3, 4)).toThrow(RangeError);
  });
});

// Compares van Elteren's stratified test and shift with values computed by scipy in golden/van_elteren.py.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mannWhitney } from './mann-whitney.js';
import { vanElteren, vanElterenShift, type Stratum } from './van-elteren.js';

interface GoldenCase {
  case: string;
  strata: Stratum[];
  statistic: number;
  mean: number;
  variance: number;
  z: number;
  p: Record<'greater' | 'less' | 'two-sided', number>;
  shift: { confidence: number; estimate: number; ciLow: number; ciHigh: number };
}

const golden = JSON.parse(readFileSync(new URL('./golden/van-elteren.json', import.meta.url), 'utf8')) as {
  cases: GoldenCase[];
};

describe('vanElteren against scipy', () => {
  for (const c of golden.cases) {
    it(`${c.case}: statistic, z and p in every direction`, () => {
      for (const alternative of ['greater', 'less', 'two-sided'] as const) {
        const result = vanElteren(c.strata, alternative);
        expect(result.statistic).toBeCloseTo(c.statistic, 9);
        expect(result.variance).toBeCloseTo(c.variance, 9);
        expect(result.z).toBeCloseTo(c.z, 9);
        expect(result.p).toBeCloseTo(c.p[alternative], 12);
      }
    });
    it(`${c.case}: the inverted shift and its 95% interval`, () => {
      const shift = vanElterenShift(c.strata, c.shift.confidence);
      expect(shift.estimate).toBeCloseTo(c.shift.estimate, 6);
      expect(shift.ciLow).toBeCloseTo(c.shift.ciLow, 6);
      expect(shift.ciHigh).toBeCloseTo(c.shift.ciHigh, 6);
    });
  }
});

describe('vanElteren properties', () => {
  it('with one stratum it is the Wilcoxon rank-sum z (Mann–Whitney without continuity correction)', () => {
    const [stratum] = golden.cases[0]?.strata ?? [];
    if (stratum === undefined) throw new Error('golden case missing');
    const ve = vanElteren([stratum], 'greater');
    const mw = mannWhitney(stratum.x, stratum.y, 'greater');
    // Mann–Whitney applies a 0.5 continuity correction; van Elteren does not, so p is a little smaller.
    expect(ve.p).toBeLessThan(mw.p);
    expect(ve.p).toBeGreaterThan(mw.p * 0.9);
  });

  it('leaves out strata with an empty sample, and refuses when none is left', () => {
    const usable = { x: [3, 4, 5], y: [1, 2, 3] };
    expect(vanElteren([usable, { x: [], y: [1] }]).strata).toBe(1);
    expect(() => vanElteren([{ x: [1], y: [] }])).toThrow(RangeError);
  });

  it('finds a common shift planted in every stratum', () => {
    const base = Array.from({ length: 50 }, (_, i) => 10 + (i % 10));
    const strata = [0, 100].map((offset) => ({ x: base.map((v) => v + offset + 5), y: base.map((v) => v + offset) }));
    expect(vanElterenShift(strata).estimate).toBeCloseTo(5, 6);
  });
});

// Compares every statistic with values computed by numpy/scipy in golden/generate.py.
import { readFileSync } from 'node:fs';
import { describe as suite, expect, it } from 'vitest';
import {
  describe,
  fisherExact,
  hodgesLehmann,
  holm,
  ksTwoSample,
  mannWhitney,
  mdePct,
  tostLog,
  twoProportions,
} from './index.js';
import type { Alternative } from './index.js';
import { kolmogorovSf, smirnovSf } from './kolmogorov.js';
import { mosesOrder } from './shift.js';

interface Golden {
  samples: Record<string, { x: number[]; y: number[] }>;
  mannWhitney: Array<{ case: string; alternative: Alternative; u: number; p: number }>;
  ks: Array<{ case: string; alternative: Alternative; d: number; p: number }>;
  describe: Array<{
    case: string;
    n: number;
    mean: number;
    median: number;
    p95: number;
    p99: number;
    min: number;
    max: number;
  }>;
  hodgesLehmann: Array<{
    case: string;
    confidence: number;
    estimate: number;
    order: number;
    ciLow: number;
    ciHigh: number;
  }>;
  tost: Array<{
    case: string;
    marginPct: number;
    pLower: number;
    pUpper: number;
    ratio: number;
    ciLow: number;
    ciHigh: number;
  }>;
  twoProportions: Array<{
    input: [number, number, number, number];
    pA: number;
    pB: number;
    diff: number;
    z: number;
    pTwoSided: number;
    pGreater: number;
    ciLow: number;
    ciHigh: number;
  }>;
  fisher: Array<{
    table: [number, number, number, number];
    alternative: Alternative;
    oddsRatio: number | null;
    p: number;
  }>;
  holm: { input: number[]; adjusted: number[] };
  mde: Array<{ input: [number, number, number, number, number]; mdePct: number }>;
  kolmogorov: Array<{ n: number; x: number; sf: number; smirnov: number }>;
}

const golden = JSON.parse(readFileSync(new URL('./golden/values.json', import.meta.url), 'utf8')) as Golden;

/** Statistics are deterministic arithmetic: they must agree to ~1e-9. */
const statisticTolerance = 1e-9;
/** p-values go through different special-function code paths; 1e-6 relative is the contract. */
const pTolerance = 1e-6;

function expectClose(actual: number, expected: number, relative: number, label: string): void {
  const scale = Math.max(Math.abs(expected), Number.MIN_VALUE);
  expect(Math.abs(actual - expected) / scale, `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(relative);
}

function sample(name: string): { x: number[]; y: number[] } {
  const found = golden.samples[name];
  if (found === undefined) throw new Error(`golden sample ${name} missing`);
  return found;
}

suite('golden values from scipy', () => {
  it('mannWhitney matches scipy.stats.mannwhitneyu(method="auto")', () => {
    expect(golden.mannWhitney.length).toBeGreaterThan(20);
    for (const row of golden.mannWhitney) {
      const { x, y } = sample(row.case);
      const result = mannWhitney(x, y, row.alternative);
      const label = `${row.case} ${row.alternative}`;
      expectClose(result.u, row.u, statisticTolerance, `${label} U`);
      expectClose(result.p, row.p, pTolerance, `${label} p`);
    }
  });

  it('ksTwoSample matches scipy.stats.ks_2samp(method="auto") in the exact and asymptotic regimes', () => {
    for (const row of golden.ks) {
      const { x, y } = sample(row.case);
      const result = ksTwoSample(x, y, row.alternative);
      const label = `${row.case} ${row.alternative}`;
      expect(result.method).toBe(Math.max(x.length, y.length) > 10_000 ? 'asymptotic' : 'exact');
      expectClose(result.d, row.d, statisticTolerance, `${label} D`);
      expectClose(result.p, row.p, pTolerance, `${label} p`);
    }
  });

  it('kolmogorovSf and smirnovSf match scipy.stats.kstwo.sf and scipy.special.smirnov on every branch', () => {
    for (const row of golden.kolmogorov) {
      expectClose(kolmogorovSf(row.n, row.x), row.sf, pTolerance, `kstwo n=${row.n} x=${row.x}`);
      expectClose(smirnovSf(row.n, row.x), row.smirnov, pTolerance, `smirnov n=${row.n} x=${row.x}`);
    }
  });

  it('describe matches numpy mean, median and type-7 quantiles', () => {
    for (const row of golden.describe) {
      const result = describe(sample(row.case).x);
      expect(result.n).toBe(row.n);
      for (const key of ['mean', 'median', 'p95', 'p99', 'min', 'max'] as const) {
        expectClose(result[key], row[key], statisticTolerance, `${row.case} ${key}`);
      }
    }
  });

  it('hodgesLehmann matches the numpy median of pairwise differences and the Moses order statistics', () => {
    for (const row of golden.hodgesLehmann) {
      const { x, y } = sample(row.case);
      const result = hodgesLehmann(x, y, row.confidence);
      const label = `${row.case} @${row.confidence}`;
      expect(mosesOrder(x.length, y.length, row.confidence), `${label} order`).toBe(row.order);
      expectClose(result.estimate, row.estimate, statisticTolerance, `${label} estimate`);
      expectClose(result.ciLow, row.ciLow, statisticTolerance, `${label} ciLow`);
      expectClose(result.ciHigh, row.ciHigh, statisticTolerance, `${label} ciHigh`);
    }
  });

  it('tostLog matches two one-sided Welch tests from scipy.stats.ttest_ind', () => {
    for (const row of golden.tost) {
      const { x, y } = sample(row.case);
      const result = tostLog(x, y, row.marginPct);
      expectClose(result.pLower, row.pLower, pTolerance, `${row.case} pLower`);
      expectClose(result.pUpper, row.pUpper, pTolerance, `${row.case} pUpper`);
      expect(result.p).toBe(Math.max(result.pLower, result.pUpper));
      expectClose(result.ratio, row.ratio, statisticTolerance, `${row.case} ratio`);
      // The CI bound goes through a t quantile found by bisection on the CDF: held to 1e-9 too.
      expectClose(result.ciLow, row.ciLow, statisticTolerance, `${row.case} ciLow`);
      expectClose(result.ciHigh, row.ciHigh, statisticTolerance, `${row.case} ciHigh`);
    }
  });

  it('twoProportions matches the pooled z test and Newcombe interval computed in Python', () => {
    for (const row of golden.twoProportions) {
      const result = twoProportions(...row.input);
      for (const key of ['pA', 'pB', 'diff', 'z', 'ciLow', 'ciHigh'] as const) {
        if (row[key] === 0) expect(Math.abs(result[key])).toBeLessThan(1e-15);
        else expectClose(result[key], row[key], statisticTolerance, `${row.input.join(',')} ${key}`);
      }
      expectClose(result.pTwoSided, row.pTwoSided, pTolerance, `${row.input.join(',')} pTwoSided`);
      expectClose(result.pGreater, row.pGreater, pTolerance, `${row.input.join(',')} pGreater`);
    }
  });

  it('fisherExact matches scipy.stats.fisher_exact', () => {
    for (const row of golden.fisher) {
      const result = fisherExact(...row.table, row.alternative);
      const label = `${row.table.join(',')} ${row.alternative}`;
      if (row.oddsRatio === null) expect(result.oddsRatio).toBe(Infinity);
      else expectClose(result.oddsRatio, row.oddsRatio, statisticTolerance, `${label} odds ratio`);
      expectClose(result.p, row.p, pTolerance, `${label} p`);
    }
  });

  it('holm matches the step-down adjustment', () => {
    const adjusted = holm(golden.holm.input);
    golden.holm.adjusted.forEach((expected, i) =>
      expectClose(adjusted[i] ?? Number.NaN, expected, statisticTolerance, `holm[${i}]`),
    );
  });

  it('mdePct matches the normal-approximation formula', () => {
    for (const row of golden.mde)
      expectClose(mdePct(...row.input), row.mdePct, statisticTolerance, row.input.join(','));
  });
});

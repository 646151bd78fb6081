// Compares the sequential building blocks with values computed by scipy in golden/generate_sequential.py.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bettingBound, logWealth, plugInBets } from './betting.js';
import { clippedNormalMoments } from './latency.js';
import { maxLogScoreWealth, predictableScales, scoreBound } from './score-betting.js';

interface Golden {
  score: {
    w: number[];
    scales: number[];
    cases: Array<{ threshold: number; side: 1 | -1; logMax: number }>;
    bounds: Array<{ alpha: number; side: 1 | -1; bound: number }>;
  };
  clippedNormalMoments: Array<{ a: number; b: number; mean: number; secondMoment: number }>;
  betting: {
    d: number[];
    alpha: number;
    bets: number[];
    wealth: Array<{ nullMean: number; side: 1 | -1; current: number; max: number }>;
    bounds: Array<{ alpha: number; side: 1 | -1; bound: number }>;
  };
}

const golden = JSON.parse(readFileSync(new URL('../golden/sequential.json', import.meta.url), 'utf8')) as Golden;

describe('score-betting wealth of latency parity (re-implemented in the generator from its definition)', () => {
  const { w } = golden.score;
  const scales = predictableScales(w);

  it('computes the predictable robust scales', () => {
    golden.score.scales.forEach((scale, i) => expect(scales[i]).toBeCloseTo(scale, 12));
  });

  it.each(golden.score.cases)(
    'running maximum of the log wealth, side $side of $threshold',
    ({ threshold, side, logMax }) => {
      expect(maxLogScoreWealth(w, scales, threshold, side)).toBeCloseTo(logMax, 9);
    },
  );

  it.each(golden.score.bounds)(
    'confidence-sequence end at α = $alpha, side $side agrees with a grid scan',
    ({ alpha, side, bound }) => {
      const median = [...w].sort((a, b) => a - b);
      const start = ((median[149] ?? 0) + (median[150] ?? 0)) / 2;
      expect(Math.abs(scoreBound(w, scales, -Math.log(alpha), side, start) - bound)).toBeLessThan(1e-4);
    },
  );
});

describe('clipped normal moments (checked in the generator against quadrature)', () => {
  it.each(golden.clippedNormalMoments)('at N($a, $b²)', ({ a, b, mean, secondMoment }) => {
    const moments = clippedNormalMoments(a, b);
    expect(moments.mean).toBeCloseTo(mean, 9);
    expect(moments.secondMoment).toBeCloseTo(secondMoment, 9);
  });
});

describe('betting confidence sequence for a bounded mean', () => {
  const { d, alpha } = golden.betting;
  const bets = plugInBets(d, alpha);

  it('computes the predictable plug-in bets', () => {
    golden.betting.bets.forEach((bet, i) => expect(bets[i]).toBeCloseTo(bet, 12));
  });

  it.each(golden.betting.wealth)('log wealth at null $nullMean, side $side', ({ nullMean, side, current, max }) => {
    const wealth = logWealth(d, bets, nullMean, side);
    expect(wealth.current).toBeCloseTo(current, 9);
    expect(wealth.max).toBeCloseTo(max, 9);
  });

  it.each(golden.betting.bounds)('bound on side $side agrees with a grid scan', ({ side, bound }) => {
    expect(Math.abs(bettingBound(d, bets, alpha, side) - bound)).toBeLessThan(2e-5);
  });
});

// Compares the sequential building blocks with values computed by scipy in golden/generate_sequential.py.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bettingBound, logWealth, plugInBets } from './betting.js';
import { logSignEvalue, maxLogSignEvalue, signThreshold, signThresholds } from './sign-mixture.js';

interface Golden {
  logSignEvalue: Array<{ successes: number; trials: number; prior: number; logE: number }>;
  signThreshold: Array<{ trials: number; alpha: number; prior: number; k: number }>;
  maxLogSignEvalue: { w: number[]; cases: Array<{ threshold: number; side: 1 | -1; logMax: number }> };
  betting: {
    d: number[];
    alpha: number;
    bets: number[];
    wealth: Array<{ nullMean: number; side: 1 | -1; current: number; max: number }>;
    bounds: Array<{ alpha: number; side: 1 | -1; bound: number }>;
  };
}

const golden = JSON.parse(readFileSync(new URL('../golden/sequential.json', import.meta.url), 'utf8')) as Golden;

describe('beta-binomial mixture e-value (checked in the generator against quadrature of its definition)', () => {
  it.each(golden.logSignEvalue)(
    'log E at $successes of $trials, prior $prior',
    ({ successes, trials, prior, logE }) => {
      expect(logSignEvalue(successes, trials, prior)).toBeCloseTo(logE, 9);
    },
  );

  it.each(golden.signThreshold)(
    'threshold at t = $trials, α = $alpha, prior $prior is $k',
    ({ trials, alpha, prior, k }) => {
      expect(signThreshold(trials, alpha, prior)).toBe(k);
    },
  );

  it('computes every threshold up to 1500 in one pass, equal to the bisection one by one', () => {
    for (const alpha of [0.01, 0.05]) {
      const all = signThresholds(1500, alpha);
      expect(all).toHaveLength(1500);
      for (let t = 1; t <= 1500; t += 1) expect(all[t - 1]).toBe(signThreshold(t, alpha));
    }
  });

  it.each(golden.maxLogSignEvalue.cases)('running maximum, side $side of $threshold', ({ threshold, side, logMax }) => {
    expect(maxLogSignEvalue(golden.maxLogSignEvalue.w, threshold, side)).toBeCloseTo(logMax, 9);
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

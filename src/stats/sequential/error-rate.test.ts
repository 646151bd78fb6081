import { describe, expect, it } from 'vitest';
import { errorRateMdePp } from './error-rate-mde.js';
import type { FailRule } from './latency.js';
import { replayErrorRateLooks, sequentialErrorRateLook } from './error-rate.js';
import { outcomes, seeded } from './test-data.test-helpers.js';

const options = { alpha: 0.01, marginPp: 2, batch: 10, maxSamples: 3000, failRule: 'beyond-margin' } as const;

describe('error-rate looks', () => {
  it('reaches pass with no errors on either side, at the first look after ln(100)/ln(1 + 0.9 · 0.02/1.02) = 263.3 pairs', () => {
    const none = Array.from({ length: 3000 }, () => false);
    const replay = replayErrorRateLooks(none, none, options);
    expect(replay).toMatchObject({ decision: 'pass', stopAt: 270 });
    expect(sequentialErrorRateLook(none.slice(0, 263), none.slice(0, 263), options).decision).toBe('continue');
    expect(sequentialErrorRateLook(none.slice(0, 264), none.slice(0, 264), options).decision).toBe('pass');
    const last = replay.last;
    expect(last?.cs.lowPp).toBeGreaterThan(-2);
    expect(last?.cs.highPp).toBeLessThan(2);
  });

  it('fails a subject that errs 10% of the time against none, under either rule', () => {
    const random = seeded(7);
    const reference = outcomes(random, 3000, 0);
    const subject = outcomes(random, 3000, 0.1);
    for (const failRule of ['beyond-margin', 'significant-and-beyond'] as const) {
      const replay = replayErrorRateLooks(reference, subject, { ...options, failRule });
      expect(replay.decision).toBe('fail');
      const last = replay.last;
      expect(last?.pValue).toBeLessThanOrEqual(0.01);
      expect(last?.cs.lowPp).toBeGreaterThan(failRule === 'beyond-margin' ? 2 : 0);
    }
  });

  it('A/A: "the subject errs more" is rejected at some look in at most α of runs', () => {
    let rejected = 0;
    const runs = 300;
    for (let seed = 0; seed < runs; seed += 1) {
      const random = seeded(300 + seed);
      const look = sequentialErrorRateLook(outcomes(random, 600, 0.05), outcomes(random, 600, 0.05), {
        ...options,
        alpha: 0.1,
      });
      if (look.pWorse <= 0.1) rejected += 1;
    }
    expect(rejected / runs).toBeLessThanOrEqual(0.1);
  });

  it('decides exactly when the confidence sequence says so', () => {
    for (let seed = 0; seed < 40; seed += 1) {
      const random = seeded(900 + seed);
      const n = 100 + 20 * seed;
      const look = sequentialErrorRateLook(outcomes(random, n, 0.01), outcomes(random, n, 0.01 + seed / 400), options);
      const isLowAbove = look.cs.lowPp > 2;
      const isInside = look.cs.lowPp > -2 && look.cs.highPp < 2;
      expect(look.decision === 'fail').toBe(isLowAbove);
      expect(look.decision === 'pass').toBe(isInside);
    }
  });

  it('rejects a margin or level out of range', () => {
    expect(() => sequentialErrorRateLook([false], [false], { ...options, marginPp: 0 })).toThrow(RangeError);
    expect(() => sequentialErrorRateLook([false], [false], { ...options, alpha: 1 })).toThrow(RangeError);
  });

  it('brackets the observed difference and pairs only as many requests as both cohorts made', () => {
    const random = seeded(8);
    const look = sequentialErrorRateLook(outcomes(random, 500, 0.02), outcomes(random, 450, 0.06), options);
    expect(look.n).toBe(450);
    expect(look.cs.lowPp).toBeLessThan(look.estimatePp);
    expect(look.cs.highPp).toBeGreaterThan(look.estimatePp);
  });
});

describe('errorRateMdePp', () => {
  it('is about the difference that fails 80% of the time by the cap', () => {
    const mde = errorRateMdePp(500, { alpha: 0.01, marginPp: 2, referenceRatePct: 1, failRule: 'beyond-margin' });
    expect(mde).toBeGreaterThan(2);
    expect(mde).toBeLessThan(15);
    let failed = 0;
    const runs = 100;
    for (let seed = 0; seed < runs; seed += 1) {
      const random = seeded(700 + seed);
      const replay = replayErrorRateLooks(outcomes(random, 500, 0.01), outcomes(random, 500, 0.01 + mde / 100), {
        ...options,
        maxSamples: 500,
      });
      if (replay.decision === 'fail') failed += 1;
    }
    expect(failed / runs).toBeGreaterThan(0.65);
    expect(failed / runs).toBeLessThan(0.97);
  });

  it('shrinks with the cap and is at least the margin under either rule', () => {
    const at = (n: number, failRule: FailRule = 'beyond-margin'): number =>
      errorRateMdePp(n, { alpha: 0.01, marginPp: 2, referenceRatePct: 0, failRule });
    expect(at(2000)).toBeLessThan(at(500));
    expect(at(500, 'significant-and-beyond')).toBeLessThan(at(500));
    expect(at(100_000, 'significant-and-beyond')).toBe(2);
    expect(at(5)).toBe(Infinity);
  });
});

import { describe, expect, it } from 'vitest';
import { type FailRule, latencyMdePct, logRatios, replayLatencyLooks, sequentialLatencyLook } from './latency.js';
import { lookSizes } from './replay.js';
import { predictableScales, scoreBound } from './score-betting.js';
import { latencies, seeded } from './test-data.test-helpers.js';

const look = { alpha: 0.01, marginPct: 10, failRule: 'beyond-margin' } as const;

describe('sequentialLatencyLook', () => {
  it('takes the estimate from the median of the log-ratios and the ends from the score tests', () => {
    const random = seeded(1);
    const reference = latencies(random, 201, 6);
    const subject = latencies(random, 240, 7);
    const result = sequentialLatencyLook(reference, subject, look);
    const w = logRatios(reference, subject);
    const median = [...w].sort((a, b) => a - b)[100] ?? Number.NaN;
    const scales = predictableScales(w);
    const pct = (x: number): number => Math.expm1(x) * 100;
    expect(result.n).toBe(201);
    expect(result.estimatePct).toBeCloseTo(pct(median), 12);
    expect(result.cs.lowPct).toBeCloseTo(pct(scoreBound(w, scales, -Math.log(0.01), 1, median)), 12);
    expect(result.cs.highPct).toBeCloseTo(pct(scoreBound(w, scales, -Math.log(0.01), -1, median)), 12);
    expect(result.cs.lowPct).toBeLessThan(result.estimatePct);
    expect(result.cs.highPct).toBeGreaterThan(result.estimatePct);
  });

  it('decides exactly when the confidence sequence says so', () => {
    for (let seed = 0; seed < 40; seed += 1) {
      const random = seeded(50 + seed);
      const n = 50 + 10 * seed;
      const result = sequentialLatencyLook(latencies(random, n, 6), latencies(random, n, 6 * (1 + seed / 100)), look);
      expect(result.decision === 'fail').toBe(result.cs.lowPct > 10);
      expect(result.decision === 'pass').toBe(result.cs.lowPct > -10 && result.cs.highPct < 10);
    }
  });

  it('is unbounded while too few pairs can reach the boundary', () => {
    const result = sequentialLatencyLook([1, 2, 3], [2, 3, 4], look);
    expect(result).toMatchObject({ decision: 'continue', cs: { lowPct: -100, highPct: Infinity } });
    expect(result.pValue).toBeGreaterThan(0.01);
  });

  it('fails a large planted shift under either rule and passes an A/A comparison', () => {
    const random = seeded(2);
    const reference = latencies(random, 400, 6);
    const slower = latencies(random, 400, 6 * 1.4);
    const same = latencies(random, 400, 6);
    expect(sequentialLatencyLook(reference, slower, look).decision).toBe('fail');
    expect(sequentialLatencyLook(reference, slower, { ...look, failRule: 'significant-and-beyond' }).decision).toBe(
      'fail',
    );
    const aa = sequentialLatencyLook(reference, same, look);
    expect(aa.decision).toBe('pass');
    expect(aa.cs.lowPct).toBeGreaterThan(-10);
    expect(aa.cs.highPct).toBeLessThan(10);
  });

  it('rejects latencies that are not positive and finite', () => {
    expect(() => sequentialLatencyLook([1, 0], [1, 1], look)).toThrow(RangeError);
    expect(() => sequentialLatencyLook([1, 1], [1, Number.NaN], look)).toThrow(RangeError);
  });
});

describe('optional stopping', () => {
  const replays = 300;

  it('A/A: the e-process for "subject slower" crosses 1/α at some look in at most α of runs', () => {
    let rejected = 0;
    for (let seed = 0; seed < replays; seed += 1) {
      const random = seeded(100 + seed);
      const reference = latencies(random, 400, 6, 0.25, 0.02);
      const subject = latencies(random, 400, 6, 0.25, 0.02);
      // pWorse comes from the e-process's running maximum over every prefix: it is ≤ α iff any look would have crossed.
      const last = sequentialLatencyLook(reference, subject, { ...look, alpha: 0.1 });
      if (last.pWorse <= 0.1) rejected += 1;
    }
    expect(rejected / replays).toBeLessThanOrEqual(0.1);
  });

  it('the confidence sequence covers the true shift at every look in at least 1 − 2α of runs', () => {
    let missed = 0;
    const theta = 20;
    for (let seed = 0; seed < replays; seed += 1) {
      const random = seeded(1000 + seed);
      const reference = latencies(random, 300, 6);
      const subject = latencies(random, 300, 6 * (1 + theta / 100));
      const looks = lookSizes(10, 300).map((n) =>
        sequentialLatencyLook(reference.slice(0, n), subject.slice(0, n), { ...look, alpha: 0.05, marginPct: 50 }),
      );
      if (looks.some((l) => l.cs.lowPct > theta || l.cs.highPct < theta)) missed += 1;
    }
    expect(missed / replays).toBeLessThanOrEqual(0.1);
  });
});

describe('replayLatencyLooks', () => {
  const random = seeded(3);
  const reference = latencies(random, 1000, 6);
  const subject = latencies(random, 1000, 6 * 1.3);
  const options = { ...look, batch: 10, maxSamples: 1000 };

  it('stops at the first look that decides, and each look equals a look at that prefix', () => {
    const replay = replayLatencyLooks(reference, subject, options);
    expect(replay.decision).toBe('fail');
    expect(replay.stopAt).toBe(replay.looks.length * 10);
    expect(replay.looks.slice(0, -1).every((l) => l.decision === 'continue')).toBe(true);
    const again = sequentialLatencyLook(reference.slice(0, replay.stopAt), subject.slice(0, replay.stopAt), look);
    expect(replay.last).toEqual(again);
    expect(replay.looks.at(-1)).toEqual({ n: replay.stopAt, decision: 'fail', pValue: again.pValue });
  });

  it('is deterministic, and a decision once reached holds at every later prefix', () => {
    const replay = replayLatencyLooks(reference, subject, options);
    expect(replayLatencyLooks(reference, subject, options)).toEqual(replay);
    for (const n of [replay.stopAt + 10, replay.stopAt + 200, 1000]) {
      expect(sequentialLatencyLook(reference.slice(0, n), subject.slice(0, n), look).decision).toBe('fail');
    }
  });

  it('is inconclusive at the cap with the detectable effect, and asks for more samples when they run out', () => {
    const nearMargin = latencies(seeded(4), 1000, 6 * 1.1);
    const capped = replayLatencyLooks(reference, nearMargin, { ...options, maxSamples: 200 });
    expect(capped).toMatchObject({ decision: 'inconclusive', stopAt: 200 });
    expect(capped.mdePct).toBeGreaterThan(10);
    expect(capped.mdePct).toBeLessThan(60);
    const short = replayLatencyLooks(reference.slice(0, 95), nearMargin, options);
    expect(short).toMatchObject({ decision: 'continue', stopAt: 90 });
  });
});

describe('latencyMdePct', () => {
  it('shrinks towards the margin as the cap grows, and is larger for the stricter rule', () => {
    const at = (n: number, failRule: FailRule = 'beyond-margin'): number =>
      latencyMdePct(n, { alpha: 0.01, marginPct: 10, sdLog: 0.25, failRule });
    expect(at(300)).toBeGreaterThan(at(1000));
    expect(at(1000)).toBeGreaterThan(at(10000));
    expect(at(10000)).toBeGreaterThan(10);
    expect(at(10000)).toBeLessThan(14);
    expect(at(300, 'significant-and-beyond')).toBeLessThan(at(300));
    expect(at(10)).toBe(Infinity);
  });
});

describe('latencyMdePct against simulation', () => {
  it.each(['beyond-margin', 'significant-and-beyond'] as const)(
    'a planted shift at the MDE fails about 80%% of the time by the cap (%s)',
    (failRule) => {
      const options = { alpha: 0.01, marginPct: 10, failRule };
      const mde = latencyMdePct(400, { ...options, sdLog: 0.25 });
      let failed = 0;
      const runs = 100;
      for (let seed = 0; seed < runs; seed += 1) {
        const random = seeded(5000 + seed);
        const reference = latencies(random, 400, 6);
        const subject = latencies(random, 400, 6 * (1 + mde / 100));
        if (replayLatencyLooks(reference, subject, { ...options, batch: 10, maxSamples: 400 }).decision === 'fail')
          failed += 1;
      }
      expect(failed / runs).toBeGreaterThan(0.7);
      expect(failed / runs).toBeLessThan(0.99);
    },
  );
});

import { describe, expect, it } from 'vitest';
import type { Clock } from '../core/clock.js';
import { createRng } from '../core/rng.js';
import { Scheduler, summariseSlip } from './scheduler.js';

/** A clock that jumps straight to whatever time is slept until, plus a fixed lateness. */
function fakeClock(latenessNs = 0): Clock & { t: number } {
  const clock = {
    t: 0,
    startedAt: new Date(0),
    now: () => clock.t,
    isoAt: (ns: number) => new Date(ns / 1e6).toISOString(),
    sleepUntil: async (ns: number) => {
      await Promise.resolve();
      clock.t = Math.max(clock.t, ns + latenessNs);
    },
  };
  return clock;
}

const cohorts = ['meta-ai', 'assistant', 'control'];

describe('Scheduler.plan', () => {
  const scheduler = new Scheduler(fakeClock(), new AbortController().signal);

  it('puts each cohort once in every round, warm-up rounds first and negative, one interval apart', () => {
    const slots = scheduler.plan({ cohorts, rounds: 4, warmupRounds: 2, ratePerSec: 100, rng: createRng(7) }, 5e6);
    expect(slots).toHaveLength(18);
    for (let r = -2; r < 4; r += 1)
      expect(
        slots
          .filter((s) => s.round === r)
          .map((s) => s.cohort)
          .sort(),
      ).toEqual([...cohorts].sort());
    expect(slots.filter((s) => s.isWarmup).map((s) => s.round)).toEqual([-2, -2, -2, -1, -1, -1]);
    expect(slots.map((s) => s.scheduledNs)).toEqual(slots.map((_, i) => 5e6 + i * 1e7));
  });

  it('draws the order within rounds from the seed: the same seed gives the same plan, and orders vary', () => {
    const plan = (seed: number): string[] =>
      scheduler
        .plan({ cohorts, rounds: 30, warmupRounds: 0, ratePerSec: 10, rng: createRng(seed) }, 0)
        .map((s) => s.cohort);
    expect(plan(11)).toEqual(plan(11));
    expect(plan(11)).not.toEqual(plan(12));
    const firsts = new Set(plan(11).filter((_, i) => i % 3 === 0));
    expect(firsts.size).toBe(3);
  });

  it('with variants, holds every cohort × variant once per round', () => {
    const slots = scheduler.plan(
      {
        cohorts: ['a', 'b'],
        variants: ['image', 'audio', 'video'],
        rounds: 3,
        warmupRounds: 1,
        ratePerSec: 1000,
        rng: createRng(3),
      },
      0,
    );
    expect(slots).toHaveLength(24);
    for (let r = -1; r < 3; r += 1) {
      const cells = slots
        .filter((s) => s.round === r)
        .map((s) => `${s.cohort}:${s.variant}`)
        .sort();
      expect(cells).toEqual(['a:audio', 'a:image', 'a:video', 'b:audio', 'b:image', 'b:video']);
    }
  });
});

describe('Scheduler.launch', () => {
  it('is open loop: a slow request does not delay the next launch', async () => {
    const clock = fakeClock();
    const scheduler = new Scheduler(clock, new AbortController().signal);
    let launched = 0;
    let launchedWhenSlowFinished = -1;
    const report = await scheduler.interleave(
      { cohorts: ['a', 'b'], rounds: 3, warmupRounds: 0, ratePerSec: 1000, rng: createRng(1) },
      async () => {
        launched += 1;
        if (launched > 1) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
        launchedWhenSlowFinished = launched;
      },
    );
    expect(report.launched).toBe(6);
    expect(launchedWhenSlowFinished).toBe(6);
    expect(report.isCancelled).toBe(false);
  });

  it('reports how late each launch was, and its summary in µs', async () => {
    const scheduler = new Scheduler(fakeClock(2500), new AbortController().signal);
    const report = await scheduler.interleave(
      { cohorts: ['a'], rounds: 4, warmupRounds: 0, ratePerSec: 100, rng: createRng(1) },
      async () => undefined,
    );
    expect(report.slipNs).toEqual([2500, 2500, 2500, 2500]);
    expect(summariseSlip(report)).toEqual({ launched: 4, p50Us: 2.5, p99Us: 2.5, maxUs: 2.5 });
  });

  it('stops launching once the run is cancelled', async () => {
    const controller = new AbortController();
    const scheduler = new Scheduler(fakeClock(), controller.signal);
    let calls = 0;
    const report = await scheduler.interleave(
      { cohorts: ['a', 'b'], rounds: 10, warmupRounds: 0, ratePerSec: 100, rng: createRng(1) },
      async () => {
        calls += 1;
        if (calls === 3) controller.abort();
      },
    );
    expect(report.launched).toBe(3);
    expect(report.isCancelled).toBe(true);
  });
});

describe('summariseSlip', () => {
  it('takes nearest-rank p50 and p99 and the max', () => {
    const slipNs = Array.from({ length: 100 }, (_, i) => (i + 1) * 1000);
    expect(summariseSlip({ launched: 100, slipNs, isCancelled: false })).toEqual({
      launched: 100,
      p50Us: 50,
      p99Us: 99,
      maxUs: 100,
    });
    expect(summariseSlip({ launched: 0, slipNs: [], isCancelled: true })).toEqual({
      launched: 0,
      p50Us: 0,
      p99Us: 0,
      maxUs: 0,
    });
  });
});

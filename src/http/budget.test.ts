import { describe, expect, it } from 'vitest';
import { Budget } from './budget.js';
import type { Clock } from '../core/clock.js';

/** A clock that only moves when asked to sleep, so the budget's pacing is exact and instant. */
function fakeClock(): Clock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    startedAt: new Date(0),
    isoAt: (ns: number) => new Date(ns / 1e6).toISOString(),
    sleepUntil: async (ns: number) => {
      clock.t = Math.max(clock.t, ns);
    },
  };
  return clock;
}

describe('Budget', () => {
  it('never lets more than maxRps requests into any one-second window', async () => {
    const clock = fakeClock();
    const budget = new Budget({ maxRps: 10, maxRequests: 1000, maxRequestsPerCohort: null }, clock);
    const times: number[] = [];
    for (let i = 0; i < 55; i += 1) {
      expect(await budget.acquire('a')).toBe(true);
      times.push(clock.now());
    }
    for (let i = 10; i < times.length; i += 1)
      expect((times[i] ?? 0) - (times[i - 10] ?? 0)).toBeGreaterThanOrEqual(1e9);
    expect(times[54]).toBeGreaterThanOrEqual(5e9);
  });

  it('refuses past the total and per-cohort caps and counts the refusals', async () => {
    const budget = new Budget({ maxRps: 1000, maxRequests: 5, maxRequestsPerCohort: 3 }, fakeClock());
    const granted = [];
    for (const cohort of ['a', 'a', 'a', 'a', 'b', 'b', 'b']) granted.push(await budget.acquire(cohort));
    expect(granted).toEqual([true, true, true, false, true, true, false]);
    expect(budget.usage()).toEqual({ total: 5, byCohort: { a: 3, b: 2 }, refused: 2 });
  });

  it('refuses once the run is aborted', async () => {
    const controller = new AbortController();
    const budget = new Budget({ maxRps: 10, maxRequests: 10, maxRequestsPerCohort: null }, fakeClock());
    expect(await budget.acquire('a', controller.signal)).toBe(true);
    controller.abort();
    expect(await budget.acquire('a', controller.signal)).toBe(false);
  });

  it('counts requests sent before it existed towards the total and the first second', async () => {
    const clock = fakeClock();
    const budget = new Budget({ maxRps: 10, maxRequests: 12, maxRequestsPerCohort: null }, clock, 3);
    const times: number[] = [];
    while (await budget.acquire('a')) times.push(clock.now());
    expect(times).toHaveLength(9);
    expect(times.slice(0, 7).every((t) => t === 0)).toBe(true);
    expect(times[7]).toBeGreaterThanOrEqual(1e9);
    expect(budget.usage()).toMatchObject({ total: 12, byCohort: { a: 9 } });
  });
});

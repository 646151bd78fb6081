import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../src/core/types.js';
import { PLAN_KIND, SEND_KIND, STATUS_KIND, STOP_KIND, planData, type StreamPlan } from './plan.js';
import { resumePoint, roundsVoided } from './resume.js';

const COHORTS = ['meta-ai', 'assistant'];

function plan(design: StreamPlan['design']): StreamPlan {
  return {
    stream: 'outbound',
    design,
    metrics: ['PAR-LAT-001'],
    variants: ['text', 'image'],
    timedTypes: ['text', 'image'],
    warmupRounds: 2,
    maxRounds: { text: 40, image: 20 },
    lookEvery: 10,
    comparisons: 2,
    failAlphas: { text: 0.004, image: 0.001 },
    passAlpha: 0.01,
    failRule: 'significant-and-beyond',
    ratePerSec: 100,
    feeRounds: 20,
  };
}

/** A recorded run: its plan, then sends (and a status each) of every cohort for `rounds` of each variant. */
function recorded(
  p: StreamPlan,
  rounds: Record<string, number>,
  extra: Array<Partial<Observation>> = [],
): Observation[] {
  const lines: Array<Partial<Observation>> = [
    { check: 'PAR-LAT-001', metrics: p.metrics, cohort: '*', kind: PLAN_KIND, data: planData(p) },
  ];
  for (const [variant, n] of Object.entries(rounds))
    for (let round = -p.warmupRounds; round < n; round += 1)
      for (const cohort of COHORTS) {
        const head = { check: 'PAR-LAT-001', metrics: p.metrics, cohort, round, outcome: 'ok' as const };
        lines.push({ ...head, kind: SEND_KIND, variant, latencyUs: 5000 });
        lines.push({ ...head, kind: STATUS_KIND, variant: 'sent', latencyUs: 9000 });
      }
  lines.push(...extra);
  return lines.map((line, seq) => ({ ...line, seq }) as Observation);
}

async function* streamed(observations: Observation[]): AsyncGenerator<Observation> {
  yield* observations;
}

describe('resumePoint', () => {
  it('starts afresh when the stream never recorded its plan', async () => {
    expect(await resumePoint(streamed([]), plan('fixed'), COHORTS)).toBeNull();
  });

  it('resumes the fixed design at the first round a cohort lacks, and counts what it keeps', async () => {
    const p = plan('fixed');
    const lines = recorded(p, { text: 13, image: 13 });
    // The assistant's round 11 of image never came back: the run was killed while it was in flight.
    const cut = lines.filter((o) => !(o.variant === 'image' && o.cohort === 'assistant' && o.round === 11));
    const point = await resumePoint(streamed(cut), p, COHORTS);
    expect(point?.fromRound).toBe(11);
    expect(point?.kept).toEqual([]); // the fixed design never looks
    // Rounds 0–10 of both variants, two cohorts, a send and a status each.
    expect(point?.keptCount).toBe(11 * 2 * 2 * 2);
  });

  it('resumes the sequential design on a look boundary, keeps what its looks read, and leaves stopped variants stopped', async () => {
    const p = plan('sequential');
    const stop = { check: 'PAR-LAT-001', metrics: p.metrics, cohort: '*', kind: STOP_KIND };
    const lines = recorded(p, { text: 27, image: 20 }, [
      { ...stop, data: { stream: 'outbound', variant: 'image', rounds: 20, reason: 'cap' } },
    ]);
    const point = await resumePoint(streamed(lines), p, COHORTS);
    expect(point?.fromRound).toBe(20);
    expect([...(point?.stopped ?? new Map<string, number>())]).toEqual([['image', 20]]);
    expect(point?.kept.every((s) => (s.round ?? 0) >= 0 && (s.round ?? 0) < 20)).toBe(true);
    expect(point?.kept.filter((s) => s.kind === SEND_KIND && s.variant === 'text')).toHaveLength(20 * 2);
  });

  it('does not count a stop by Ctrl-C as done: the variant goes on from where it was interrupted', async () => {
    const p = plan('sequential');
    const stop = { check: 'PAR-LAT-001', metrics: p.metrics, cohort: '*', kind: STOP_KIND };
    const lines = recorded(p, { text: 20, image: 20 }, [
      { ...stop, data: { stream: 'outbound', variant: 'text', rounds: 20, reason: 'interrupted' } },
      { ...stop, data: { stream: 'outbound', variant: 'image', rounds: 20, reason: 'cap' } },
    ]);
    const point = await resumePoint(streamed(lines), p, COHORTS);
    expect([...(point?.stopped.keys() ?? [])]).toEqual(['image']);
    expect(point?.fromRound).toBe(20);
  });

  it('honours what an earlier resume voided', async () => {
    const p = plan('fixed');
    const first = recorded(p, { text: 30, image: 20 });
    // The first resume voided rounds ≥ 5 but was itself killed before it sent any of them again.
    const lines = [...first, { ...roundsVoided(p, 5), seq: first.length } as Observation];
    expect((await resumePoint(streamed(lines), p, COHORTS))?.fromRound).toBe(5);
  });

  it('refuses to continue a stream whose recorded plan differs', async () => {
    const lines = recorded(plan('fixed'), { text: 3 });
    await expect(resumePoint(streamed(lines), { ...plan('fixed'), ratePerSec: 50 }, COHORTS)).rejects.toThrow(
      /recorded a different plan/,
    );
  });
});

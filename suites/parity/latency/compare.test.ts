import { describe, expect, it } from 'vitest';
import type { AnalysisContext } from '../../../src/engine/check.js';
import { createRng } from '../../../src/core/rng.js';
import type { Observation, PendingFinding } from '../../../src/core/types.js';
import { compareLatency, latenciesMs } from './compare.js';
import { testAnalysisContext } from '../../../src/engine/analysis-context.test-helpers.js';

const ctx: AnalysisContext = testAnalysisContext({ analysis: { warmup: 0, bootstrapResamples: 300 }, seed: 5 });
const check = { id: 'PAR-LAT-001', title: 'Send-message latency parity', suite: 'parity' as const, references: [] };

/** Log-normal latencies (ms) from a seeded stream. */
function lognormal(seed: number, n: number, medianMs: number, sigma = 0.25): number[] {
  const rng = createRng(seed);
  return Array.from(
    { length: n },
    () => medianMs * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())),
  );
}

function samples(cohort: string, values: number[], extra: Partial<Observation> = {}): Observation[] {
  return values.map((ms, i) => ({
    check: 'PAR-LAT-001',
    cohort,
    kind: 'latency',
    seq: i,
    variant: 'text',
    round: i,
    latencyUs: ms * 1000,
    outcome: 'ok',
    exchanges: [`ex-${cohort}-${i}`],
    ...extra,
  }));
}

function compare(sub: Observation[], ref: Observation[]): ReturnType<typeof compareLatency> {
  return compareLatency({
    check,
    metric: 'send-message latency (text)',
    variant: 'text',
    subject: ctx.subjects[0] ?? { id: '', label: '' },
    reference: ctx.reference,
    subjectSamples: sub,
    referenceSamples: ref,
    ctx,
  });
}

describe('compareLatency', () => {
  it('drafts a significant, beyond-margin slowdown with the shift, its CI and a plain summary', () => {
    const draft = compare(
      samples('sub', lognormal(1, 300, 7.5)),
      samples('ref', lognormal(2, 300, 6)),
    ) as PendingFinding;
    expect(draft.verdict).toBe('pending');
    expect(draft.decision.isBeyondMargin).toBe(true);
    expect(draft.decision.isEquivalent).toBe(false);
    expect(draft.decision.p).toBeLessThan(1e-6);
    const shift = draft.measurements.shift as { estimateMs: number; ciLowMs: number; ciHighMs: number };
    expect(shift.ciLowMs).toBeLessThan(1.5);
    expect(shift.ciHighMs).toBeGreaterThan(1.5);
    expect(shift.estimateMs).toBeGreaterThan(1.2);
    expect(draft.decision.summaries.fail).toMatch(
      new RegExp(
        String.raw`^Send-message latency \(text\): Subject is 1\.\d\d ms slower at the median than ` +
          String.raw`Reference \(95% CI 1\.\d\d–[12]\.\d\d ms, \+2\d\.\d%\), p < 0\.001; margin 10%\.$`,
      ),
    );
    expect(draft.measurements.n).toEqual({ reference: 300, subject: 300 });
    expect((draft.measurements.ratios as { median: { estimate: number } }).median.estimate).toBeGreaterThan(1.15);
  });

  it('shows equivalence for two samples of one distribution, and no margin breach', () => {
    const draft = compare(samples('sub', lognormal(3, 400, 6)), samples('ref', lognormal(4, 400, 6))) as PendingFinding;
    expect(draft.decision.isEquivalent).toBe(true);
    expect(draft.decision.isBeyondMargin).toBe(false);
    expect(draft.decision.summaries.pass).toMatch(
      new RegExp(
        String.raw`^Send-message latency \(text\): Subject and Reference are equivalent within ±10% ` +
          String.raw`\(median 6\.\d\d vs 6\.\d\d ms; shift -?0\.\d\d ms, 98% CI -0\.\d\d–0\.\d\d ms\)\.$`,
      ),
    );
  });

  it('still shows equivalence when rare stalls hit both cohorts, where TOST on log means cannot', () => {
    const stalled = (values: number[]): number[] => values.map((v, i) => (i % 25 === 7 ? 200 : v));
    const draft = compare(
      samples('sub', stalled(lognormal(5, 400, 6))),
      samples('ref', stalled(lognormal(6, 400, 6))),
    ) as PendingFinding;
    expect(draft.decision.isEquivalent).toBe(true);
    expect((draft.measurements.tost as { p: number }).p).toBeGreaterThan(0.01);
  });

  it('leaves out warm-up and failed samples, and counts the failures', () => {
    const ref = [
      ...samples('ref', lognormal(7, 40, 6)),
      ...samples('ref', [50], { round: -1 }),
      ...samples('ref', [1], { outcome: 'http-error' }),
    ];
    expect(latenciesMs(ref)).toHaveLength(40);
    const draft = compare(samples('sub', lognormal(8, 40, 6)), ref);
    expect(draft.measurements.n).toEqual({ reference: 40, subject: 40 });
    expect(draft.measurements.failedSamples).toEqual({ reference: 1, subject: 0 });
  });

  it('is inconclusive with too few successful samples, saying how many there were', () => {
    const draft = compare(samples('sub', [5, 6], { outcome: 'ok' }), samples('ref', lognormal(9, 50, 6)));
    expect(draft.verdict).toBe('inconclusive');
    expect(draft.verdict === 'inconclusive' ? draft.summary : '').toBe(
      'Send-message latency (text): too few successful samples to compare (Subject: 2, Reference: 50; need 10).',
    );
  });

  it('is a pure function of its input: the seeded bootstrap gives the same ratios twice', () => {
    const sub = samples('sub', lognormal(10, 100, 6.3));
    const ref = samples('ref', lognormal(11, 100, 6));
    expect(compare(sub, ref)).toEqual(compare(sub, ref));
  });
});

import { describe, expect, it } from 'vitest';
import type { AnalysisContext } from '../../../src/engine/check.js';
import type { Observation } from '../../../src/core/types.js';
import { findingOf, smallAudit, withoutRateLimit } from '../../shared/audit.test-helpers.js';
import { LATENCY_TYPES } from '../../shared/probe-messages.js';
import { latencyChecks } from './index.js';
import { testAnalysisContext } from '../../../src/engine/analysis-context.test-helpers.js';

interface Shift {
  estimateMs: number;
  ciLowMs: number;
  ciHighMs: number;
}

describe('PAR-LAT-001 send-message latency', () => {
  it('fails slow-lane for the subject, slower, with a CI holding the planted 1.5 ms shift; the A/A control does not fail', async () => {
    const { results } = await smallAudit({
      scenario: 'slow-lane',
      checks: ['PAR-LAT-001'],
      seed: 3,
      // 1.5 ms on a 6 ms lane: 300 rounds keep the power high while the other test files load both cores.
      samples: 300,
      latencyRps: 150,
      latencyTypes: ['text'],
    });
    const subject = findingOf(results.findings, 'PAR-LAT-001', 'assistant', 'text');
    expect(subject.verdict).toBe('fail');
    // The harness's own overhead is added to both cohorts, so the shift in ms (not the ratio) is the planted one.
    const shift = subject.measurements.shift as unknown as Shift;
    expect(shift.estimateMs).toBeGreaterThan(0);
    expect(shift.ciLowMs).toBeLessThanOrEqual(1.5);
    expect(shift.ciHighMs).toBeGreaterThanOrEqual(1.5);
    expect(subject.summary).toMatch(
      new RegExp(
        String.raw`^Send-message latency \(text\): Third-party AI assistant is \d+\.\d\d ms slower at the median than Gatekeeper's ` +
          String.raw`own assistant \(reference\) \(95% CI [\d.]+–[\d.]+ ms, \+\d+\.\d%\), p (<|=) 0\.\d+; margin 10%\.$`,
      ),
    );
    expect(findingOf(results.findings, 'PAR-LAT-001', 'control', 'text').verdict).not.toBe('fail');
    expect(subject.measurements.harness).toMatchObject({ batches: 1 });
  });

  it('times every message type; a type refused to the subject is inconclusive for it, never a fail', async () => {
    const { results } = await smallAudit({
      scenario: withoutRateLimit('feature-gated'),
      checks: ['PAR-LAT-001'],
      seed: 4,
      samples: 30,
      latencyRps: 600,
    });
    expect([...new Set(results.findings.map((f) => f.variant))]).toEqual([...LATENCY_TYPES]);
    expect(results.findings.filter((f) => f.verdict === 'fail').map((f) => `${f.cohort}/${f.variant}`)).toEqual([]);
    for (const type of ['interactive', 'reaction']) {
      const refused = findingOf(results.findings, 'PAR-LAT-001', 'assistant', type);
      expect(refused.verdict).toBe('inconclusive');
      expect(refused.measurements.n).toEqual({ reference: 30, subject: 0 });
      expect(refused.summary).toContain("Third-party AI assistant's requests failed: error 131051 ×30");
      expect(findingOf(results.findings, 'PAR-LAT-001', 'control', type).measurements.n).toEqual({
        reference: 30,
        subject: 30,
      });
    }
    expect(findingOf(results.findings, 'PAR-LAT-001', 'assistant', 'template').measurements.n).toEqual({
      reference: 30,
      subject: 30,
    });
  });
});

describe('PAR-LAT-002 and PAR-LAT-003 webhook latency', () => {
  it('fail webhook-delay for the subject (inbound and every status), slower, and not for the A/A control', async () => {
    const { results } = await smallAudit({
      scenario: 'webhook-delay',
      checks: ['PAR-LAT-002', 'PAR-LAT-003'],
      seed: 5,
      samples: 40,
      latencyRps: 150,
    });
    for (const [check, variant] of [
      ['PAR-LAT-002', 'inbound'],
      ['PAR-LAT-003', 'sent'],
      ['PAR-LAT-003', 'delivered'],
      ['PAR-LAT-003', 'read'],
    ] as const) {
      const subject = findingOf(results.findings, check, 'assistant', variant);
      expect(subject.verdict, `${check} ${variant}`).toBe('fail');
      // Planted: inbound ~40 ms instead of ~3 ms; each status step ~45 ms instead of ~5 ms.
      expect((subject.measurements.shift as unknown as Shift).ciLowMs, `${check} ${variant}`).toBeGreaterThan(25);
      expect(findingOf(results.findings, check, 'control', variant).verdict, `${check} ${variant} control`).not.toBe(
        'fail',
      );
    }
  });

  it('skips a status no cohort ever received, instead of calling it inconclusive', () => {
    const statusCheck = latencyChecks.find((c) => c.id === 'PAR-LAT-003');
    const plan = {
      stream: 'outbound',
      design: 'fixed',
      metrics: ['PAR-LAT-003'],
      variants: ['text'],
      timedTypes: [],
      warmupRounds: 0,
      maxRounds: { text: 12 },
      lookEvery: 10,
      comparisons: 3,
      failAlphas: { text: 0.01 / 3 },
      passAlpha: 0.01,
      failRule: 'significant-and-beyond',
      ratePerSec: 30,
      feeRounds: 20,
    };
    const streamed: Observation[] = ['meta-ai', 'assistant'].flatMap((cohort, c) =>
      Array.from({ length: 12 }, (_, i): Observation[] => [
        {
          check: 'PAR-LAT-003',
          cohort,
          kind: 'status',
          seq: c * 100 + i * 3,
          variant: 'sent',
          round: i,
          outcome: 'ok',
          latencyUs: 11_000 + i * 10,
        },
        ...['delivered', 'read'].map((variant, k): Observation => ({
          check: 'PAR-LAT-003',
          cohort,
          kind: 'status',
          seq: c * 100 + i * 3 + 1 + k,
          variant,
          round: i,
          outcome: 'timeout',
        })),
      ]).flat(),
    );
    const observations: Observation[] = [
      { check: 'PAR-LAT-003', cohort: '*', kind: 'stream-plan', seq: -1, data: plan },
      ...streamed,
      {
        check: 'PAR-LAT-003',
        cohort: '*',
        kind: 'stream-stop',
        seq: 1000,
        data: { stream: 'outbound', variant: 'text', rounds: 12, reason: 'cap' },
      },
    ];
    const ctx: AnalysisContext = testAnalysisContext({
      analysis: { samples: 12, warmup: 0, bootstrapResamples: 100 },
      reference: { id: 'meta-ai', label: 'Reference' },
      subjects: [{ id: 'assistant', label: 'Subject' }],
    });
    const drafts = statusCheck?.analyse(observations, ctx) ?? [];
    expect(drafts.map((d) => [d.variant, d.verdict])).toEqual([
      ['sent', 'pending'],
      ['delivered', 'skip'],
      ['read', 'skip'],
    ]);
  });
});

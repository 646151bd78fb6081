import { describe, expect, it } from 'vitest';
import type { AnalysisContext } from '../../../src/engine/check.js';
import type { PendingFinding } from '../../../src/core/types.js';
import { compareErrorRates, ERROR_MARGIN_PP, type OutcomeCounts } from './compare.js';
import { testAnalysisContext } from '../../../src/engine/analysis-context.test-helpers.js';

const ctx: AnalysisContext = testAnalysisContext({ analysis: { warmup: 0, bootstrapResamples: 300 }, seed: 5 });
const check = { id: 'PAR-ERR-001', title: 'Success rate parity', suite: 'parity' as const, references: [] };

function counts(n: number, errors: number, kind = 'error 368'): OutcomeCounts {
  return { n, errors, byError: errors === 0 ? {} : { [kind]: errors }, evidence: [] };
}

function compare(subject: OutcomeCounts, reference: OutcomeCounts): ReturnType<typeof compareErrorRates> {
  return compareErrorRates({
    check,
    subject: { id: 'sub', label: 'Subject' },
    reference: ctx.reference,
    subjectCounts: subject,
    referenceCounts: reference,
    ctx,
  });
}

describe('compareErrorRates', () => {
  it('flags a subject refused every time, with the p-value and a plain summary', () => {
    const draft = compare(counts(300, 300), counts(300, 0)) as PendingFinding;
    expect(draft.decision.isBeyondMargin).toBe(true);
    expect(draft.decision.isEquivalent).toBe(false);
    expect(draft.decision.p).toBeLessThan(1e-100);
    expect(draft.measurements.test).toEqual({
      method: 'two-proportion z',
      p: draft.decision.p,
      alternative: 'subject errs more',
    });
    expect(draft.decision.summaries.fail).toMatch(
      new RegExp(
        String.raw`^Subject: 100\.0% of requests failed \(300\/300; error 368 ×300\) vs 0\.0% \(0\/300\) for ` +
          String.raw`Reference: difference \+100\.0 points \(95% CI 98\.\d to 100\.0\), p < 0\.001; margin 2 points\.$`,
      ),
    );
  });

  it('shows equality when neither cohort fails in a default-sized run', () => {
    const draft = compare(counts(300, 0), counts(300, 0)) as PendingFinding;
    expect(draft.decision.isEquivalent).toBe(true);
    expect(draft.decision.p).toBe(1);
    const eq = draft.measurements.equivalence as { ciLowPp: number; ciHighPp: number };
    expect(eq.ciHighPp).toBeLessThan(ERROR_MARGIN_PP);
    expect(eq.ciLowPp).toBeGreaterThan(-ERROR_MARGIN_PP);
  });

  it('uses the z test when errors are common, and does not call equal faults worse', () => {
    const draft = compare(counts(290, 16, 'HTTP 500'), counts(295, 14, 'HTTP 500')) as PendingFinding;
    expect((draft.measurements.test as { method: string }).method).toBe('two-proportion z');
    expect(draft.decision.p).toBeGreaterThan(0.2);
    expect(draft.decision.isBeyondMargin).toBe(false);
  });

  it('uses Fisher’s exact test when errors are rare', () => {
    const draft = compare(counts(300, 5), counts(300, 0)) as PendingFinding;
    expect((draft.measurements.test as { method: string }).method).toBe('Fisher exact');
    // scipy.stats.fisher_exact([[5, 295], [0, 300]], alternative='greater').pvalue
    expect(draft.decision.p).toBeCloseTo(0.03072961, 7);
    expect(draft.decision.isBeyondMargin).toBe(false);
  });

  it('is inconclusive below the minimum number of requests', () => {
    const draft = compare(counts(5, 0), counts(300, 0));
    expect(draft.verdict).toBe('inconclusive');
    expect(draft.measurements.n).toEqual({ reference: 300, subject: 5 });
  });
});

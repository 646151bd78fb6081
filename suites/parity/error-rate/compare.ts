/**
 * Compares one subject's error rate with the reference's under identical traffic and drafts the
 * PAR-ERR-001 finding for the run-wide decision rule (src/engine/decide.ts):
 * - "worse": one-sided test that the subject's error rate is higher — Fisher's exact test when any
 *   expected cell count is below 5 (rare errors, small runs), else the pooled two-proportion z test;
 * - "beyond the margin": the subject's error rate exceeds the reference's by more than
 *   ERROR_MARGIN_PP percentage points;
 * - "equivalent": Newcombe's (1 − 2α) CI of the difference lies inside ±ERROR_MARGIN_PP.
 * Two percentage points is the gap between a 99% and a 97% success rate: smaller gaps are below
 * what a default run (300 sends per cohort) can resolve, larger ones would let an assistant lose
 * one message in fifty more than the gatekeeper's own without a finding.
 */
import type { AnalysisContext } from '../../../src/engine/check.js';
import { fisherExact, twoProportions } from '../../../src/stats/index.js';
import type { FindingDraft, JsonObject, Reference, Suite } from '../../../src/core/types.js';
import { pText } from '../../shared/latency-summary.js';
import { findingHead, roundTo } from '../../shared/finding.js';

/** Equivalence and failure margin, in percentage points of error rate. */
export const ERROR_MARGIN_PP = 2;

/** The fewest counted requests per cohort for which a comparison is attempted. */
export const MIN_REQUESTS = 10;

/** What one cohort's requests came to. */
export interface OutcomeCounts {
  n: number;
  errors: number;
  /** Error count per Graph error code ("error 368") or outcome ("reset"). */
  byError: Record<string, number>;
  /** A few HAR ids of failed requests. */
  evidence: string[];
}

export interface ErrorRateInput {
  check: { id: string; title: string; suite: Suite; references: Reference[] };
  subject: { id: string; label: string };
  reference: { id: string; label: string };
  subjectCounts: OutcomeCounts;
  referenceCounts: OutcomeCounts;
  ctx: AnalysisContext;
}

/** Drafts the finding for one subject/reference pair. */
export function compareErrorRates(input: ErrorRateInput): FindingDraft {
  const { check, subject, reference, subjectCounts: s, referenceCounts: r } = input;
  const base = {
    ...findingHead(check, subject.id, reference.id),
    evidence: [...s.evidence, ...r.evidence],
  };
  const counts: JsonObject = {
    n: { reference: r.n, subject: s.n },
    errors: { reference: r.errors, subject: s.errors },
    errorsByKind: { reference: r.byError, subject: s.byError },
  };
  if (s.n < MIN_REQUESTS || r.n < MIN_REQUESTS) {
    const summary = `Too few requests to compare error rates (${subject.label}: ${s.n}, ${reference.label}: ${r.n}; need ${MIN_REQUESTS}).`;
    return { ...base, verdict: 'inconclusive', summary, measurements: counts };
  }
  if (r.errors === r.n) {
    // A platform that accepted nothing from anyone shows no baseline: equal failure is not shown parity.
    const summary =
      `No request of ${reference.label} succeeded (${r.errors} of ${r.n} failed), so there ` +
      `is no working baseline to compare ${subject.label} with.`;
    return { ...base, verdict: 'inconclusive', summary, measurements: counts };
  }
  const alpha = input.ctx.analysis.alpha;
  const margin = ERROR_MARGIN_PP / 100;
  const test = worseTest(s, r);
  const ci95 = twoProportions(s.errors, s.n, r.errors, r.n, 0.95);
  const ciEq = twoProportions(s.errors, s.n, r.errors, r.n, 1 - 2 * alpha);
  const isEquivalent = ciEq.ciLow > -margin && ciEq.ciHigh < margin;
  const measurements: JsonObject = {
    ...counts,
    errorRate: { reference: roundTo(r.errors / r.n, 5), subject: roundTo(s.errors / s.n, 5) },
    difference: {
      estimatePp: pp(ci95.diff),
      ciLowPp: pp(ci95.ciLow),
      ciHighPp: pp(ci95.ciHigh),
      confidence: 0.95,
      method: 'Newcombe hybrid score',
    },
    test: { method: test.method, p: test.p, alternative: 'subject errs more' },
    equivalence: {
      ciLowPp: pp(ciEq.ciLow),
      ciHighPp: pp(ciEq.ciHigh),
      confidence: 1 - 2 * alpha,
      marginPp: ERROR_MARGIN_PP,
      isShown: isEquivalent,
    },
    marginPp: ERROR_MARGIN_PP,
  };
  const line =
    `${subject.label}: ${percent(s.errors, s.n)} of ` +
    `requests failed (${s.errors}/${s.n}${topErrors(s)}) ` +
    `vs ${percent(r.errors, r.n)} ` +
    `(${r.errors}/${r.n}) for ${reference.label}`;
  const difference = `difference ${signed(pp(ci95.diff))} points (95% CI ${pp(ci95.ciLow).toFixed(1)} to ${pp(ci95.ciHigh).toFixed(1)})`;
  return {
    ...base,
    verdict: 'pending',
    measurements,
    decision: {
      p: test.p,
      isBeyondMargin: ci95.diff > margin,
      isEquivalent,
      summaries: {
        fail: `${line}: ${difference}, ${pText(test.p)}; margin ${ERROR_MARGIN_PP} points.`,
        pass: `${line}: equal within ±${ERROR_MARGIN_PP} points (${pct(1 - 2 * alpha)} CI ${pp(ciEq.ciLow).toFixed(1)} to ${pp(ciEq.ciHigh).toFixed(1)}).`,
        inconclusive: `${line}: ${difference}, ${pText(test.p)}; neither worse by more than ${ERROR_MARGIN_PP} points nor shown equal within it.`,
      },
    },
  };
}

/** One-sided p-value that the subject's error rate is the higher one, with the test used. */
function worseTest(s: OutcomeCounts, r: OutcomeCounts): { method: string; p: number } {
  const total = s.n + r.n;
  const errors = s.errors + r.errors;
  const smallestExpected = Math.min(errors, total - errors) * (Math.min(s.n, r.n) / total);
  if (smallestExpected < 5)
    return { method: 'Fisher exact', p: fisherExact(s.errors, s.n - s.errors, r.errors, r.n - r.errors, 'greater').p };
  return { method: 'two-proportion z', p: twoProportions(s.errors, s.n, r.errors, r.n).pGreater };
}

function topErrors(counts: OutcomeCounts): string {
  const top = Object.entries(counts.byError)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2);
  return top.length === 0 ? '' : `; ${top.map(([kind, n]) => `${kind} ×${n}`).join(', ')}`;
}

function pp(fraction: number): number {
  return Math.round(fraction * 1e5) / 1e3;
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)}%`;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}

function pct(confidence: number): string {
  return `${Math.round(confidence * 1000) / 10}%`;
}

/** The one-line, plain-language summaries of a latency finding, one per verdict the decision rule can reach. */
import type { ShiftEstimate } from '../../src/stats/index.js';

export interface SummaryNumbers {
  metric: string;
  subject: string;
  reference: string;
  /** Hodges–Lehmann shift (subject − reference, ms) with its 95% CI. */
  shift: ShiftEstimate;
  shiftPct: number;
  /** One-sided p-value of "the subject is slower", before the run-wide correction. */
  p: number;
  marginPct: number;
  /** [subject, reference] medians in ms. */
  medians: [number, number];
  /** The (1 − 2α) CI of the shift that decides equivalence. */
  equivalenceCi: ShiftEstimate;
  confidence: number;
  /** [subject, reference] sample counts. */
  n: [number, number];
  mdePct: number;
}

/** "Third-party assistant is 1.48 ms slower at the median (95% CI 1.21–1.76 ms, +21.0%), p < 0.001; margin 10%." */
export function latencySummaries(s: SummaryNumbers): { fail: string; pass: string; inconclusive: string } {
  const metric = capitalise(s.metric);
  const direction = s.shift.estimate >= 0 ? 'slower' : 'faster';
  const difference =
    `${fmt(Math.abs(s.shift.estimate))} ms ` +
    `${direction} at the median than ${s.reference} ` +
    `(95% CI ${range(s.shift.ciLow, s.shift.ciHigh)} ` +
    `ms, ${signed(s.shiftPct)}%)`;
  return {
    fail: `${metric}: ${s.subject} is ${difference}, ${pText(s.p)}; margin ${s.marginPct}%.`,
    pass:
      `${metric}: ${s.subject} and ${s.reference} are equivalent within ` +
      `±${s.marginPct}% (median ${fmt(s.medians[0])} vs ${fmt(s.medians[1])} ` +
      `ms; shift ${fmt(s.shift.estimate)} ms, ${pct(s.confidence)} CI ` +
      `${range(s.equivalenceCi.ciLow, s.equivalenceCi.ciHigh)} ms).`,
    inconclusive:
      `${metric}: neither a slowdown beyond ${s.marginPct}% ` +
      `nor equivalence shown; ${s.subject} is ` +
      `${difference}, ${pText(s.p)}; n = ${s.n[0]}/${s.n[1]}, ` +
      `smallest detectable shift ${fmt(s.mdePct, 1)}%.`,
  };
}

/** "p < 0.001" or "p = 0.034". */
export function pText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

function fmt(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${fmt(value, 1)}`;
}

function range(low: number, high: number): string {
  return `${fmt(low)}–${fmt(high)}`;
}

function pct(confidence: number): string {
  return `${Math.round(confidence * 1000) / 10}%`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Compares one subject's latency samples with the reference's and drafts the parity finding the
 * run-wide decision rule resolves (src/engine/decide.ts). Shared by PAR-LAT-001/002/003.
 */
import type { AnalysisContext } from '../../src/engine/check.js';
import { describe, hodgesLehmann, ksTwoSample, mannWhitney, mdePct, tostLog } from '../../src/stats/index.js';
import type { FindingDraft, JsonObject, Observation, Reference, Suite } from '../../src/types.js';

export interface LatencyComparisonInput {
  check: { id: string; title: string; suite: Suite; references: Reference[] };
  /** What is being timed, for the summary ("send-message latency"). */
  metric: string;
  variant?: string;
  subject: { id: string; label: string };
  reference: { id: string; label: string };
  subjectSamples: readonly Observation[];
  referenceSamples: readonly Observation[];
  ctx: AnalysisContext;
}

/** The fewest successful samples per cohort for which a comparison is attempted. */
export const MIN_SAMPLES = 10;

/** Latency in ms of the measured (non-warm-up), successful samples. */
export function latenciesMs(samples: readonly Observation[]): number[] {
  return samples.filter((s) => s.outcome === 'ok' && (s.round ?? 0) >= 0 && s.latencyUs !== undefined).map((s) => (s.latencyUs ?? 0) / 1000);
}

/** Drafts the finding for one subject/reference pair. */
export function compareLatency(input: LatencyComparisonInput): FindingDraft {
  const { check, subject, reference, ctx } = input;
  const sub = latenciesMs(input.subjectSamples);
  const ref = latenciesMs(input.referenceSamples);
  const base = {
    checkId: check.id, title: check.title, suite: check.suite, cohort: subject.id, reference: reference.id,
    ...(input.variant === undefined ? {} : { variant: input.variant }),
    references: check.references,
    evidence: evidenceOf(input.subjectSamples, input.referenceSamples),
  };
  if (sub.length < MIN_SAMPLES || ref.length < MIN_SAMPLES) {
    const summary = `Too few successful samples to compare ${input.metric} (${subject.label}: ${sub.length}, ${reference.label}: ${ref.length}; need ${MIN_SAMPLES}).`;
    return { ...base, verdict: 'inconclusive', summary, measurements: { n: { reference: ref.length, subject: sub.length } } };
  }
  const marginPct = ctx.analysis.latencyMarginPct;
  const alpha = ctx.analysis.alpha;
  const dRef = describe(ref);
  const dSub = describe(sub);
  const shift = hodgesLehmann(sub, ref, 0.95);
  const mw = mannWhitney(sub, ref, 'greater');
  const ks = ksTwoSample(sub, ref);
  const tost = tostLog(sub, ref, marginPct);
  const mde = mdePct(ref.length, sub.length, pooledSdLog(ref, sub), alpha);
  const shiftPct = (shift.estimate / dRef.median) * 100;
  const measurements: JsonObject = {
    n: { reference: ref.length, subject: sub.length },
    failedSamples: { reference: input.referenceSamples.length - ref.length, subject: input.subjectSamples.length - sub.length },
    medianMs: { reference: round(dRef.median), subject: round(dSub.median) },
    p95Ms: { reference: round(dRef.p95), subject: round(dSub.p95) },
    p99Ms: { reference: round(dRef.p99), subject: round(dSub.p99) },
    shift: { estimateMs: round(shift.estimate), ciLowMs: round(shift.ciLow), ciHighMs: round(shift.ciHigh), estimatePct: round(shiftPct), confidence: 0.95 },
    mannWhitney: { u: mw.u, p: mw.p, alternative: 'subject slower' },
    ks: { d: round(ks.d), p: ks.p },
    tost: { p: tost.p, marginPct, ratio: round(tost.ratio), ciLow: round(tost.ciLow), ciHigh: round(tost.ciHigh) },
    mdePct: round(mde),
    marginPct,
  };
  const who = `${subject.label} vs ${reference.label}`;
  const diff = `${fmt(Math.abs(shift.estimate))} ms ${shift.estimate >= 0 ? 'slower' : 'faster'} at the median (95% CI ${fmt(shift.ciLow)} to ${fmt(shift.ciHigh)} ms, ${fmt(shiftPct, 1)}%)`;
  return {
    ...base,
    verdict: 'pending',
    measurements,
    decision: {
      p: mw.p,
      isBeyondMargin: shiftPct > marginPct,
      isEquivalent: tost.p < alpha,
      summaries: {
        fail: `${subject.label} gets ${input.metric} ${diff} than ${reference.label}, ${pText(mw.p)}; margin ${marginPct}%.`,
        pass: `${input.metric} equivalent within ±${marginPct}% (${who}): median ${fmt(dSub.median)} vs ${fmt(dRef.median)} ms, TOST ${pText(tost.p)}.`,
        inconclusive: `Neither a difference beyond ${marginPct}% nor equivalence shown for ${input.metric} (${who}: ${diff}, n = ${sub.length}/${ref.length}, smallest detectable shift ${fmt(mde, 1)}%).`,
      },
    },
  };
}

function pooledSdLog(a: readonly number[], b: readonly number[]): number {
  const sd = (values: readonly number[]): number => {
    const logs = values.map((v) => Math.log(Math.max(v, 1e-6)));
    const mean = logs.reduce((s, v) => s + v, 0) / logs.length;
    return Math.sqrt(logs.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, logs.length - 1));
  };
  return Math.sqrt((sd(a) ** 2 + sd(b) ** 2) / 2);
}

/** A handful of exchanges from each cohort, so a reader can open real requests behind the numbers. */
function evidenceOf(subject: readonly Observation[], reference: readonly Observation[]): string[] {
  const pick = (samples: readonly Observation[]): string[] => samples.filter((s) => (s.round ?? 0) >= 0).slice(0, 3).flatMap((s) => s.exchanges ?? []);
  return [...pick(subject), ...pick(reference)];
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : value;
}

function fmt(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** "p < 0.001" or "p = 0.034". */
export function pText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

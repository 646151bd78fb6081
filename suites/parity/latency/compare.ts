/**
 * Compares one subject's latency samples with the reference's and drafts the parity finding the
 * run-wide decision rule resolves (src/engine/decide.ts). Shared by PAR-LAT-001/002/003.
 *
 * - "worse": one-sided Mann–Whitney (subject slower), Holm-corrected across the run by decide();
 * - "beyond the margin": the Hodges–Lehmann shift exceeds marginPct % of the reference median;
 * - "equivalent": the (1 − 2α) Hodges–Lehmann CI lies inside ±marginPct % of the reference median, an
 *   α-level equivalence test like TOST but rank-based, so rare stalls that hit both cohorts alike
 *   (flaky platforms) do not stop equivalence from being shown. TOST on log latency is reported too.
 */
import type { AnalysisContext } from '../../../src/engine/check.js';
import { createRng } from '../../../src/core/rng.js';
import {
  bootstrapCi,
  describe,
  hodgesLehmann,
  ksTwoSample,
  mannWhitney,
  mdePct,
  median,
  quantileRatio,
  tostLog,
} from '../../../src/stats/index.js';
import type { FindingDraft, JsonObject, Observation, Reference, Suite } from '../../../src/core/types.js';
import { latencySummaries } from '../../shared/latency-summary.js';
import { findingHead, roundTo } from '../../shared/finding.js';

export interface LatencyComparisonInput {
  check: { id: string; title: string; suite: Suite; references: Reference[] };
  /** What is being timed, for the summary ("send-message latency (text)"). */
  metric: string;
  variant?: string;
  subject: { id: string; label: string };
  reference: { id: string; label: string };
  subjectSamples: readonly Observation[];
  referenceSamples: readonly Observation[];
  ctx: AnalysisContext;
  /** Extra measurements (the harness's schedule slip), copied into the finding. */
  extra?: JsonObject;
}

/** The fewest successful samples per cohort for which a comparison is attempted. */
export const MIN_SAMPLES = 10;

/** Latency in ms of the measured (non-warm-up), successful samples. */
export function latenciesMs(samples: readonly Observation[]): number[] {
  const values: number[] = [];
  for (const s of samples)
    if (s.outcome === 'ok' && (s.round ?? 0) >= 0 && s.latencyUs !== undefined) values.push(s.latencyUs / 1000);
  return values;
}

/** Drafts the finding for one subject/reference pair. */
export function compareLatency(input: LatencyComparisonInput): FindingDraft {
  const { check, subject, reference } = input;
  const sub = latenciesMs(input.subjectSamples);
  const ref = latenciesMs(input.referenceSamples);
  const base = {
    ...findingHead(check, subject.id, reference.id, input.variant),
    evidence: evidenceOf(input.subjectSamples, input.referenceSamples),
  };
  if (sub.length < MIN_SAMPLES || ref.length < MIN_SAMPLES) {
    const failures = [
      failureText(subject.label, input.subjectSamples),
      failureText(reference.label, input.referenceSamples),
    ].filter((t) => t !== '');
    const summary =
      `${capitalise(input.metric)}: too few successful ` +
      `samples to compare (${subject.label}: ${sub.length}, ` +
      `${reference.label}: ${ref.length}; need ` +
      `${MIN_SAMPLES})${failures.length === 0 ? '' : `; ${failures.join('; ')}`}.`;
    return {
      ...base,
      verdict: 'inconclusive',
      summary,
      measurements: {
        n: { reference: ref.length, subject: sub.length },
        ...failedCounts(input, sub, ref),
        ...(input.extra ?? {}),
      },
    };
  }
  const numbers = computeLatencyNumbers(sub, ref, input);
  return {
    ...base,
    verdict: 'pending',
    measurements: { ...numbers.measurements, ...failedCounts(input, sub, ref), ...(input.extra ?? {}) },
    decision: {
      p: numbers.p,
      isBeyondMargin: numbers.shiftPct > numbers.marginPct,
      isEquivalent: numbers.isEquivalent,
      summaries: latencySummaries({
        metric: input.metric,
        subject: subject.label,
        reference: reference.label,
        ...numbers.forSummary,
      }),
    },
  };
}

interface LatencyNumbers {
  measurements: JsonObject;
  p: number;
  shiftPct: number;
  marginPct: number;
  isEquivalent: boolean;
  forSummary: Omit<Parameters<typeof latencySummaries>[0], 'metric' | 'subject' | 'reference'>;
}

/** Every statistic of the latency measurements results.json names, from the two samples (ms) and the config. */
function computeLatencyNumbers(sub: number[], ref: number[], input: LatencyComparisonInput): LatencyNumbers {
  const { alpha, latencyMarginPct: marginPct } = input.ctx.analysis;
  const dRef = describe(ref);
  const dSub = describe(sub);
  const shift = hodgesLehmann(sub, ref, 0.95);
  const equivalenceCi = hodgesLehmann(sub, ref, 1 - 2 * alpha);
  const marginMs = (dRef.median * marginPct) / 100;
  const isEquivalent = equivalenceCi.ciLow > -marginMs && equivalenceCi.ciHigh < marginMs;
  const mw = mannWhitney(sub, ref, 'greater');
  const ks = ksTwoSample(sub, ref);
  const tost = tostLog(sub, ref, marginPct);
  const mde = mdePct(ref.length, sub.length, robustSdLog(ref, sub), alpha);
  const shiftPct = (shift.estimate / dRef.median) * 100;
  const measurements: JsonObject = {
    n: { reference: ref.length, subject: sub.length },
    medianMs: { reference: roundTo(dRef.median, 3), subject: roundTo(dSub.median, 3) },
    p95Ms: { reference: roundTo(dRef.p95, 3), subject: roundTo(dSub.p95, 3) },
    p99Ms: { reference: roundTo(dRef.p99, 3), subject: roundTo(dSub.p99, 3) },
    shift: {
      estimateMs: roundTo(shift.estimate, 3),
      ciLowMs: roundTo(shift.ciLow, 3),
      ciHighMs: roundTo(shift.ciHigh, 3),
      estimatePct: roundTo(shiftPct, 3),
      confidence: 0.95,
      method: 'Hodges-Lehmann',
    },
    ratios: bootstrapRatios(sub, ref, input),
    mannWhitney: { u: mw.u, p: mw.p, alternative: 'subject slower', method: mw.method },
    ks: { d: roundTo(ks.d, 3), p: ks.p },
    tost: {
      p: tost.p,
      marginPct,
      ratio: roundTo(tost.ratio, 3),
      ciLow: roundTo(tost.ciLow, 3),
      ciHigh: roundTo(tost.ciHigh, 3),
    },
    equivalence: {
      method: 'Hodges-Lehmann CI within ±margin',
      confidence: 1 - 2 * alpha,
      ciLowMs: roundTo(equivalenceCi.ciLow, 3),
      ciHighMs: roundTo(equivalenceCi.ciHigh, 3),
      marginMs: roundTo(marginMs, 3),
      isShown: isEquivalent,
    },
    mdePct: roundTo(mde, 3),
    marginPct,
  };
  return {
    measurements,
    p: mw.p,
    shiftPct,
    marginPct,
    isEquivalent,
    forSummary: {
      shift,
      shiftPct,
      p: mw.p,
      marginPct,
      medians: [dSub.median, dRef.median],
      equivalenceCi,
      confidence: 1 - 2 * alpha,
      n: [sub.length, ref.length],
      mdePct: mde,
    },
  };
}

/** Seeded percentile-bootstrap CIs of the subject/reference ratios of median, p95 and p99. */
function bootstrapRatios(sub: number[], ref: number[], input: LatencyComparisonInput): JsonObject {
  const rng = createRng(input.ctx.seed).fork(`${input.check.id}:${input.variant ?? ''}:${input.subject.id}`);
  const options = {
    resamples: input.ctx.analysis.bootstrapResamples,
    confidence: 0.95,
    random: () => rng.next(),
  };
  const ratio = (p: number): JsonObject => {
    const interval = bootstrapCi([sub, ref], quantileRatio(p), options);
    return {
      estimate: roundTo(interval.estimate, 3),
      ciLow: roundTo(interval.ciLow, 3),
      ciHigh: roundTo(interval.ciHigh, 3),
    };
  };
  return { median: ratio(0.5), p95: ratio(0.95), p99: ratio(0.99), confidence: 0.95, resamples: options.resamples };
}

/** SD of log latency from the MAD, so a few stalls do not inflate the stated detectable effect. */
function robustSdLog(a: readonly number[], b: readonly number[]): number {
  const madSd = (values: readonly number[]): number => {
    const logs = Float64Array.from(values, (v) => Math.log(Math.max(v, 1e-6)));
    const centre = median(logs);
    return 1.4826 * median(logs.map((v) => Math.abs(v - centre)));
  };
  return Math.sqrt((madSd(a) ** 2 + madSd(b) ** 2) / 2);
}

function failedCounts(input: LatencyComparisonInput, sub: readonly number[], ref: readonly number[]): JsonObject {
  const measured = (samples: readonly Observation[]): number => {
    let count = 0;
    for (const s of samples) if ((s.round ?? 0) >= 0) count += 1;
    return count;
  };
  return {
    failedSamples: {
      reference: measured(input.referenceSamples) - ref.length,
      subject: measured(input.subjectSamples) - sub.length,
    },
  };
}

/** "Third-party assistant's requests failed: error 131051 ×30" for the measured samples that failed, or ''. */
function failureText(label: string, samples: readonly Observation[]): string {
  const kinds = new Map<string, number>();
  for (const s of samples) {
    if ((s.round ?? 0) < 0 || s.outcome === 'ok' || s.outcome === undefined) continue;
    const code = s.data?.errorCode;
    const kind = typeof code === 'number' ? `error ${code}` : s.outcome;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  if (kinds.size === 0) return '';
  const top = [...kinds]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([kind, n]) => `${kind} ×${n}`);
  return `${label}'s requests failed: ${top.join(', ')}`;
}

/** A handful of exchanges from each cohort, so a reader can open real requests behind the numbers. */
function evidenceOf(subject: readonly Observation[], reference: readonly Observation[]): string[] {
  const pick = (samples: readonly Observation[]): string[] => {
    const picked: string[] = [];
    for (let i = 0, taken = 0; i < samples.length && taken < 3; i += 1) {
      const s = samples[i] as Observation;
      if ((s.round ?? 0) < 0) continue;
      picked.push(...(s.exchanges ?? []));
      taken += 1;
    }
    return picked;
  };
  return [...pick(subject), ...pick(reference)];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

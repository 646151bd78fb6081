/**
 * Combined latency findings of a merged bundle: the vantage points are strata, and the subject is compared
 * with the reference only within each of them (van Elteren's stratified rank-sum test, src/stats/van-elteren.ts),
 * never by averaging per-vantage summaries. The rule mirrors compare.ts:
 *
 * - "worse": one-sided van Elteren (subject slower), Holm-corrected with everything else in the merged bundle;
 * - "beyond the margin": the stratified shift (van Elteren inverted, a stratified Hodges–Lehmann) exceeds
 *   marginPct % of the pooled reference median;
 * - "equivalent": the (1 − 2α) interval of that shift lies inside ±margin.
 * A vantage point with fewer than MIN_SAMPLES successful samples in either cohort is left out of the strata.
 *
 * The samples are each vantage point's shared-stream samples of the check's kind (send, status, inbound),
 * measured (no warm-up, sent) and successful, exactly those its fixed-design per-vantage comparison uses.
 * It is the fixed-design rule: src/engine/strata.ts calls it only when `analysis.design` is "fixed".
 */
import type { AnalysisContext, CheckDefinition, CheckStratum } from '../../../src/engine/check.js';
import type { FindingDraft, JsonObject, Observation } from '../../../src/core/types.js';
import { describe, mdePct, vanElteren, vanElterenShift, type Stratum } from '../../../src/stats/index.js';
import { findingHead, roundTo } from '../../shared/finding.js';
import { latencySummaries } from '../../shared/latency-summary.js';
import { latenciesMs, MIN_SAMPLES } from './compare.js';
import {
  INBOUND_KIND,
  INBOUND_LATENCY,
  recordedPlan,
  SEND_KIND,
  SEND_LATENCY,
  STATUS_KIND,
  STATUS_LATENCY,
} from '../../shared/stream/plan.js';
import { measured } from '../../shared/stream/series.js';

/** The stream sample kind each latency check times. */
const SAMPLE_KIND: Readonly<Record<string, string>> = {
  [SEND_LATENCY]: SEND_KIND,
  [STATUS_LATENCY]: STATUS_KIND,
  [INBOUND_LATENCY]: INBOUND_KIND,
};

interface NamedStratum extends Stratum {
  vantage: string;
}

/** One combined draft per variant × subject, variants in the order they first appear. */
export function latencyStrata(
  check: CheckDefinition,
  strata: readonly CheckStratum[],
  ctx: AnalysisContext,
  metricOf: (variant: string) => string,
): FindingDraft[] {
  const kind = SAMPLE_KIND[check.id] ?? 'latency';
  const variants = [...new Set(strata.flatMap((s) => timedVariants(check, s.observations, kind)))];
  return variants.flatMap((variant) =>
    ctx.subjects.map((subject) => {
      const named = strata.map((s) => ({
        vantage: s.vantage,
        ...split(s.observations, kind, variant, subject.id, ctx),
      }));
      return combinedDraft(check, named, ctx, { variant, subject, metric: metricOf(variant) });
    }),
  );
}

/** The variants of `kind` the check compares at one vantage point (send: the plan's timed types only). */
function timedVariants(check: CheckDefinition, observations: readonly Observation[], kind: string): string[] {
  const seen = observations.filter((o) => o.kind === kind && (o.round ?? 0) >= 0).map(variantOf);
  if (check.id !== SEND_LATENCY) return seen;
  const timed = recordedPlan(observations, 'outbound')?.timedTypes;
  return timed === undefined ? seen : seen.filter((v) => timed.includes(v));
}

function variantOf(o: Observation): string {
  return o.variant ?? 'text';
}

function split(
  observations: readonly Observation[],
  kind: string,
  variant: string,
  subject: string,
  ctx: AnalysisContext,
): Stratum {
  return {
    x: latenciesMs(measured(observations, kind, variant, subject)),
    y: latenciesMs(measured(observations, kind, variant, ctx.reference.id)),
  };
}

function combinedDraft(
  check: CheckDefinition,
  named: NamedStratum[],
  ctx: AnalysisContext,
  what: { variant: string; subject: { id: string; label: string }; metric: string },
): FindingDraft {
  const head = { ...findingHead(check, what.subject.id, ctx.reference.id, what.variant), evidence: [] };
  const usable = named.filter((s) => s.x.length >= MIN_SAMPLES && s.y.length >= MIN_SAMPLES);
  const perStratum = named.map(stratumMeasurements);
  if (usable.length === 0) {
    const summary = `Across ${named.length} vantage points, ${what.metric}: no vantage point has ${MIN_SAMPLES} successful samples per cohort to compare.`;
    return { ...head, verdict: 'inconclusive', summary, measurements: { strata: perStratum } };
  }
  const { alpha, latencyMarginPct: marginPct } = ctx.analysis;
  const test = vanElteren(usable, 'greater');
  const shift = vanElterenShift(usable, 0.95);
  const equivalenceCi = vanElterenShift(usable, 1 - 2 * alpha);
  const sub = usable.flatMap((s) => s.x);
  const ref = usable.flatMap((s) => s.y);
  const dRef = describe(ref);
  const dSub = describe(sub);
  const marginMs = (dRef.median * marginPct) / 100;
  const shiftPct = (shift.estimate / dRef.median) * 100;
  const isEquivalent = equivalenceCi.ciLow > -marginMs && equivalenceCi.ciHigh < marginMs;
  const mde = mdePct(ref.length, sub.length, madSdLog([...sub, ...ref]), alpha);
  const prefix = `Across ${usable.length} vantage points (van Elteren, stratified by vantage): `;
  const summaries = latencySummaries({
    metric: what.metric,
    subject: what.subject.label,
    reference: ctx.reference.label,
    shift,
    shiftPct,
    p: test.p,
    marginPct,
    medians: [dSub.median, dRef.median],
    equivalenceCi,
    confidence: 1 - 2 * alpha,
    n: [sub.length, ref.length],
    mdePct: mde,
  });
  const measurements: JsonObject = {
    n: { reference: ref.length, subject: sub.length },
    medianMs: { reference: roundTo(dRef.median, 3), subject: roundTo(dSub.median, 3) },
    shift: {
      estimateMs: roundTo(shift.estimate, 3),
      ciLowMs: roundTo(shift.ciLow, 3),
      ciHighMs: roundTo(shift.ciHigh, 3),
      estimatePct: roundTo(shiftPct, 3),
      confidence: 0.95,
      method: 'van Elteren inverted (stratified Hodges-Lehmann)',
    },
    vanElteren: { statistic: test.statistic, z: test.z, p: test.p, strata: test.strata, alternative: 'subject slower' },
    equivalence: {
      method: 'stratified shift CI within ±margin of the pooled reference median',
      confidence: 1 - 2 * alpha,
      ciLowMs: roundTo(equivalenceCi.ciLow, 3),
      ciHighMs: roundTo(equivalenceCi.ciHigh, 3),
      marginMs: roundTo(marginMs, 3),
      isShown: isEquivalent,
    },
    mdePct: roundTo(mde, 3),
    marginPct,
    strata: perStratum,
  };
  return {
    ...head,
    verdict: 'pending',
    measurements,
    decision: {
      p: test.p,
      isBeyondMargin: shiftPct > marginPct,
      isEquivalent,
      summaries: {
        fail: prefix + summaries.fail,
        pass: prefix + summaries.pass,
        inconclusive: prefix + summaries.inconclusive,
      },
    },
  };
}

function stratumMeasurements(s: NamedStratum): JsonObject {
  const median = (values: readonly number[]): number | null =>
    values.length === 0 ? null : roundTo(describe(values).median, 3);
  return {
    vantage: s.vantage,
    n: { reference: s.y.length, subject: s.x.length },
    medianMs: { reference: median(s.y), subject: median(s.x) },
    isUsed: s.x.length >= MIN_SAMPLES && s.y.length >= MIN_SAMPLES,
  };
}

/** SD of log latency from the MAD (as compare.ts states its detectable effect). */
function madSdLog(values: readonly number[]): number {
  const logs = values.map((v) => Math.log(Math.max(v, 1e-6)));
  const centre = describe(logs).median;
  return 1.4826 * describe(logs.map((v) => Math.abs(v - centre))).median;
}

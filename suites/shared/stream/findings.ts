/**
 * Findings from a shared stream's samples, for both designs. Fixed: the check's own fixed-N comparison
 * (pending, resolved by the run-wide Holm rule). Sequential: the replayed looks decide (looks.ts), and
 * the finding keeps every measurement name of the fixed design, computed on the samples up to the
 * stopping point, plus `sequential` (stop, looks, confidence sequence, levels) and `harness` (its own
 * timing noise). Latency findings whose harness noise is too large for the margin are never `pass`.
 */
import type { AnalysisContext, CheckDefinition } from '../../../src/engine/check.js';
import type { FindingDraft, JsonObject, Observation } from '../../../src/core/types.js';
import {
  describe,
  latencyMdePct,
  errorRateMdePp,
  type ErrorRateLook,
  type LatencyLook,
} from '../../../src/stats/index.js';
import { findingHead, roundTo } from '../finding.js';
import type { SequentialResult } from './looks.js';
import { BATCH_KIND, failAlphaOf, recordedPlan, type StreamName, type StreamPlan } from './plan.js';
import { integrityProblem, measured, recordedStop, replayOf, type Comparison } from './series.js';

/** Harness delay above this share of the latency margin makes a latency comparison "contended". */
export const CONTENTION_SHARE = 1;

/** What a stream finding needs to know besides the samples. */
export interface StreamComparisonInput {
  check: CheckDefinition;
  observations: readonly Observation[];
  ctx: AnalysisContext;
  stream: StreamName;
  comparison: Comparison;
  subject: { id: string; label: string };
  /** What is being compared, for the summary ("send-message latency (text)"). */
  metric: string;
}

/** The stream's plan for this check, or an error finding when its samples are missing or were tampered with. */
export function streamPlanOrError(
  input: Pick<StreamComparisonInput, 'check' | 'observations' | 'ctx' | 'stream'>,
  kind: string,
  variants: (plan: StreamPlan) => Array<[string, string]>,
): StreamPlan | FindingDraft {
  const plan = recordedPlan(input.observations, input.stream);
  const cohorts = [input.ctx.reference.id, ...input.ctx.subjects.map((s) => s.id)];
  const reason =
    plan === null
      ? `no ${input.stream} stream was recorded for this check`
      : integrityProblem(input.observations, plan, cohorts, kind, variants(plan));
  if (plan !== null && reason === null) return plan;
  return {
    ...findingHead(input.check, null, input.ctx.reference.id),
    verdict: 'error',
    reason: reason ?? 'no stream',
    summary: `The ${input.stream} stream's samples cannot be analysed: ${reason ?? 'no stream'}.`,
    measurements: {},
    evidence: [],
  };
}

/** Samples of the comparison's two cohorts up to the round where its last look was taken. */
export function samplesUpTo(
  input: StreamComparisonInput,
  plan: StreamPlan,
  result: SequentialResult<unknown>,
): { reference: Observation[]; subject: Observation[] } {
  const { comparison, observations, ctx } = input;
  const of = (cohort: string): Observation[] =>
    measured(observations, comparison.sampleKind, comparison.variant, cohort);
  const reference = of(ctx.reference.id);
  const subject = of(comparison.subject);
  const usable = (samples: Observation[]): Observation[] =>
    comparison.kind === 'error-rate' ? samples : samples.filter((s) => s.outcome === 'ok' && (s.latencyUs ?? 0) > 0);
  const lastRound = (samples: Observation[]): number =>
    result.stopAt === 0 ? plan.lookEvery - 1 : (usable(samples)[result.stopAt - 1]?.round ?? Infinity);
  const until = Math.max(lastRound(reference), lastRound(subject));
  const upTo = (samples: Observation[]): Observation[] => samples.filter((s) => (s.round ?? 0) <= until);
  return { reference: upTo(reference), subject: upTo(subject) };
}

/** The harness's worst timing noise over the batches of a stream variant (µs), from the recorded batches. */
export function harnessNoise(observations: readonly Observation[], plan: StreamPlan, variant: string): JsonObject {
  const batches = observations
    .filter((o) => o.kind === BATCH_KIND && o.data?.stream === plan.stream)
    .filter((o) => Array.isArray(o.data?.variants) && o.data.variants.includes(variant))
    .map((o) => o.data ?? {});
  const worst = (key: string): number => Math.max(0, ...batches.map((b) => (typeof b[key] === 'number' ? b[key] : 0)));
  return {
    batches: batches.length,
    slipP50Us: worst('slipP50Us'),
    slipP90Us: worst('slipP90Us'),
    slipP99Us: worst('slipP99Us'),
    loopDelayP50Us: worst('loopDelayP50Us'),
    loopDelayP99Us: worst('loopDelayP99Us'),
  };
}

/** The harness's own delay in µs of the compared samples: the median of how late each left against its schedule. */
export function scheduleSlipP50Us(reference: readonly Observation[], subject: readonly Observation[]): number {
  const slips = [...reference, ...subject]
    .filter((o) => o.outcome === 'ok' && o.sentNs !== undefined && o.scheduledNs !== undefined)
    .map((o) => ((o.sentNs ?? 0) - (o.scheduledNs ?? 0)) / 1000)
    .sort((a, b) => a - b);
  return Math.round(slips.length === 0 ? 0 : (slips[Math.floor((slips.length - 1) / 2)] ?? 0));
}

/**
 * The harness's own delay (ms) that the contended test compares with the margin: its median schedule
 * slip plus its median event-loop delay. Both add to every latency it measures and inflate the reference
 * median the margin is a share of; once they exceed the margin, a margin-sized difference of the
 * platform's own could hide inside them, so equivalence is not claimed.
 */
function noiseMs(noise: JsonObject): number {
  return (Number(noise.sampleSlipP50Us ?? 0) + Number(noise.loopDelayP50Us ?? 0)) / 1000;
}

/** Drafts a latency finding from the stream (either design). */
export function streamLatencyFinding(
  input: StreamComparisonInput,
  plan: StreamPlan,
  fixed: (reference: Observation[], subject: Observation[], extra: JsonObject) => FindingDraft,
): FindingDraft {
  const { comparison, ctx, observations } = input;
  const noise = harnessNoise(observations, plan, comparison.streamVariant);
  if (plan.design === 'fixed') {
    const of = (cohort: string): Observation[] =>
      measured(observations, comparison.sampleKind, comparison.variant, cohort);
    return withContention(fixed(of(ctx.reference.id), of(comparison.subject), { harness: noise }), noise, ctx);
  }
  const result = replayOf(
    comparison,
    observations,
    plan,
    ctx.reference.id,
    ctx.analysis.latencyMarginPct,
  ) as SequentialResult<LatencyLook>;
  const { reference, subject } = samplesUpTo(input, plan, result);
  noise.sampleSlipP50Us = scheduleSlipP50Us(reference, subject);
  const draft = fixed(reference, subject, { harness: noise });
  const stop = recordedStop(observations, plan, comparison.streamVariant);
  const sequential = latencySequential(result, plan, comparison.streamVariant, reference, ctx, stop?.reason ?? 'none');
  if (draft.verdict !== 'pending') return { ...draft, measurements: { ...draft.measurements, sequential } };
  const { decision: _decision, verdict: _pending, ...head } = draft;
  const marginMs =
    (Number((draft.measurements.medianMs as JsonObject | undefined)?.reference ?? 0) * ctx.analysis.latencyMarginPct) /
    100;
  const isContended = noiseMs(noise) > CONTENTION_SHARE * marginMs;
  const verdict =
    result.decision === 'fail' ? 'fail' : result.decision === 'pass' && !isContended ? 'pass' : 'inconclusive';
  const summary = latencySummary(input, plan, result, verdict, {
    isContended,
    noise,
    marginMs,
    mdePct: sequential.mdePct === null ? Infinity : Number(sequential.mdePct),
    reason: stop?.reason ?? '',
  });
  return {
    ...head,
    verdict,
    summary,
    measurements: {
      ...draft.measurements,
      mdePct: sequential.mdePct ?? null,
      alpha: failAlphaOf(plan, comparison.streamVariant),
      sequential,
      harness: { ...noise, isContended, marginMs: roundTo(marginMs, 3) },
    },
  };
}

/** A fixed-design latency draft that cannot pass when the harness was contended. */
function withContention(draft: FindingDraft, noise: JsonObject, ctx: AnalysisContext): FindingDraft {
  if (draft.verdict !== 'pending') return draft;
  const marginMs =
    (Number((draft.measurements.medianMs as JsonObject | undefined)?.reference ?? 0) * ctx.analysis.latencyMarginPct) /
    100;
  const isContended = noiseMs(noise) > CONTENTION_SHARE * marginMs;
  const measurements = { ...draft.measurements, harness: { ...noise, isContended, marginMs: roundTo(marginMs, 3) } };
  if (!isContended) return { ...draft, measurements };
  const note = contentionNote(noise, marginMs);
  return {
    ...draft,
    measurements,
    decision: {
      ...draft.decision,
      isEquivalent: false,
      summaries: { ...draft.decision.summaries, inconclusive: `${draft.decision.summaries.inconclusive} ${note}` },
    },
  };
}

function contentionNote(noise: JsonObject, marginMs: number): string {
  const slip = ms(Number(noise.sampleSlipP50Us));
  const loop = ms(Number(noise.loopDelayP50Us));
  return (
    `The harness itself was contended (median schedule slip ${slip} ms plus event-loop delay ${loop} ms, ` +
    `more than the margin of ${marginMs.toFixed(2)} ms), so equivalence is not claimed.`
  );
}

function latencySequential(
  result: SequentialResult<LatencyLook>,
  plan: StreamPlan,
  variant: string,
  reference: Observation[],
  ctx: AnalysisContext,
  stopReason: string,
): JsonObject {
  const logs = reference
    .filter((s) => s.outcome === 'ok' && (s.latencyUs ?? 0) > 0)
    .map((s) => Math.log(s.latencyUs ?? 1));
  const sdLog = logs.length < 2 ? 0.25 : madSd(logs);
  const mde =
    result.stopAt === 0
      ? Infinity
      : latencyMdePct(result.stopAt, {
          alpha: failAlphaOf(plan, variant),
          marginPct: ctx.analysis.latencyMarginPct,
          failRule: plan.failRule,
          sdLog,
        });
  return {
    design: 'sequential',
    method: 'betting on clipped scores of paired log-ratios (Waudby-Smith & Ramdas 2024)',
    decision: result.decision,
    stopAtPairs: result.stopAt,
    looks: result.looks,
    lookEvery: plan.lookEvery,
    maxSamples: plan.maxRounds[variant] ?? null,
    streamStop: stopReason,
    failAlpha: failAlphaOf(plan, variant),
    passAlpha: plan.passAlpha,
    comparisons: plan.comparisons,
    estimatePct: finite(roundTo(result.atPass?.estimatePct ?? Number.NaN, 3)),
    csLowPct: finite(roundTo(result.atPass?.cs.lowPct ?? -100, 3)),
    csHighPct: finite(roundTo(result.atPass?.cs.highPct ?? Infinity, 3)),
    pBeyondMargin: result.atFail?.pBeyondMargin ?? 1,
    pWorse: result.atFail?.pWorse ?? 1,
    mdePct: finite(roundTo(mde, 3)),
  };
}

interface SummaryExtras {
  isContended: boolean;
  noise: JsonObject;
  marginMs: number;
  mdePct: number;
  reason: string;
}

function latencySummary(
  input: StreamComparisonInput,
  plan: StreamPlan,
  result: SequentialResult<LatencyLook>,
  verdict: 'fail' | 'pass' | 'inconclusive',
  extras: SummaryExtras,
): string {
  const metric = capitalise(input.metric);
  const margin = input.ctx.analysis.latencyMarginPct;
  const look = result.atPass;
  const cs = `${signed(look?.cs.lowPct ?? -100)}% to ${signed(look?.cs.highPct ?? Infinity)}%`;
  const shift = `shift ${signed(look?.estimatePct ?? Number.NaN)}% (${pct(1 - 2 * plan.passAlpha)} confidence sequence ${cs})`;
  const who = `${input.subject.label} vs ${input.ctx.reference.label}`;
  const after = `after ${result.stopAt} pairs`;
  const how = failText(plan, input.comparison.streamVariant, `${margin}%`, result.atFail?.pValue ?? 1);
  if (verdict === 'fail')
    return `${metric}: ${input.subject.label} is slower than ${input.ctx.reference.label} ${how}, ${shift}, ${after}.`;
  if (verdict === 'pass') return `${metric}: ${who} equal within ±${margin}%, ${shift}, ${after}.`;
  if (extras.isContended && result.decision === 'pass')
    return `${metric}: ${who}: ${shift}, ${after}. ${contentionNote(extras.noise, extras.marginMs)}`;
  const why =
    result.decision === 'inconclusive'
      ? `the cap of ${result.stopAt} pairs was reached`
      : `the stream stopped (${extras.reason || 'samples ran out'}) before a decision`;
  const contended = extras.isContended ? ` ${contentionNote(extras.noise, extras.marginMs)}` : '';
  const neither = `neither slower by more than ${margin}% nor shown equal within it`;
  return `${metric}: ${who}: ${neither}; ${why}; ${shift}; smallest detectable slowdown ${fmtPct(extras.mdePct)}.${contended}`;
}

/** Drafts the PAR-ERR-001 finding from the stream (either design). */
export function streamErrorRateFinding(
  input: StreamComparisonInput,
  plan: StreamPlan,
  fixed: (reference: Observation[], subject: Observation[]) => FindingDraft,
  marginPp: number,
): FindingDraft {
  const { comparison, ctx, observations } = input;
  if (plan.design === 'fixed') {
    const of = (cohort: string): Observation[] =>
      measured(observations, comparison.sampleKind, comparison.variant, cohort);
    return fixed(of(ctx.reference.id), of(comparison.subject));
  }
  const result = replayOf(
    comparison,
    observations,
    plan,
    ctx.reference.id,
    ctx.analysis.latencyMarginPct,
  ) as SequentialResult<ErrorRateLook>;
  const { reference, subject } = samplesUpTo(input, plan, result);
  const draft = fixed(reference, subject);
  const referenceRatePct =
    reference.length === 0 ? 0 : (100 * reference.filter((s) => s.outcome !== 'ok').length) / reference.length;
  const mdePp =
    result.stopAt === 0
      ? Infinity
      : errorRateMdePp(result.stopAt, {
          alpha: failAlphaOf(plan, 'text'),
          marginPp,
          referenceRatePct,
          failRule: plan.failRule,
        });
  const stop = recordedStop(observations, plan, comparison.streamVariant);
  const sequential: JsonObject = {
    design: 'sequential',
    method: 'betting confidence sequence on paired outcome differences (Waudby-Smith & Ramdas 2024)',
    decision: result.decision,
    stopAtPairs: result.stopAt,
    looks: result.looks,
    lookEvery: plan.lookEvery,
    streamStop: stop?.reason ?? 'none',
    failAlpha: failAlphaOf(plan, 'text'),
    passAlpha: plan.passAlpha,
    comparisons: plan.comparisons,
    estimatePp: finite(roundTo(result.atPass?.estimatePp ?? Number.NaN, 3)),
    csLowPp: finite(roundTo(result.atPass?.cs.lowPp ?? -100, 3)),
    csHighPp: finite(roundTo(result.atPass?.cs.highPp ?? 100, 3)),
    pBeyondMargin: result.atFail?.pBeyondMargin ?? 1,
    mdePp: finite(roundTo(mdePp, 3)),
  };
  if (draft.verdict !== 'pending') return { ...draft, measurements: { ...draft.measurements, sequential } };
  const { decision: _decision, verdict: _pending, ...head } = draft;
  const verdict = result.decision === 'fail' ? 'fail' : result.decision === 'pass' ? 'pass' : 'inconclusive';
  const look = result.atPass;
  const rates = `${input.subject.label} ${percent(subject)} of requests failed vs ${percent(reference)} for ${ctx.reference.label}`;
  const interval = `${signed(look?.cs.lowPp ?? -100)} to ${signed(look?.cs.highPp ?? 100)}`;
  const cs = `difference ${signed(look?.estimatePp ?? 0)} points (${pct(1 - 2 * plan.passAlpha)} confidence sequence ${interval})`;
  const summary =
    verdict === 'fail'
      ? `${rates}: worse ${failText(plan, 'text', `${marginPp} points`, result.atFail?.pValue ?? 1)}, ${cs}, after ${result.stopAt} pairs.`
      : verdict === 'pass'
        ? `${rates}: equal within ±${marginPp} points, ${cs}, after ${result.stopAt} pairs.`
        : `${rates}: neither worse by more than ${marginPp} points nor shown equal within it after ${result.stopAt} pairs ` +
          `(${stop?.reason ?? 'no stop'}); ${cs}; smallest detectable difference ${fmtPct(mdePp)} points.`;
  return {
    ...head,
    verdict,
    summary,
    measurements: { ...draft.measurements, alpha: failAlphaOf(plan, 'text'), sequential },
  };
}

/** How the fail was established, in the words of the plan's rule. */
function failText(plan: StreamPlan, variant: string, margin: string, p: number): string {
  const level = `anytime-valid p ${pValue(p)} < ${sig(failAlphaOf(plan, variant))}`;
  return plan.failRule === 'beyond-margin'
    ? `by more than the ${margin} margin (${level})`
    : `(${level}) and by more than the ${margin} margin at the estimate`;
}

/** A number as results.json can hold it: JSON has no Infinity or NaN, so an unbounded end is null. */
function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function madSd(values: number[]): number {
  const centre = describe(values).median;
  return 1.4826 * describe(values.map((v) => Math.abs(v - centre))).median;
}

function percent(samples: readonly Observation[]): string {
  if (samples.length === 0) return '0.0%';
  return `${((100 * samples.filter((s) => s.outcome !== 'ok').length) / samples.length).toFixed(1)}%`;
}

function ms(us: number): string {
  return (us / 1000).toFixed(2);
}

function signed(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '+∞' : '−∞';
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}

function fmtPct(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)}%` : 'none within the cap';
}

function pct(confidence: number): string {
  return `${Math.round(confidence * 1000) / 10}%`;
}

function sig(value: number): string {
  return Number(value.toPrecision(2)).toString();
}

function pValue(p: number): string {
  return p < 1e-4 ? '< 0.0001' : Number(p.toPrecision(2)).toString();
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

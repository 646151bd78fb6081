/**
 * The plan of the shared traffic streams (docs/architecture.md, "Shared streams" and "Sequential design"):
 * which checks each stream serves, which variants it sends, when it looks and where it stops. The plan
 * is fixed before the first request and recorded as the stream's first sample, so analysis and
 * `verify` replay the looks under exactly the settings the run stopped under.
 */
import type { AuditConfig, CohortConfig } from '../../../src/config/types.js';
import type { JsonObject, Observation } from '../../../src/core/types.js';
import type { FailRule } from '../../../src/stats/index.js';
import { LATENCY_TYPES } from '../probe-messages.js';

/** Check ids the streams serve (the families keep their ids; the streams only carry their traffic). */
export const SEND_LATENCY = 'PAR-LAT-001';
export const INBOUND_LATENCY = 'PAR-LAT-002';
export const STATUS_LATENCY = 'PAR-LAT-003';
export const ERROR_RATE = 'PAR-ERR-001';
export const FEE_SIGNALS = 'PAR-FEE-001';
export const FREE_TIER = 'PAR-FEE-002';
/** The checks that read fee signals off the stream's text sends. */
const FEE_CHECKS: readonly string[] = [FEE_SIGNALS, FREE_TIER];
export const INBOUND_EVENTS = 'PAR-FEAT-002';

/** Statuses PAR-LAT-003 times, in the order the platform sends them. */
export const STATUSES = ['sent', 'delivered', 'read'] as const;

/** Observation kinds of the streams. */
export const PLAN_KIND = 'stream-plan';
export const STOP_KIND = 'stream-stop';
export const BATCH_KIND = 'stream-batch';
export const SEND_KIND = 'send';
export const STATUS_KIND = 'status';
export const INBOUND_KIND = 'inbound';

/** Rounds between looks: each comparison is looked at after every batch of this many rounds. */
export const LOOK_EVERY = 10;
/** Rounds of text PAR-FEE-001 needs: fee signals are read off every message, not estimated. */
export const FEE_ROUNDS = 20;
/** Observation kind of PAR-FEE-002's mark, per cohort, of where its count of messages starts. */
export const PROBE_START_KIND = 'probe-start';
/** Offered rate per cohort of a stream only the fee checks need: it times nothing, so it need not go slow. */
export const FEE_PROBE_RPS_PER_COHORT = 30;
/** Sample cap per cohort under `--quick`: enough for the default scenario's planted slowdown to fail. */
export const QUICK_MAX_SAMPLES = 120;
/** Warm-up rounds under `--quick` at most (connections are open after the first). */
export const QUICK_WARMUP = 5;
/** Default of `analysis.maxSamples` (schemas/config.schema.json). */
export const DEFAULT_MAX_SAMPLES = 270;
/** Sequential design: the cap of every message type but text is a twentieth of maxSamples, at least this. */
export const MIN_SEQUENTIAL_TYPE_SAMPLES = 15;
/** Fixed design: rounds of every type but text (today's rule: a tenth of `samples`, at least this). */
export const MIN_TYPE_SAMPLES = 30;
/** Fixed design (what `--quick` runs unless `--design` says otherwise): text samples under `--quick`. */
export const QUICK_SAMPLES = 60;

/** What a stream is: outbound sends per message type, or inbound user messages. */
export type StreamName = 'outbound' | 'inbound';

/** The recorded plan of one stream. */
export interface StreamPlan {
  stream: StreamName;
  design: 'sequential' | 'fixed';
  /** The checks this stream serves in this run. */
  metrics: string[];
  variants: string[];
  /** The message types PAR-LAT-001 times (the others are sent for PAR-ERR-001 / PAR-FEE-001 only). */
  timedTypes: string[];
  warmupRounds: number;
  /** Rounds per cohort at which each variant stops at the latest (the cap; fixed design: exactly). */
  maxRounds: Record<string, number>;
  lookEvery: number;
  /** Sequential comparisons of the whole run (both streams). */
  comparisons: number;
  /**
   * Level at which a sequential fail is established, per stream variant: a weighted Bonferroni split of
   * alpha over the run's comparisons, fixed before the run, each comparison weighted by its cap (the
   * rounds it may use), so that comparisons too short to establish anything do not dilute the others.
   */
  failAlphas: Record<string, number>;
  /** Level of each side of a sequential pass (the 1 − 2·passAlpha confidence sequence inside ±δ). */
  passAlpha: number;
  /** What a sequential fail needs (src/stats/sequential/latency.ts): "significant-and-beyond" or "beyond-margin". */
  failRule: FailRule;
  ratePerSec: number;
  feeRounds: number;
}

/** What a plan needs to know of the run (a CheckContext or a PlanContext). */
export interface PlanInput {
  config: AuditConfig;
  cohorts: CohortConfig[];
  subjects: CohortConfig[];
  isQuick: boolean;
  isSelected(checkId: string): boolean;
  /** Whether the run has a webhook receiver (status callbacks are then part of the outbound stream). */
  hasWebhook: boolean;
}

/** The message types PAR-LAT-001 times: the configured ones, or only text for a `--quick` smoke run. */
export function latencyTypes(input: Pick<PlanInput, 'config' | 'isQuick'>): string[] {
  const types = input.config.analysis.latencyTypes ?? [...LATENCY_TYPES];
  if (!input.isQuick) return types;
  return types.includes('text') ? ['text'] : types.slice(0, 1);
}

/** Offered rate of the streams: far below any rate limit, and never above half the budget. */
export function streamRate(input: Pick<PlanInput, 'config'>): number {
  return Math.min(input.config.analysis.latencyRps, input.config.limits.maxRps / 2);
}

/** Offered rate of a fee-only stream: as the fee probes sent before streams were shared, within half the budget. */
function feeProbeRate(input: Pick<PlanInput, 'config' | 'cohorts'>): number {
  return Math.min(FEE_PROBE_RPS_PER_COHORT * input.cohorts.length, input.config.limits.maxRps / 2);
}

/** The plan of the outbound (send) stream, or null when no selected check needs it. */
export function outboundPlan(input: PlanInput): StreamPlan | null {
  const metrics = [SEND_LATENCY, STATUS_LATENCY, ERROR_RATE, FEE_SIGNALS, FREE_TIER].filter(
    (id) => input.isSelected(id) && (id !== STATUS_LATENCY || input.hasWebhook),
  );
  if (metrics.length === 0) return null;
  const types = input.isSelected(SEND_LATENCY) ? latencyTypes(input) : [];
  const variants = metrics.some((m) => m !== SEND_LATENCY) && !types.includes('text') ? ['text', ...types] : types;
  return planOf(input, 'outbound', metrics, variants, types);
}

/**
 * The plan of the inbound (user → assistant) stream, or null when PAR-LAT-002 is not selected. Its user
 * messages are text, so they also serve PAR-FEAT-002's text row when that check is selected.
 */
export function inboundPlan(input: PlanInput): StreamPlan | null {
  const metrics = [INBOUND_LATENCY, ...(input.isSelected(INBOUND_EVENTS) ? [INBOUND_EVENTS] : [])];
  return input.isSelected(INBOUND_LATENCY) ? planOf(input, 'inbound', metrics, ['inbound'], ['inbound']) : null;
}

function planOf(
  input: PlanInput,
  stream: StreamName,
  metrics: string[],
  variants: string[],
  timedTypes: string[],
): StreamPlan {
  const { analysis } = input.config;
  const design = analysis.design ?? 'sequential';
  const comparisons = sequentialComparisons(input);
  const maxRounds = Object.fromEntries(variants.map((v) => [v, roundsCap(input, design, v, metrics)]));
  const total = totalWeight(input, design);
  const failAlphas = Object.fromEntries(
    variants.map((v) => [v, (analysis.alpha * (maxRounds[v] ?? 0)) / Math.max(1, total)]),
  );
  return {
    stream,
    design,
    metrics,
    variants,
    timedTypes,
    warmupRounds: isFeeOnly(metrics) ? 0 : input.isQuick ? Math.min(QUICK_WARMUP, analysis.warmup) : analysis.warmup,
    maxRounds,
    lookEvery: LOOK_EVERY,
    comparisons,
    failAlphas,
    passAlpha: analysis.alpha,
    failRule: analysis.failRule ?? 'significant-and-beyond',
    ratePerSec: isFeeOnly(metrics) ? feeProbeRate(input) : streamRate(input),
    feeRounds: feeRounds(input),
  };
}

/**
 * The cap of one variant: maxSamples (sequential) or today's fixed N; for text at least the rounds the
 * selected fee checks read (a comparison decided earlier keeps the text going: isFeeSatisfied).
 */
function roundsCap(input: PlanInput, design: 'sequential' | 'fixed', variant: string, metrics: string[]): number {
  if (isFeeOnly(metrics)) return feeRounds(input);
  const cap = measuredCap(input, design, variant);
  return variant === 'text' ? Math.max(cap, feeRounds(input)) : cap;
}

/** The cap of one variant for the comparisons it serves. */
function measuredCap(input: PlanInput, design: 'sequential' | 'fixed', variant: string): number {
  const { analysis } = input.config;
  if (design === 'sequential') {
    const max = analysis.maxSamples ?? DEFAULT_MAX_SAMPLES;
    const cap = input.isQuick ? Math.min(QUICK_MAX_SAMPLES, max) : max;
    // Spend rounds where the comparisons are: text serves five per subject (send latency, three statuses,
    // error rate; 0 vs 0 errors passes at 264 pairs), the inbound stream one, every other type one.
    if (variant === 'text') return cap;
    if (variant === 'inbound') return Math.max(MIN_TYPE_SAMPLES, Math.round(cap / 5));
    return Math.min(cap, Math.max(MIN_SEQUENTIAL_TYPE_SAMPLES, Math.round(cap / 20)));
  }
  const samples = input.isQuick ? Math.min(QUICK_SAMPLES, analysis.samples) : analysis.samples;
  if (variant === 'text' || variant === 'inbound') return samples;
  return Math.min(samples, Math.max(MIN_TYPE_SAMPLES, Math.round(samples / 10)));
}

/** A stream that only the fee checks need: a short fee probe, as they sent before streams were shared. */
function isFeeOnly(metrics: readonly string[]): boolean {
  return metrics.every((m) => FEE_CHECKS.includes(m));
}

/**
 * Text rounds the fee checks need at least: PAR-FEE-001 reads fee signals off 20 (10 under `--quick`);
 * PAR-FEE-002 counts `analysis.feeProbeMessages` (not shortened under `--quick`: a free tier of 40
 * messages must still show).
 */
function feeRounds(input: Pick<PlanInput, 'isQuick' | 'isSelected' | 'config'>): number {
  const signals = input.isSelected(FEE_SIGNALS) ? (input.isQuick ? FEE_ROUNDS / 2 : FEE_ROUNDS) : 0;
  const tier = input.isSelected(FREE_TIER) ? input.config.analysis.feeProbeMessages : 0;
  return Math.max(signals, tier);
}

/** Whether the plan's text variant is held for the fee checks' rounds. */
export function servesFees(plan: { readonly metrics: readonly string[] }): boolean {
  return plan.metrics.some((m) => FEE_CHECKS.includes(m));
}

/** Σ of every sequential comparison's weight (its cap) over the run's subjects, metrics and variants. */
function totalWeight(input: PlanInput, design: 'sequential' | 'fixed'): number {
  const cap = (variant: string): number => roundsCap(input, design, variant, [SEND_LATENCY]);
  const perSubject =
    (input.isSelected(SEND_LATENCY) ? latencyTypes(input).reduce((sum, t) => sum + cap(t), 0) : 0) +
    (input.isSelected(STATUS_LATENCY) && input.hasWebhook ? STATUSES.length * cap('text') : 0) +
    (input.isSelected(ERROR_RATE) ? cap('text') : 0) +
    (input.isSelected(INBOUND_LATENCY) ? cap('inbound') : 0);
  return perSubject * input.subjects.length;
}

/** The fail level of a comparison on `variant` of the stream (statuses and error rate: 'text'). */
export function failAlphaOf(plan: StreamPlan, variant: string): number {
  return plan.failAlphas[variant] ?? 0;
}

/** Sequential comparisons of the run: subjects × (types + statuses + error rate + inbound), for the α split. */
export function sequentialComparisons(input: PlanInput): number {
  const perSubject =
    (input.isSelected(SEND_LATENCY) ? latencyTypes(input).length : 0) +
    (input.isSelected(STATUS_LATENCY) && input.hasWebhook ? STATUSES.length : 0) +
    (input.isSelected(ERROR_RATE) ? 1 : 0) +
    (input.isSelected(INBOUND_LATENCY) ? 1 : 0);
  return perSubject * input.subjects.length;
}

/** The plan as recorded in samples.ndjson. */
export function planData(plan: StreamPlan): JsonObject {
  return {
    ...plan,
    variants: [...plan.variants],
    timedTypes: [...plan.timedTypes],
    maxRounds: { ...plan.maxRounds },
    failAlphas: { ...plan.failAlphas },
  };
}

/** The recorded plan of `stream` among a check's observations, or null (the check ran without a stream). */
export function recordedPlan(observations: readonly Observation[], stream: StreamName): StreamPlan | null {
  const found = observations.find((o) => o.kind === PLAN_KIND && o.data?.stream === stream);
  return found === undefined ? null : (found.data as unknown as StreamPlan);
}

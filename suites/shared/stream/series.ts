/**
 * From a stream's samples to the series each comparison looks at, and the comparisons of a variant.
 * Pure, shared by the stream (to decide when to stop) and by analysis (to draft the findings).
 */
import type { Observation } from '../../../src/core/types.js';
import { replayErrorRate, replayLatency, type SequentialDecision, type Series } from './looks.js';
import {
  ERROR_RATE,
  INBOUND_KIND,
  INBOUND_LATENCY,
  SEND_KIND,
  SEND_LATENCY,
  STATUS_KIND,
  STATUS_LATENCY,
  STATUSES,
  STOP_KIND,
  servesFees,
  type StreamPlan,
} from './plan.js';

/** Error-rate margin of PAR-ERR-001, in percentage points (suites/parity/error-rate/compare.ts). */
export const ERROR_MARGIN_PP = 2;

/** Outcomes that say nothing about the target: the harness did not send the request. */
export const NOT_SENT = new Set(['budget-exhausted', 'cancelled']);

/**
 * What the looks read of a sample: the running stream keeps only this of each sample it records, so its
 * memory is a few numbers per sample rather than the whole observation.
 */
export type LookedAt = Pick<Observation, 'kind' | 'variant' | 'cohort' | 'round' | 'outcome' | 'latencyUs' | 'seq'>;

/** Whether a stream keeps its samples for looks: the fixed design never looks, so a soak keeps none. */
export function keepsLookedAt(plan: Pick<StreamPlan, 'design'>): boolean {
  return plan.design !== 'fixed';
}

/** The part of a sample the looks read. */
export function lookedAt(sample: LookedAt): LookedAt {
  const { kind, variant, cohort, round, outcome, latencyUs, seq } = sample;
  return { kind, variant, cohort, round, outcome, latencyUs, seq };
}

/** Measured (non-warm-up) samples of one kind and variant for one cohort, in round order. */
export function measured<T extends LookedAt>(
  observations: readonly T[],
  kind: string,
  variant: string,
  cohort: string,
): T[] {
  return observations
    .filter(
      (o) =>
        o.kind === kind &&
        (o.variant ?? 'text') === variant &&
        o.cohort === cohort &&
        (o.round ?? 0) >= 0 &&
        (o.outcome === undefined || !NOT_SENT.has(o.outcome)),
    )
    .sort((a, b) => (a.round ?? 0) - (b.round ?? 0) || a.seq - b.seq);
}

/** Successful latencies (ms) of one cohort as a series. */
export function latencySeries(samples: readonly LookedAt[]): Series<number> {
  const usable = samples.filter((s) => s.outcome === 'ok' && s.latencyUs !== undefined && s.latencyUs > 0);
  return {
    values: usable.map((s) => (s.latencyUs ?? 0) / 1000),
    valueRounds: usable.map((s) => s.round ?? 0),
    measuredRounds: samples.length,
  };
}

/** Outcomes (true = failed) of one cohort as a series. */
export function outcomeSeries(samples: readonly LookedAt[]): Series<boolean> {
  return {
    values: samples.map((s) => s.outcome !== 'ok'),
    valueRounds: samples.map((s) => s.round ?? 0),
    measuredRounds: samples.length,
  };
}

/** One comparison of a stream: which check, variant (message type, status, inbound) and subject. */
export interface Comparison {
  check: string;
  variant: string;
  /** The variant of the stream the comparison's samples come from. */
  streamVariant: string;
  subject: string;
  kind: 'latency' | 'error-rate';
  sampleKind: string;
}

/** The comparisons a stream variant serves in this plan, per subject. */
export function comparisonsOf(plan: StreamPlan, variant: string, subjects: readonly string[]): Comparison[] {
  const serves = (check: string): boolean => plan.metrics.includes(check);
  const specs: Array<Omit<Comparison, 'subject' | 'streamVariant'>> = [];
  if (plan.stream === 'inbound')
    specs.push({ check: INBOUND_LATENCY, variant, kind: 'latency', sampleKind: INBOUND_KIND });
  if (plan.stream === 'outbound' && serves(SEND_LATENCY) && plan.timedTypes.includes(variant))
    specs.push({ check: SEND_LATENCY, variant, kind: 'latency', sampleKind: SEND_KIND });
  if (plan.stream === 'outbound' && variant === 'text') {
    if (serves(STATUS_LATENCY))
      for (const status of STATUSES)
        specs.push({ check: STATUS_LATENCY, variant: status, kind: 'latency', sampleKind: STATUS_KIND });
    if (serves(ERROR_RATE))
      specs.push({ check: ERROR_RATE, variant: 'text', kind: 'error-rate', sampleKind: SEND_KIND });
  }
  return specs.flatMap((spec) => subjects.map((subject) => ({ ...spec, subject, streamVariant: variant })));
}

/** The sequential decision of one comparison on the samples so far. */
export function decisionOf(
  comparison: Comparison,
  observations: readonly LookedAt[],
  plan: StreamPlan,
  reference: string,
  marginPct: number,
  seen = 0,
): { decision: SequentialDecision; pairs: number } {
  const result = replayOf(comparison, observations, plan, reference, marginPct, seen);
  return { decision: result.decision, pairs: result.stopAt };
}

/** The replay of one comparison (latency or error rate) on the samples given. */
export function replayOf(
  comparison: Comparison,
  observations: readonly LookedAt[],
  plan: StreamPlan,
  reference: string,
  marginPct: number,
  seen = 0,
) {
  const of = (cohort: string): LookedAt[] => measured(observations, comparison.sampleKind, comparison.variant, cohort);
  if (comparison.kind === 'error-rate')
    return replayErrorRate(
      outcomeSeries(of(reference)),
      outcomeSeries(of(comparison.subject)),
      plan,
      comparison.streamVariant,
      ERROR_MARGIN_PP,
      seen,
    );
  return replayLatency(
    latencySeries(of(reference)),
    latencySeries(of(comparison.subject)),
    plan,
    comparison.streamVariant,
    marginPct,
    seen,
  );
}

/** Whether a variant's extra needs are met: the fee checks read fee signals off a fixed number of text rounds. */
export function isFeeSatisfied(plan: StreamPlan, variant: string, rounds: number): boolean {
  return !(servesFees(plan) && variant === 'text' && rounds < plan.feeRounds);
}

/**
 * The recorded stop of a variant: rounds per cohort and why, or null when none was recorded. The last one
 * counts: a run interrupted by Ctrl-C records an `interrupted` stop, and its resumption the real one later.
 */
export function recordedStop(
  observations: readonly Observation[],
  plan: StreamPlan,
  variant: string,
): { rounds: number; reason: string } | null {
  const stop = observations.findLast(
    (o) => o.kind === STOP_KIND && o.data?.stream === plan.stream && o.data.variant === variant,
  );
  if (stop === undefined) return null;
  return { rounds: Number(stop.data?.rounds ?? 0), reason: String(stop.data?.reason ?? '') };
}

/**
 * Why the stream's samples cannot be trusted as recorded, or null: the sequence numbers must rise in
 * file order (a reordered samples.ndjson changes which samples each look saw), and every cohort must
 * hold every round the stream recorded stopping at (a truncated file hides where it stopped).
 */
export function integrityProblem(
  observations: readonly Observation[],
  plan: StreamPlan,
  cohorts: readonly string[],
  kind: string,
  variants: ReadonlyArray<readonly [string, string]>,
): string | null {
  for (let i = 1; i < observations.length; i += 1)
    if ((observations[i]?.seq ?? 0) <= (observations[i - 1]?.seq ?? 0))
      return `the ${plan.stream} stream's samples are out of recorded order (seq ${observations[i]?.seq} after ${observations[i - 1]?.seq})`;
  for (const [variant, streamVariant] of variants) {
    const stop = recordedStop(observations, plan, streamVariant);
    if (stop === null) return `the ${plan.stream} stream recorded no stop for '${streamVariant}'`;
    if (stop.reason === 'interrupted') continue;
    const held = roundsHeld(observations, kind, variant, cohorts, stop.rounds);
    for (const cohort of cohorts) {
      const rounds = held.get(cohort) ?? 0;
      if (rounds < stop.rounds)
        return `samples hold ${rounds} of the ${stop.rounds} rounds of '${variant}' the ${plan.stream} stream recorded for ${cohort}: cut short`;
    }
  }
  return null;
}

/**
 * How many distinct measured rounds (≥ 0) of one kind and variant each cohort's samples hold, in one pass:
 * a bit per round below `expected`, a Set only for rounds past it (a tampered file's).
 */
function roundsHeld(
  observations: readonly Observation[],
  kind: string,
  variant: string,
  cohorts: readonly string[],
  expected: number,
): Map<string, number> {
  const seen = new Map(
    cohorts.map((cohort) => [cohort, { below: new Uint8Array(expected), above: new Set<number>(), count: 0 }]),
  );
  for (const o of observations) {
    if (o.kind !== kind || (o.variant ?? 'text') !== variant) continue;
    const mine = seen.get(o.cohort);
    const round = o.round ?? 0;
    if (mine === undefined || round < 0) continue;
    if (Number.isInteger(round) && round < expected) {
      if (mine.below[round] === 0) {
        mine.below[round] = 1;
        mine.count += 1;
      }
    } else if (!mine.above.has(round)) {
      mine.above.add(round);
      mine.count += 1;
    }
  }
  return new Map([...seen].map(([cohort, { count }]) => [cohort, count]));
}

/**
 * The looks of the sequential design (docs/architecture.md, "Shared streams"), as one pure function
 * of a stream's samples and its recorded plan: the stream calls it after every batch to decide whether
 * to go on, analysis calls it to draft the findings, and `verify` calls it again on samples.ndjson, so
 * all three reach the same stop and the same verdict.
 *
 * A fail is established at the plan's failAlphas (α split over the run's comparisons, fixed before the run)
 * with the plan's fail rule of src/stats/sequential; a pass needs the 1 − 2·passAlpha confidence
 * sequence inside ±δ. Both come from testing by betting (Waudby-Smith & Ramdas 2024): on clipped scores
 * of paired log-ratios for latency, on paired outcome differences for the error rate; see
 * src/stats/sequential/*.ts for the maths and its tests.
 */
import {
  replayLooks,
  sequentialErrorRateLook,
  sequentialLatencyLook,
  type ErrorRateLook,
  type LatencyLook,
  type LookTrace,
} from '../../../src/stats/index.js';
import { failAlphaOf, type StreamPlan } from './plan.js';

/** Where a comparison stands: decided, undecided at the cap, still open, or impossible to measure. */
export type SequentialDecision = 'fail' | 'pass' | 'inconclusive' | 'continue' | 'unmeasurable';

/**
 * One comparison's replay: its decision, the pairs it stopped at, and its last look at each level. The
 * running stream passes `seen`, the pairs its earlier looks covered (all undecided), so each batch
 * costs one new look; analysis and `verify` replay from the start.
 */
export interface SequentialResult<L> {
  decision: SequentialDecision;
  stopAt: number;
  looks: number;
  /** The last look at the fail level (failAlpha) and at the pass level (passAlpha). */
  atFail: L | undefined;
  atPass: L | undefined;
}

/** Samples of one cohort, in round order: the usable values, the round of each, and the rounds seen. */
export interface Series<T> {
  values: T[];
  /** The round each value came from. */
  valueRounds: number[];
  /** Measured rounds of this cohort seen so far, usable or not. */
  measuredRounds: number;
}

/** A latency comparison (values in ms, successful samples only), replayed on the plan's looks. */
export function replayLatency(
  reference: Series<number>,
  subject: Series<number>,
  plan: StreamPlan,
  variant: string,
  marginPct: number,
  seen = 0,
): SequentialResult<LatencyLook> {
  const look = (alpha: number, n: number): LatencyLook =>
    sequentialLatencyLook(reference.values.slice(0, n), subject.values.slice(0, n), {
      alpha,
      marginPct,
      failRule: plan.failRule,
    });
  return replayBoth(reference, subject, plan, variant, look, seen);
}

/** An error-rate comparison (true = the request failed), replayed on the plan's looks. */
export function replayErrorRate(
  reference: Series<boolean>,
  subject: Series<boolean>,
  plan: StreamPlan,
  variant: string,
  marginPp: number,
  seen = 0,
): SequentialResult<ErrorRateLook> {
  const look = (alpha: number, n: number): ErrorRateLook =>
    sequentialErrorRateLook(reference.values.slice(0, n), subject.values.slice(0, n), {
      alpha,
      marginPp,
      failRule: plan.failRule,
    });
  return replayBoth(reference, subject, plan, variant, look, seen);
}

function replayBoth<L extends { decision: LookTrace['decision']; pValue: number }>(
  reference: Series<unknown>,
  subject: Series<unknown>,
  plan: StreamPlan,
  variant: string,
  look: (alpha: number, n: number) => L,
  seen: number,
): SequentialResult<L> {
  const cap = plan.maxRounds[variant] ?? 0;
  if (isUnmeasurable(reference, subject, plan.lookEvery))
    return { decision: 'unmeasurable', stopAt: 0, looks: 0, atFail: undefined, atPass: undefined };
  const available = Math.min(reference.values.length, subject.values.length, cap);
  // Looks at up to `seen` pairs were already taken by the running stream and all said continue.
  const trace = (n: number): LookTrace => {
    if (n <= seen) return { n, decision: 'continue', pValue: 1 };
    const fail = look(failAlphaOf(plan, variant), n);
    if (fail.decision === 'fail') return { n, decision: 'fail', pValue: fail.pValue };
    const pass = look(plan.passAlpha, n);
    return { n, decision: pass.decision === 'pass' ? 'pass' : 'continue', pValue: fail.pValue };
  };
  const replay = replayLooks(available, trace, trace, { batch: plan.lookEvery, maxSamples: Math.max(cap, 1) });
  const n = replay.stopAt;
  return {
    decision: replay.decision,
    stopAt: n,
    looks: replay.looks.length,
    atFail: n === 0 || n <= seen ? undefined : look(failAlphaOf(plan, variant), n),
    atPass: n === 0 || n <= seen ? undefined : look(plan.passAlpha, n),
  };
}

/**
 * A cohort with no usable sample in the first batch of rounds (a refused message type, a status the
 * platform never sends) cannot be compared; waiting longer would only spend requests.
 */
function isUnmeasurable(reference: Series<unknown>, subject: Series<unknown>, lookEvery: number): boolean {
  const usableInFirstBatch = (s: Series<unknown>): number => s.valueRounds.filter((r) => r < lookEvery).length;
  if (reference.measuredRounds < lookEvery || subject.measuredRounds < lookEvery) return false;
  return usableInFirstBatch(reference) === 0 || usableInFirstBatch(subject) === 0;
}

/** Whether a comparison needs no more rounds. */
export function isSettled(decision: SequentialDecision): boolean {
  return decision !== 'continue';
}

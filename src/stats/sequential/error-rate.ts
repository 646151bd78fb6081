// Anytime-valid error-rate parity (PAR-ERR-001): a betting confidence sequence for the difference of
// two error rates from paired outcomes (Waudby-Smith & Ramdas 2024, JRSSB 86(1); see betting.ts).
//
// Method. Pair the i-th request of each cohort and take D_i = subjectFailed_i − referenceFailed_i ∈
// {−1, 0, 1}. Whatever the dependence within a pair, E[D_i] = p_subject − p_reference = Δ, and with
// i.i.d. rounds the D_i are i.i.d., so the bounded-mean confidence sequence of betting.ts is one for Δ.
// With no errors on either side every D_i is 0, the bets grow to their cap 0.9/(1 + δ), and both
// "Δ ≥ δ" and "Δ ≤ −δ" are rejected after ln(1/α)/ln(1 + 0.9·δ/(1 + δ)) pairs (264 at α = 0.01, δ = 2
// points; an exact fixed-N test needs 228), so 0 vs 0 errors reaches pass in finite samples. The alternative considered first, a mixture martingale
// for multinomial counts (Lindon & Malek 2020, "Anytime-valid inference for multinomial count data"),
// tests equality of rates rather than a margin, which pass needs.
//
// Decision (δ = marginPp percentage points): as in latency.ts — fail, rule "beyond-margin": "Δ ≤ δ"
// rejected at α; rule "significant-and-beyond": "Δ ≤ 0" rejected at α and the observed difference
// above δ; pass: "Δ ≥ δ" and "Δ ≤ −δ" both rejected at α; decisions use each wealth's running maximum.
import { bettingBound, logWealth, plugInBets } from './betting.js';
import { errorRateMdePp } from './error-rate-mde.js';
import type { FailRule, LookDecision } from './latency.js';
import { type Replay, type ReplayOptions, replayLooks } from './replay.js';

/** Options of one error-rate look. */
export interface ErrorRateLookOptions {
  /** Level of each one-sided test. */
  alpha: number;
  /** Margin δ in percentage points of error rate (PAR-ERR-001 uses 2). */
  marginPp: number;
  /** Which hypothesis a fail needs (no default: the two trade samples for strictness, see latency.ts). */
  failRule: FailRule;
}

/** One look at an error-rate comparison. */
export interface ErrorRateLook {
  decision: LookDecision;
  /** Pairs used: min(reference.length, subject.length). */
  n: number;
  /** Observed subject − reference error rate over the pairs, in percentage points. */
  estimatePp: number;
  /** The 1 − 2α confidence sequence up to n (its running intersection), in percentage points. */
  cs: { lowPp: number; highPp: number };
  /** Anytime-valid p-value of the null that fail's rule rejects. */
  pValue: number;
  /** Anytime-valid p-value of "the subject does not err more" (Δ ≤ 0). */
  pWorse: number;
  /** Anytime-valid p-value of "the subject does not err more by more than δ" (Δ ≤ δ). */
  pBeyondMargin: number;
}

/** Looks at the comparison on the outcomes so far (true = the request failed), in round order. */
export function sequentialErrorRateLook(
  reference: readonly boolean[],
  subject: readonly boolean[],
  options: ErrorRateLookOptions,
): ErrorRateLook {
  const d = differences(reference, subject);
  return lookAtDifferences(d, plugInBets(d, options.alpha), options);
}

/** subject_i − reference_i for the first min(lengths) pairs. */
export function differences(reference: readonly boolean[], subject: readonly boolean[]): Int8Array {
  const n = Math.min(reference.length, subject.length);
  return Int8Array.from({ length: n }, (_, i) => Number(subject[i] === true) - Number(reference[i] === true));
}

/** The look on precomputed differences and bets (the replay computes them once). */
export function lookAtDifferences(d: Int8Array, bets: Float64Array, options: ErrorRateLookOptions): ErrorRateLook {
  const { alpha } = options;
  const b = bets.subarray(0, d.length);
  return {
    ...traceDifferences(d, bets, options),
    cs: { lowPp: 100 * bettingBound(d, b, alpha, 1), highPp: 100 * bettingBound(d, b, alpha, -1) },
  };
}

/** Everything of a look but the confidence bounds, which cost a bisection each. */
function traceDifferences(d: Int8Array, bets: Float64Array, options: ErrorRateLookOptions): Omit<ErrorRateLook, 'cs'> {
  const { alpha, marginPp } = options;
  if (!(marginPp > 0 && marginPp < 50)) throw new RangeError(`marginPp must be in (0, 50), got ${marginPp}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const margin = marginPp / 100;
  const limit = -Math.log(alpha);
  const n = d.length;
  const b = bets.subarray(0, n);
  const logWorse = logWealth(d, b, 0, 1).max;
  const logBeyond = logWealth(d, b, margin, 1).max;
  const isEquivalent = logWealth(d, b, margin, -1).max >= limit && logWealth(d, b, -margin, 1).max >= limit;
  let sum = 0;
  for (const x of d) sum += x;
  const estimate = n === 0 ? 0 : sum / n;
  const rule = options.failRule;
  const isFail = rule === 'beyond-margin' ? logBeyond >= limit : logWorse >= limit && estimate > margin;
  const pWorse = Math.min(1, Math.exp(-logWorse));
  const pBeyondMargin = Math.min(1, Math.exp(-logBeyond));
  return {
    decision: isFail ? 'fail' : isEquivalent ? 'pass' : 'continue',
    n,
    estimatePp: 100 * estimate,
    pValue: rule === 'beyond-margin' ? pBeyondMargin : pWorse,
    pWorse,
    pBeyondMargin,
  };
}

/** Options of an error-rate replay. */
export interface ErrorRateReplayOptions extends ErrorRateLookOptions, ReplayOptions {}

/** A replay of an error-rate comparison; mdePp is the difference detectable at stopAt pairs. */
export interface ErrorRateReplay extends Replay<ErrorRateLook> {
  /** Smallest difference (points) the fail rule would establish with 80% power at stopAt pairs, at the reference's observed rate. */
  mdePp: number;
}

/** Replays the looks on the outcomes in round order and stops at the first decision. */
export function replayErrorRateLooks(
  reference: readonly boolean[],
  subject: readonly boolean[],
  options: ErrorRateReplayOptions,
): ErrorRateReplay {
  const d = differences(reference.slice(0, options.maxSamples), subject.slice(0, options.maxSamples));
  const bets = plugInBets(d, options.alpha);
  const trace = (size: number): Omit<ErrorRateLook, 'cs'> => traceDifferences(d.subarray(0, size), bets, options);
  const replay = replayLooks(d.length, trace, (size) => lookAtDifferences(d.subarray(0, size), bets, options), options);
  const used = reference.slice(0, replay.stopAt);
  const referenceRatePct = used.length === 0 ? 0 : (100 * used.filter(Boolean).length) / used.length;
  const mdePp = replay.stopAt === 0 ? Infinity : errorRateMdePp(replay.stopAt, { ...options, referenceRatePct });
  return { ...replay, mdePp };
}

// A sequential test of stochastic order by betting on bounded scores of paired log-ratios, the
// e-process behind latency parity (latency.ts).
//
// Setting. W_1, W_2, … are i.i.d. paired log-ratios ln(subject_i) − ln(reference_i) of independent
// cohorts. When the two cohorts' latencies have the same law, W is symmetric about 0 (the difference
// of two i.i.d. variables); when the subject's latency is Y = e^θ·X in law, W − θ is. The null tested at
// θ0 with side +1 is "W − θ0 is stochastically no larger than a variable symmetric about 0" — it holds
// whenever the subject is no slower than e^θ0 times the reference in the sense of stochastic order,
// whatever the latency distribution, ties and stalls included; side −1 mirrors it.
//
// Scores. g_i = clip(side · (W_i − θ0) / (c · s_i), −1, 1), with c = SCORE_CLIP and s_i a robust scale
// of W_1..W_{i−1} (1.4826 × their median absolute deviation, refreshed when i − 1 is a power of two
// from 8 on, a prior before that). g is odd and non-decreasing in W − θ0, so under the null
// E[g_i | past] ≤ 0: for a symmetric Z, E[clip(Z)] = 0, and a stochastically smaller variable has a
// smaller mean under a non-decreasing map. Clipping at c scales is Huber's (1964) bounded score: a
// stall moves one factor by at most the bet, and on normal data the test keeps most of a t test's power.
//
// Wealth. K_t = ∏_{i ≤ t} (1 + λ_i g_i) with λ_i ∈ [0, 0.9] chosen from g_1..g_{i−1} is a nonnegative
// supermartingale with K_0 = 1 under the null, so by Ville's inequality P(∃t: K_t ≥ 1/α) ≤ α and
// min(1, 1 / max_t K_t) is an anytime-valid p-value: testing by betting, Shafer (2021, JRSS A 184(2)),
// Waudby-Smith & Ramdas (2024, JRSS B 86(1), §4–5), and for two samples Shekhar & Ramdas (2023, IEEE
// Trans. Inf. Theory 70(2)). The bet is the approximate growth-rate-optimal ("aGRAPA") one of
// Waudby-Smith & Ramdas (2024, §B.2): λ_i = clip(μ̂ / (σ̂² + μ̂²), 0, 0.9) from the running mean μ̂ and
// variance σ̂² of the scores so far, shrunk towards a prior of BET_PRIOR_WEIGHT scores of mean 0 and
// second moment BET_PRIOR_SECOND_MOMENT, so the first bets are cautious.
//
// Compared with the sign test on the same pairs (the beta-binomial mixture of Howard et al. 2021, used
// here before), bench/README.md (d): on the reference platform's spread plus harness noise an A/A
// comparison reaches pass within ±10% after a mean of 294 pairs instead of 323, and a 30% slowdown
// fails after 49 instead of 59.
import { quantile } from '../describe.js';

/** Clip of the score in robust scales of W (Huber's c). */
export const SCORE_CLIP = 2;
/** Scale of W used until 8 pairs are in: a log-ratio spread typical of request latencies. */
export const PRIOR_SCALE = 0.3;
/** Pseudo-scores behind the first bets. */
const BET_PRIOR_WEIGHT = 2;
/** Second moment of the pseudo-scores: that of a score spread evenly over [−1, 1] is 1/3; a little less bets sooner. */
const BET_PRIOR_SECOND_MOMENT = 0.25;
/** Largest bet: every factor stays ≥ 0.1. */
export const MAX_BET = 0.9;
/** Smallest scale: W all equal (a platform with a constant latency) must not divide by zero. */
const MIN_SCALE = 1e-6;

/** s_1..s_n: the predictable robust scale of each W_i (from W_1..W_{i−1} only). */
export function predictableScales(w: ArrayLike<number>): Float64Array {
  const n = w.length;
  const scales = new Float64Array(n);
  let current = PRIOR_SCALE;
  let next = 8;
  for (let i = 0; i < n; i += 1) {
    if (i === next) {
      current = Math.max(MIN_SCALE, robustSd(w, i));
      next *= 2;
    }
    scales[i] = current;
  }
  return scales;
}

/** 1.4826 × the median absolute deviation of the first `count` values: a spread that stalls do not inflate. */
export function robustSd(w: ArrayLike<number>, count = w.length): number {
  if (count === 0) return Number.NaN;
  const sorted = Float64Array.from({ length: count }, (_, i) => w[i] ?? Number.NaN).sort();
  const centre = quantile(sorted, 0.5);
  return 1.4826 * quantile(Float64Array.from(sorted, (v) => Math.abs(v - centre)).sort(), 0.5);
}

/**
 * max over t ≤ n of log K_t for the null at `threshold` (θ0) on `side` (+1: "W is no larger than θ0 +
 * symmetric noise", rejected when W runs high; −1 the mirror image), with the predictable scales.
 */
export function maxLogScoreWealth(
  w: ArrayLike<number>,
  scales: ArrayLike<number>,
  threshold: number,
  side: 1 | -1,
): number {
  let sum = 0;
  let squares = 0;
  let logWealth = 0;
  let best = 0;
  for (let i = 0; i < w.length; i += 1) {
    const weight = BET_PRIOR_WEIGHT + i;
    const mean = sum / weight;
    const variance = Math.max(0, (squares + BET_PRIOR_WEIGHT * BET_PRIOR_SECOND_MOMENT) / weight - mean * mean);
    const bet = mean <= 0 ? 0 : Math.min(MAX_BET, mean / (variance + mean * mean));
    const score = clipScore((side * ((w[i] ?? Number.NaN) - threshold)) / (SCORE_CLIP * (scales[i] ?? PRIOR_SCALE)));
    logWealth += Math.log1p(bet * score);
    if (logWealth > best) best = logWealth;
    sum += score;
    squares += score * score;
  }
  return best;
}

function clipScore(x: number): number {
  if (Number.isNaN(x)) throw new RangeError('log-ratios must be finite');
  return x > 1 ? 1 : x < -1 ? -1 : x;
}

/**
 * The boundary between rejected and kept nulls on one side, found by bisection over θ0 between a kept
 * null (`start`, or the first kept one beyond it) and the far side of W's range: the lower end of the
 * confidence sequence for side +1 (nulls below it are rejected), the upper end for side −1. The bets
 * follow the scores, so rejection need not be monotone in θ0 in every sample; decisions are taken at
 * their own nulls, never read off these ends. −Infinity / +Infinity while even the farthest null is kept.
 */
export function scoreBound(
  w: ArrayLike<number>,
  scales: ArrayLike<number>,
  limit: number,
  side: 1 | -1,
  start: number,
): number {
  const isRejected = (theta: number): boolean => maxLogScoreWealth(w, scales, theta, side) >= limit;
  let far = start;
  for (let i = 0; i < w.length; i += 1) {
    const value = w[i] ?? start;
    far = side === 1 ? Math.min(far, value) : Math.max(far, value);
  }
  far -= side * (1 + SCORE_CLIP * maxOf(scales));
  if (!isRejected(far)) return -side * Infinity;
  // The median need not be kept (scores centre on a Huber location, not the median): step away from the rejected side.
  let kept = start;
  for (let step = 1e-3; isRejected(kept); step *= 2) {
    kept = start + side * step;
    if (step > 8) return kept;
  }
  let rejected = far;
  for (let iteration = 0; iteration < 40; iteration += 1) {
    const mid = (rejected + kept) / 2;
    if (isRejected(mid)) rejected = mid;
    else kept = mid;
  }
  return rejected;
}

function maxOf(values: ArrayLike<number>): number {
  let top = PRIOR_SCALE;
  for (let i = 0; i < values.length; i += 1) top = Math.max(top, values[i] ?? 0);
  return top;
}

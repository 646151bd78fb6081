// Hodges–Lehmann shift estimate with the distribution-free (Moses) confidence interval:
// Hollander, Wolfe & Chicken, Nonparametric Statistical Methods (3rd ed.), §4.3.
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { kthPairwiseDifference } from './pairwise.js';
import { sortedCopy } from './rank.js';
import { UDistribution } from './u-distribution.js';

/** Shift of subject relative to reference (positive = subject larger) with its CI. */
export interface ShiftEstimate {
  estimate: number;
  ciLow: number;
  ciHigh: number;
}

/** Up to this many pairs the CI order uses the exact U distribution (cheap at this size). */
const maxExactPairs = 2500;

/**
 * Median of all differences subject_i − reference_j, with the CI [D_(c), D_(nm+1−c)] where
 * c − 1 is the largest u with P(U <= u) <= (1 − confidence)/2 under the null (exact U
 * distribution up to 2500 pairs, else c = floor(nm/2 + 1/2 − z·sqrt(nm(n+m+1)/12))).
 * Ties are not corrected for. When no such c exists (tiny samples) the bounds are ±Infinity.
 */
export function hodgesLehmann(
  subject: readonly number[],
  reference: readonly number[],
  confidence = 0.95,
): ShiftEstimate {
  const n = subject.length;
  const m = reference.length;
  if (n === 0 || m === 0) throw new RangeError('hodgesLehmann needs two non-empty samples');
  if (!subject.every(Number.isFinite) || !reference.every(Number.isFinite)) {
    throw new RangeError('hodgesLehmann needs finite values');
  }
  const xs = sortedCopy(subject);
  const ys = sortedCopy(reference);
  const total = n * m;
  const middle = Math.ceil(total / 2);
  const lowerMiddle = kthPairwiseDifference(xs, ys, middle);
  const estimate = total % 2 === 1 ? lowerMiddle : (lowerMiddle + kthPairwiseDifference(xs, ys, middle + 1)) / 2;
  const c = mosesOrder(n, m, confidence);
  return {
    estimate,
    ciLow: c < 1 ? -Infinity : kthPairwiseDifference(xs, ys, c),
    ciHigh: c < 1 ? Infinity : kthPairwiseDifference(xs, ys, total + 1 - c),
  };
}

/** The order c of the lower CI bound; 0 when the requested confidence cannot be reached. */
export function mosesOrder(n: number, m: number, confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const tail = (1 - confidence) / 2;
  const total = n * m;
  if (total <= maxExactPairs) {
    const distribution = new UDistribution(n, m);
    let u = -1;
    while (u + 1 < total / 2 && distribution.cdf(u + 1) <= tail) u += 1;
    return u + 1;
  }
  const sd = Math.sqrt((total * (n + m + 1)) / 12);
  return Math.max(0, Math.floor(total / 2 + 0.5 - normalQuantile(1 - tail, 0, 1) * sd));
}

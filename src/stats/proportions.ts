// Comparing two success rates: pooled two-proportion z test, with Newcombe's hybrid score
// interval for the difference (Newcombe 1998, Statistics in Medicine 17:873, method 10).
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** Rates, their difference pA − pB, the pooled z test and the CI of the difference. */
export interface TwoProportionsResult {
  pA: number;
  pB: number;
  diff: number;
  z: number;
  pTwoSided: number;
  /** One-sided p-value for "A's rate > B's rate". */
  pGreater: number;
  ciLow: number;
  ciHigh: number;
}

/** Pooled z test of successA/nA against successB/nB, and Newcombe's CI for pA − pB. */
export function twoProportions(
  successA: number,
  nA: number,
  successB: number,
  nB: number,
  confidence = 0.95,
): TwoProportionsResult {
  if (!(nA > 0 && nB > 0)) throw new RangeError('twoProportions needs nA > 0 and nB > 0');
  if (successA < 0 || successA > nA || successB < 0 || successB > nB)
    throw new RangeError('successes must lie in 0..n');
  const pA = successA / nA;
  const pB = successB / nB;
  const pooled = (successA + successB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  // Both rates 0 or both 1: no variance and no difference, so no evidence either way.
  const z = se === 0 ? 0 : (pA - pB) / se;
  const zCrit = normalQuantile(1 - (1 - confidence) / 2, 0, 1);
  const [lowA, highA] = wilson(successA, nA, zCrit);
  const [lowB, highB] = wilson(successB, nB, zCrit);
  const diff = pA - pB;
  return {
    pA,
    pB,
    diff,
    z,
    pTwoSided: Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1)),
    pGreater: normalCdf(-z, 0, 1),
    ciLow: diff - Math.sqrt((pA - lowA) ** 2 + (highB - pB) ** 2),
    ciHigh: diff + Math.sqrt((highA - pA) ** 2 + (pB - lowB) ** 2),
  };
}

/** Wilson score interval for a single proportion. */
export function wilson(successes: number, n: number, z: number): [number, number] {
  const p = successes / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const halfWidth = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return [Math.max(0, centre - halfWidth), Math.min(1, centre + halfWidth)];
}

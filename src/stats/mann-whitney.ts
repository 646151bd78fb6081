// Mann–Whitney U test, following scipy.stats.mannwhitneyu (method='auto', use_continuity=True).
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { at, sortedCopy } from './rank.js';
import { UDistribution } from './u-distribution.js';

/** Direction of the alternative hypothesis; 'greater' = x tends to be larger than y. */
export type Alternative = 'two-sided' | 'greater' | 'less';

/** U of x (scipy's U1), its p-value, and which null distribution produced it. */
export interface MannWhitneyResult {
  u: number;
  p: number;
  method: 'exact' | 'asymptotic';
}

/**
 * Mann–Whitney U test of x against y. Exact null distribution when either sample has at most
 * 8 values and there are no ties (scipy's 'auto' rule); otherwise the tie-corrected normal
 * approximation with continuity correction.
 */
export function mannWhitney(
  x: readonly number[],
  y: readonly number[],
  alternative: Alternative = 'two-sided',
): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitney needs two non-empty samples');
  if (x.some(Number.isNaN) || y.some(Number.isNaN)) throw new RangeError('mannWhitney needs numbers, not NaN');
  const { rankSum, tieSizes } = rankSumOf(sortedCopy(x), sortedCopy(y));
  const u1 = rankSum - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  // The p-value is always an upper tail: of U1, of U2 (by symmetry), or of the larger one doubled.
  const [u, factor] = alternative === 'greater' ? [u1, 1] : alternative === 'less' ? [u2, 1] : [Math.max(u1, u2), 2];
  const hasTies = tieSizes.some((size) => size > 1);
  const isExact = (n1 <= 8 || n2 <= 8) && !hasTies;
  const tail = isExact ? new UDistribution(n1, n2).sf(u) : normalUpperTail(u, n1, n2, tieSizes);
  return { u: u1, p: Math.min(1, Math.max(0, tail * factor)), method: isExact ? 'exact' : 'asymptotic' };
}

/**
 * The sum of x's average ranks in the pooled sample (ties get the mean of the ranks they span, like
 * scipy's rankdata('average')) and the size of every tie group, by merging the two sorted samples: no
 * rank array, no comparator sort. The sum is of half-integers, exact in any order.
 */
function rankSumOf(xs: Float64Array, ys: Float64Array): { rankSum: number; tieSizes: number[] } {
  const tieSizes: number[] = [];
  let rankSum = 0;
  let i = 0;
  let j = 0;
  while (i < xs.length || j < ys.length) {
    const value = Math.min(i < xs.length ? at(xs, i) : Infinity, j < ys.length ? at(ys, j) : Infinity);
    const start = i + j;
    let fromX = 0;
    while (i < xs.length && at(xs, i) === value) {
      i += 1;
      fromX += 1;
    }
    while (j < ys.length && at(ys, j) === value) j += 1;
    const end = i + j;
    rankSum += fromX * ((start + 1 + end) / 2);
    tieSizes.push(end - start);
  }
  return { rankSum, tieSizes };
}

/** P(U >= u) under the tie-corrected normal approximation, continuity-corrected. */
function normalUpperTail(u: number, n1: number, n2: number, tieSizes: readonly number[]): number {
  const n = n1 + n2;
  const tieTerm = tieSizes.reduce((sum, t) => sum + t ** 3 - t, 0);
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = (u - (n1 * n2) / 2 - 0.5) / sd;
  // All values tied: sd is 0 and there is no evidence either way.
  if (!Number.isFinite(z)) return Number.isNaN(z) ? 1 : z > 0 ? 0 : 1;
  return normalCdf(-z, 0, 1);
}

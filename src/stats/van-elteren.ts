// Van Elteren's stratified rank-sum test (van Elteren 1960, "On the combination of independent two sample
// tests of Wilcoxon"; Lehmann, Nonparametrics (1975) §3.3): one Wilcoxon rank sum per stratum, each weighted
// by 1/(N_s + 1), which is locally most powerful when a common shift is present in every stratum. The shift
// estimate and its interval invert the same statistic (a stratified Hodges–Lehmann estimator).
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { Alternative } from './mann-whitney.js';
import { at, sortedCopy } from './rank.js';

/** One stratum (e.g. one vantage point): x is compared with y within it, never across strata. */
export interface Stratum {
  x: readonly number[];
  y: readonly number[];
}

/** The van Elteren statistic T = Σ W_s / (N_s + 1), its null mean and variance, z and the p-value. */
export interface VanElterenResult {
  statistic: number;
  mean: number;
  variance: number;
  z: number;
  p: number;
  /** Strata that had values in both samples (the others carry no information and are left out). */
  strata: number;
}

/** Sorted copies of each usable stratum, so repeated evaluations (inversion) sort once. */
interface SortedStratum {
  xs: Float64Array;
  ys: Float64Array;
}

/**
 * Van Elteren's test of "x tends to be larger than y" (alternative 'greater'), stratified. Normal
 * approximation with the tie correction of each stratum's variance and no continuity correction.
 */
export function vanElteren(strata: readonly Stratum[], alternative: Alternative = 'two-sided'): VanElterenResult {
  const sorted = sortStrata(strata);
  if (sorted.length === 0) throw new RangeError('vanElteren needs a stratum with values in both samples');
  const { statistic, mean, variance } = statisticAt(sorted, 0);
  const z = variance > 0 ? (statistic - mean) / Math.sqrt(variance) : 0;
  const upper = 1 - normalCdf(z, 0, 1);
  const lower = normalCdf(z, 0, 1);
  const p =
    alternative === 'greater' ? upper : alternative === 'less' ? lower : Math.min(1, 2 * Math.min(upper, lower));
  return { statistic, mean, variance, z, p, strata: sorted.length };
}

/** A common shift of x relative to y with its interval, from inverting van Elteren's z. */
export interface StratifiedShift {
  estimate: number;
  ciLow: number;
  ciHigh: number;
}

/**
 * The shift Δ at which x − Δ and y look alike to van Elteren's statistic (z crosses 0), and the
 * interval {Δ : |z(Δ)| ≤ z_(1+confidence)/2}. z(Δ) is a non-increasing step function, so each end is
 * found by bisection to a relative precision of 1e-12 of the data's range. Bounds that the data cannot
 * reach (tiny strata) are ±Infinity.
 */
export function vanElterenShift(strata: readonly Stratum[], confidence = 0.95): StratifiedShift {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const sorted = sortStrata(strata);
  if (sorted.length === 0) throw new RangeError('vanElterenShift needs a stratum with values in both samples');
  const zAt = (delta: number): number => {
    const { statistic, mean, variance } = statisticAt(sorted, delta);
    return variance > 0 ? (statistic - mean) / Math.sqrt(variance) : 0;
  };
  const [low, high] = bracket(sorted);
  const crit = normalQuantile((1 + confidence) / 2, 0, 1);
  // sup{Δ : z > 0} and inf{Δ : z < 0}; the estimate is their midpoint (the crossing may be a flat step).
  // Comparisons allow for rounding in z (a sum in a different order must not move a step).
  const above = (level: number) => (d: number) => zAt(d) > level + zTolerance;
  const notBelow = (level: number) => (d: number) => zAt(d) >= level - zTolerance;
  const estimate = (transition(above(0), low, high) + transition(notBelow(0), low, high)) / 2;
  const ciLow = zAt(low) <= crit ? -Infinity : transition(above(crit), low, high);
  const ciHigh = zAt(high) >= -crit ? Infinity : transition(notBelow(-crit), low, high);
  return { estimate, ciLow, ciHigh };
}

function sortStrata(strata: readonly Stratum[]): SortedStratum[] {
  const usable = strata.filter((s) => s.x.length > 0 && s.y.length > 0);
  for (const s of usable) {
    if ([...s.x, ...s.y].some((value) => !Number.isFinite(value)))
      throw new RangeError('vanElteren needs finite values');
  }
  return usable.map((s) => ({ xs: sortedCopy(s.x), ys: sortedCopy(s.y) }));
}

/** T, E[T] and Var[T] for x − delta against y, each stratum ranked on its own by one merge pass. */
function statisticAt(
  strata: readonly SortedStratum[],
  delta: number,
): { statistic: number; mean: number; variance: number } {
  let statistic = 0;
  let mean = 0;
  let variance = 0;
  for (const { xs, ys } of strata) {
    const n = xs.length;
    const m = ys.length;
    const total = n + m;
    const { rankSum, tieTerm } = mergeRanks(xs, ys, delta);
    const weight = 1 / (total + 1);
    statistic += weight * rankSum;
    mean += weight * ((n * (total + 1)) / 2);
    variance += weight * weight * ((n * m) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  }
  return { statistic, mean, variance };
}

/** Rank sum of the x values (mid-ranks for ties) and Σ(t³ − t) over tie groups, merging two sorted arrays. */
function mergeRanks(xs: Float64Array, ys: Float64Array, delta: number): { rankSum: number; tieTerm: number } {
  let i = 0;
  let j = 0;
  let rank = 0;
  let rankSum = 0;
  let tieTerm = 0;
  while (i < xs.length || j < ys.length) {
    const value = Math.min(i < xs.length ? at(xs, i) - delta : Infinity, j < ys.length ? at(ys, j) : Infinity);
    let fromX = 0;
    let fromY = 0;
    while (i < xs.length && at(xs, i) - delta === value) ((i += 1), (fromX += 1));
    while (j < ys.length && at(ys, j) === value) ((j += 1), (fromY += 1));
    const size = fromX + fromY;
    rankSum += fromX * (rank + (size + 1) / 2);
    tieTerm += size * size * size - size;
    rank += size;
  }
  return { rankSum, tieTerm };
}

/** A shift range outside of which every x − Δ lies entirely above (below) every y. */
function bracket(strata: readonly SortedStratum[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const { xs, ys } of strata) {
    low = Math.min(low, at(xs, 0) - at(ys, ys.length - 1));
    high = Math.max(high, at(xs, xs.length - 1) - at(ys, 0));
  }
  const pad = Math.max(1, Math.abs(high - low)) * 1e-6;
  return [low - pad, high + pad];
}

const precision = 1e-12;
const zTolerance = 1e-9;

/** Where a monotone predicate, true at `low` and false at `high`, turns false (to the bisection's precision). */
function transition(isBefore: (delta: number) => boolean, low: number, high: number): number {
  let a = low;
  let b = high;
  const tolerance = (high - low) * precision;
  while (b - a > tolerance) {
    const mid = (a + b) / 2;
    if (isBefore(mid)) a = mid;
    else b = mid;
  }
  return (a + b) / 2;
}

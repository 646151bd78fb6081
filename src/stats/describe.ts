import { at, sortedCopy } from './rank.js';

/** Summary of one sample; quantiles are type 7 (numpy's default linear interpolation). */
export interface Description {
  n: number;
  mean: number;
  median: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
}

/** Type-7 quantile of an ascending array (NaN when empty). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile level must be in [0, 1], got ${p}`);
  const h = (sorted.length - 1) * p;
  const lower = Math.floor(h);
  const a = at(sorted, lower);
  if (lower + 1 >= sorted.length) return a;
  const b = at(sorted, lower + 1);
  const t = h - lower;
  // Interpolating from the nearer end keeps the result monotone in p, as numpy does.
  return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
}

/** Arithmetic mean (NaN when empty). */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) sum += at(values, i);
  return values.length === 0 ? Number.NaN : sum / values.length;
}

/** Median (type 7, so the mean of the two middle values for even n). */
export function median(values: ArrayLike<number>): number {
  return quantile(sortedCopy(values), 0.5);
}

/** n, mean, median, p95, p99, min and max of a sample. */
export function describe(values: ArrayLike<number>): Description {
  const sorted = sortedCopy(values);
  return {
    n: sorted.length,
    mean: mean(sorted),
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    min: sorted.length === 0 ? Number.NaN : at(sorted, 0),
    max: sorted.length === 0 ? Number.NaN : at(sorted, sorted.length - 1),
  };
}

/** Empirical CDF as [x, F(x)] points, one per distinct x, for step charts. */
export function ecdf(values: readonly number[]): Array<[number, number]> {
  const sorted = sortedCopy(values);
  const points: Array<[number, number]> = [];
  for (let i = 0; i < sorted.length; i += 1) {
    const x = at(sorted, i);
    if (i + 1 < sorted.length && at(sorted, i + 1) === x) continue;
    points.push([x, (i + 1) / sorted.length]);
  }
  return points;
}

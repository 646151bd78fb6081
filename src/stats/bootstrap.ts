// Percentile bootstrap (Efron & Tibshirani, An Introduction to the Bootstrap, ch. 13).
import { quantile } from './describe.js';
import { at, sortedCopy } from './rank.js';

/** A statistic of one or more samples, e.g. (subject, reference) => ratio of medians. */
export type Statistic = (...samples: number[][]) => number;

/** A ratio of the same quantile of two samples, which bootstrapCi resamples without sorting. */
export type QuantileRatio = ((subject: number[], reference: number[]) => number) & { readonly quantileLevel: number };

/** How many resamples, at what confidence, drawing from which uniform [0, 1) source. */
export interface BootstrapOptions {
  resamples: number;
  confidence: number;
  random: () => number;
  /** The same stream as `random`, many values at a time (faster; results are identical with or without it). */
  fill?: (out: Float64Array) => void;
}

/** Point estimate on the original samples and the percentile CI around it. */
export interface Interval {
  estimate: number;
  ciLow: number;
  ciHigh: number;
}

/**
 * Percentile bootstrap CI: each sample is resampled with replacement independently, the
 * statistic is recomputed, and the CI is the type-7 (α/2, 1−α/2) quantiles of those values.
 * Resamples whose statistic is NaN (e.g. 0/0) are left out rather than poisoning the sort.
 *
 * For a QuantileRatio no resample is sorted: every draw is counted against its value's rank in
 * the sample sorted once, and the two order statistics the quantile needs are read off the
 * counts, O(n) per resample instead of O(n log n). The draws are the same, in the same order, and
 * the resampled multiset is the same, so the result equals sorting every resample to the last bit.
 */
export function bootstrapCi(
  samples: ReadonlyArray<readonly number[]>,
  statistic: Statistic | QuantileRatio,
  { resamples, confidence, random, fill }: BootstrapOptions,
): Interval {
  if (samples.some((sample) => sample.length === 0)) throw new RangeError('bootstrapCi needs non-empty samples');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const replicate = isQuantileRatio(statistic, samples)
    ? countingReplicate(samples, statistic.quantileLevel, fill ?? fillFrom(random))
    : (): number => (statistic as Statistic)(...samples.map((sample) => resample(sample, random)));
  const replicates: number[] = [];
  for (let b = 0; b < resamples; b += 1) {
    const value = replicate();
    if (!Number.isNaN(value)) replicates.push(value);
  }
  const sorted = sortedCopy(replicates);
  const alpha = 1 - confidence;
  return {
    estimate: (statistic as Statistic)(...samples.map((sample) => [...sample])),
    ciLow: quantile(sorted, alpha / 2),
    ciHigh: quantile(sorted, 1 - alpha / 2),
  };
}

function isQuantileRatio(
  statistic: Statistic | QuantileRatio,
  samples: ReadonlyArray<readonly number[]>,
): statistic is QuantileRatio {
  return typeof (statistic as Partial<QuantileRatio>).quantileLevel === 'number' && samples.length === 2;
}

function resample(sample: readonly number[], random: () => number): number[] {
  const drawn = new Array<number>(sample.length);
  // min() guards a source that returns exactly 1 despite promising [0, 1).
  for (let i = 0; i < sample.length; i += 1)
    drawn[i] = at(sample, Math.min(sample.length - 1, Math.floor(random() * sample.length)));
  return drawn;
}

/** A fill function that calls `random` once per value. */
function fillFrom(random: () => number): (out: Float64Array) => void {
  return (out) => {
    for (let i = 0; i < out.length; i += 1) out[i] = random();
  };
}

/** A sample sorted once, with where each original index landed, a reusable count per rank and a buffer of draws. */
interface Ranked {
  sorted: Float64Array;
  rankOf: Uint32Array;
  counts: Uint32Array;
  draws: Float64Array;
}

function rankedOf(sample: readonly number[]): Ranked {
  const order = Array.from(sample.keys()).sort((a, b) => at(sample, a) - at(sample, b));
  const rankOf = new Uint32Array(sample.length);
  order.forEach((index, rank) => (rankOf[index] = rank));
  // sortedCopy orders exactly as the resamples used to be ordered; equal values share the rank slots.
  return {
    sorted: sortedCopy(sample),
    rankOf,
    counts: new Uint32Array(sample.length),
    draws: new Float64Array(sample.length),
  };
}

function countingReplicate(
  samples: ReadonlyArray<readonly number[]>,
  p: number,
  fill: (out: Float64Array) => void,
): () => number {
  const [subject, reference] = samples.map(rankedOf) as [Ranked, Ranked];
  return () => {
    const top = resampledQuantile(subject, p, fill);
    return top / resampledQuantile(reference, p, fill);
  };
}

/** quantile(sorted resample, p), computed from counts of drawn ranks (typed-array indexing: this loop is the hot spot of verify). */
function resampledQuantile(
  { sorted, rankOf, counts, draws }: Ranked,
  p: number,
  fill: (out: Float64Array) => void,
): number {
  const n = sorted.length;
  counts.fill(0);
  fill(draws);
  for (let i = 0; i < n; i += 1) {
    const rank = rankOf[Math.min(n - 1, Math.floor((draws[i] as number) * n))] as number;
    counts[rank] = (counts[rank] as number) + 1;
  }
  const h = (n - 1) * p;
  const lower = Math.floor(h);
  const a = sorted[orderStatistic(counts, lower)] as number;
  if (lower + 1 >= n) return a;
  const b = sorted[orderStatistic(counts, lower + 1)] as number;
  const t = h - lower;
  // The same interpolation as quantile() in describe.ts, so the values agree bit for bit.
  return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
}

/** The rank whose value is the k-th smallest (0-based) of the resample, counted from the nearer end. */
function orderStatistic(counts: Uint32Array, k: number): number {
  const n = counts.length;
  if (k < n / 2) {
    let seen = 0;
    for (let rank = 0; rank < n; rank += 1) {
      seen += counts[rank] as number;
      if (seen > k) return rank;
    }
    return n - 1;
  }
  let above = 0;
  for (let rank = n - 1; rank > 0; rank -= 1) {
    above += counts[rank] as number;
    if (n - above <= k) return rank;
  }
  return 0;
}

/** Statistic factory: quantile p of subject divided by quantile p of reference. */
export function quantileRatio(p: number): QuantileRatio {
  const ratio = (subject: number[], reference: number[]): number =>
    quantile(sortedCopy(subject), p) / quantile(sortedCopy(reference), p);
  return Object.assign(ratio, { quantileLevel: p });
}

/** Statistic: median(subject) / median(reference) (> 1 means the subject is slower/larger). */
export const medianRatio: QuantileRatio = quantileRatio(0.5);

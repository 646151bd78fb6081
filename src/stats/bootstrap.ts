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
  { resamples, confidence, random }: BootstrapOptions,
): Interval {
  if (samples.some((sample) => sample.length === 0)) throw new RangeError('bootstrapCi needs non-empty samples');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const replicate = isQuantileRatio(statistic, samples)
    ? countingReplicate(samples, statistic.quantileLevel, random)
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
  for (let i = 0; i < sample.length; i += 1) drawn[i] = at(sample, draw(sample.length, random));
  return drawn;
}

/** An index in [0, n); min() guards a source that returns exactly 1 despite promising [0, 1). */
function draw(n: number, random: () => number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/** A sample sorted once, with where each original index landed, and a reusable count per rank. */
interface Ranked {
  sorted: Float64Array;
  rankOf: Uint32Array;
  counts: Uint32Array;
}

function rankedOf(sample: readonly number[]): Ranked {
  const order = Array.from(sample.keys()).sort((a, b) => at(sample, a) - at(sample, b));
  const rankOf = new Uint32Array(sample.length);
  order.forEach((index, rank) => (rankOf[index] = rank));
  // sortedCopy orders exactly as the resamples used to be ordered; equal values share the rank slots.
  return { sorted: sortedCopy(sample), rankOf, counts: new Uint32Array(sample.length) };
}

function countingReplicate(samples: ReadonlyArray<readonly number[]>, p: number, random: () => number): () => number {
  const [subject, reference] = samples.map(rankedOf) as [Ranked, Ranked];
  return () => {
    const top = resampledQuantile(subject, p, random);
    return top / resampledQuantile(reference, p, random);
  };
}

/** quantile(sorted resample, p), computed from counts of drawn ranks. */
function resampledQuantile({ sorted, rankOf, counts }: Ranked, p: number, random: () => number): number {
  const n = sorted.length;
  counts.fill(0);
  for (let i = 0; i < n; i += 1) {
    const rank = at(rankOf, draw(n, random));
    counts[rank] = at(counts, rank) + 1;
  }
  const h = (n - 1) * p;
  const lower = Math.floor(h);
  let rank = 0;
  let seen = at(counts, 0);
  while (seen <= lower) seen += at(counts, ++rank);
  const a = at(sorted, rank);
  if (lower + 1 >= n) return a;
  if (seen <= lower + 1) {
    do rank += 1;
    while (at(counts, rank) === 0);
  }
  const b = at(sorted, rank);
  const t = h - lower;
  // The same interpolation as quantile() in describe.ts, so the values agree bit for bit.
  return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
}

/** Statistic factory: quantile p of subject divided by quantile p of reference. */
export function quantileRatio(p: number): QuantileRatio {
  const ratio = (subject: number[], reference: number[]): number =>
    quantile(sortedCopy(subject), p) / quantile(sortedCopy(reference), p);
  return Object.assign(ratio, { quantileLevel: p });
}

/** Statistic: median(subject) / median(reference) (> 1 means the subject is slower/larger). */
export const medianRatio: QuantileRatio = quantileRatio(0.5);

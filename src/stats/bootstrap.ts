// Percentile bootstrap (Efron & Tibshirani, An Introduction to the Bootstrap, ch. 13).
import { quantile } from './describe.js';
import beta from '@stdlib/random-base-beta';
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
 * A QuantileRatio needs no resample at all, only the two order statistics its quantile
 * interpolates between, and those can be drawn directly, O(1) per resample instead of O(n):
 * resampling draws n indices i = ⌊U·n⌋ with U uniform, and as the sorted sample is monotone the
 * k-th smallest resampled value is sorted[⌊U₍ₖ₎·n⌋], with U₍ₖ₎ the k-th order statistic of n
 * uniforms, which is Beta(k, n − k + 1). Given U₍ₖ₎ = u, the other n − k lie uniformly in (u, 1), so
 * U₍ₖ₊₁₎ = u + (1 − u)(1 − V^(1/(n−k))) with V uniform (David & Nagaraja, Order Statistics, 3rd ed.,
 * §2.2–2.5). The replicates have exactly the distribution of sorting every resample; the Beta draws
 * are @stdlib's, fed from `random`, so the same seed gives the same interval.
 */
export function bootstrapCi(
  samples: ReadonlyArray<readonly number[]>,
  statistic: Statistic | QuantileRatio,
  { resamples, confidence, random }: BootstrapOptions,
): Interval {
  if (samples.some((sample) => sample.length === 0)) throw new RangeError('bootstrapCi needs non-empty samples');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const replicate = isQuantileRatio(statistic, samples)
    ? orderStatisticReplicate(samples, statistic.quantileLevel, random)
    : (): number => (statistic as Statistic)(...samples.map((sample) => resample(sample, random)));
  const replicates: number[] = [];
  for (let b = 0; b < resamples; b += 1) {
    const value = replicate();
    if (!Number.isNaN(value)) replicates.push(value);
  }
  const sorted = sortedCopy(replicates);
  const alpha = 1 - confidence;
  return {
    // A generic statistic gets copies (it may sort in place); a quantile ratio sorts copies of its own.
    estimate: isQuantileRatio(statistic, samples)
      ? statistic(samples[0] as number[], samples[1] as number[])
      : (statistic as Statistic)(...samples.map((sample) => sample.slice())),
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

function orderStatisticReplicate(
  samples: ReadonlyArray<readonly number[]>,
  p: number,
  random: () => number,
): () => number {
  const [subject, reference] = samples.map((sample) => resampledQuantileOf(sample, p, random)) as [
    () => number,
    () => number,
  ];
  return () => {
    const top = subject();
    return top / reference();
  };
}

/** Draws quantile(sorted resample of `sample`, p) without drawing the resample (see bootstrapCi). */
export function resampledQuantileOf(sample: readonly number[], p: number, random: () => number): () => number {
  const sorted = sortedCopy(sample);
  const n = sorted.length;
  const h = (n - 1) * p;
  const lower = Math.floor(h);
  const t = h - lower;
  // The (lower + 1)-th smallest of n uniforms (1-based), then the next one above it.
  const kth = lower + 1;
  const draw = beta.factory(kth, n - kth + 1, { prng: random });
  const valueAt = (u: number): number => at(sorted, Math.min(n - 1, Math.floor(u * n)));
  return () => {
    const u = draw();
    const a = valueAt(u);
    if (lower + 1 >= n) return a;
    const next = u + (1 - u) * (1 - random() ** (1 / (n - kth)));
    const b = valueAt(next);
    // The same interpolation as quantile() in describe.ts.
    return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
  };
}

/** Statistic factory: quantile p of subject divided by quantile p of reference. */
export function quantileRatio(p: number): QuantileRatio {
  const ratio = (subject: number[], reference: number[]): number =>
    quantile(sortedCopy(subject), p) / quantile(sortedCopy(reference), p);
  return Object.assign(ratio, { quantileLevel: p });
}

/** Statistic: median(subject) / median(reference) (> 1 means the subject is slower/larger). */
export const medianRatio: QuantileRatio = quantileRatio(0.5);

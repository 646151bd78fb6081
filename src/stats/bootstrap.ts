// Percentile bootstrap (Efron & Tibshirani, An Introduction to the Bootstrap, ch. 13).
import { quantile } from './describe.js';
import { at, sortedCopy } from './rank.js';

/** A statistic of one or more samples, e.g. (subject, reference) => ratio of medians. */
export type Statistic = (...samples: number[][]) => number;

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
 */
export function bootstrapCi(
  samples: ReadonlyArray<readonly number[]>,
  statistic: Statistic,
  { resamples, confidence, random }: BootstrapOptions,
): Interval {
  if (samples.some((sample) => sample.length === 0)) throw new RangeError('bootstrapCi needs non-empty samples');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const replicates: number[] = [];
  for (let b = 0; b < resamples; b += 1) {
    const value = statistic(...samples.map((sample) => resample(sample, random)));
    if (!Number.isNaN(value)) replicates.push(value);
  }
  const sorted = sortedCopy(replicates);
  const alpha = 1 - confidence;
  return {
    estimate: statistic(...samples.map((sample) => [...sample])),
    ciLow: quantile(sorted, alpha / 2),
    ciHigh: quantile(sorted, 1 - alpha / 2),
  };
}

function resample(sample: readonly number[], random: () => number): number[] {
  const drawn = new Array<number>(sample.length);
  for (let i = 0; i < sample.length; i += 1) {
    // min() guards a source that returns exactly 1 despite promising [0, 1).
    drawn[i] = at(sample, Math.min(sample.length - 1, Math.floor(random() * sample.length)));
  }
  return drawn;
}

/** Statistic factory: quantile p of subject divided by quantile p of reference. */
export function quantileRatio(p: number): (subject: number[], reference: number[]) => number {
  return (subject, reference) => quantile(sortedCopy(subject), p) / quantile(sortedCopy(reference), p);
}

/** Statistic: median(subject) / median(reference) (> 1 means the subject is slower/larger). */
export const medianRatio: (subject: number[], reference: number[]) => number = quantileRatio(0.5);

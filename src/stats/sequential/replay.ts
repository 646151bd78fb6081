// Walks the looks of a sequential comparison in order and stops at the first decision, so a
// re-analysis of the same samples (verify) reaches the same stop and the same verdict.

/** The outcome of a replay: decided, undecided at the cap (inconclusive), or out of samples (continue). */
export type ReplayDecision = 'fail' | 'pass' | 'inconclusive' | 'continue';

/** When to look. */
export interface ReplayOptions {
  /** Samples per cohort between looks (a look after every `batch` pairs). */
  batch: number;
  /** The cap: the last look is at exactly this many pairs. */
  maxSamples: number;
}

/** Every look taken, the first decision and the number of pairs it was taken at. */
export interface Replay<L> {
  decision: ReplayDecision;
  /** Pairs per cohort at the last look taken (the stopping point when decided). */
  stopAt: number;
  looks: L[];
}

/** Looks at batch, 2·batch, … pairs (and at maxSamples), up to `available`, stopping at the first fail or pass. */
export function replayLooks<L extends { decision: 'fail' | 'pass' | 'continue' }>(
  available: number,
  look: (n: number) => L,
  options: ReplayOptions,
): Replay<L> {
  const { batch, maxSamples } = options;
  if (!(Number.isInteger(batch) && batch > 0)) throw new RangeError(`batch must be a positive integer, got ${batch}`);
  if (!(Number.isInteger(maxSamples) && maxSamples >= batch))
    throw new RangeError('maxSamples must be an integer ≥ batch');
  const looks: L[] = [];
  let last = 0;
  for (const n of lookSizes(batch, maxSamples)) {
    if (n > available) return { decision: 'continue', stopAt: last, looks };
    const result = look(n);
    looks.push(result);
    last = n;
    if (result.decision !== 'continue') return { decision: result.decision, stopAt: n, looks };
  }
  return { decision: 'inconclusive', stopAt: maxSamples, looks };
}

/** batch, 2·batch, …, and maxSamples itself when it is not a multiple of batch. */
export function lookSizes(batch: number, maxSamples: number): number[] {
  const sizes: number[] = [];
  for (let n = batch; n < maxSamples; n += batch) sizes.push(n);
  sizes.push(maxSamples);
  return sizes;
}

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

/** What every look of a replay records: enough to check that a re-analysis stops at the same place. */
export interface LookTrace {
  n: number;
  decision: 'fail' | 'pass' | 'continue';
  pValue: number;
}

/** Every look taken, the first decision, the pairs it was taken at, and the full last look. */
export interface Replay<L> {
  decision: ReplayDecision;
  /** Pairs per cohort at the last look taken (the stopping point when decided; 0 when none was possible). */
  stopAt: number;
  looks: LookTrace[];
  /** The full result of the last look (undefined when no look was possible). */
  last: L | undefined;
}

/**
 * Looks at batch, 2·batch, … pairs (and at maxSamples), up to `available`, stopping at the first fail or
 * pass. `trace` may be a cheaper look that agrees with `full` on decision and pValue; `full` runs once, at the end.
 */
export function replayLooks<L extends LookTrace>(
  available: number,
  trace: (n: number) => LookTrace,
  full: (n: number) => L,
  options: ReplayOptions,
): Replay<L> {
  const { batch, maxSamples } = options;
  if (!(Number.isInteger(batch) && batch > 0)) throw new RangeError(`batch must be a positive integer, got ${batch}`);
  if (!(Number.isInteger(maxSamples) && maxSamples >= batch))
    throw new RangeError('maxSamples must be an integer ≥ batch');
  const looks: LookTrace[] = [];
  const end = (decision: ReplayDecision, stopAt: number): Replay<L> => ({
    decision,
    stopAt,
    looks,
    last: stopAt === 0 ? undefined : full(stopAt),
  });
  for (const n of lookSizes(batch, maxSamples)) {
    if (n > available) return end('continue', looks.at(-1)?.n ?? 0);
    const result = trace(n);
    looks.push({ n, decision: result.decision, pValue: result.pValue });
    if (result.decision !== 'continue') return end(result.decision, n);
  }
  return end('inconclusive', maxSamples);
}

/** batch, 2·batch, …, and maxSamples itself when it is not a multiple of batch. */
export function lookSizes(batch: number, maxSamples: number): number[] {
  const sizes: number[] = [];
  for (let n = batch; n < maxSamples; n += batch) sizes.push(n);
  sizes.push(maxSamples);
  return sizes;
}

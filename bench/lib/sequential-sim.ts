/**
 * Simulated comparisons for the sequential-design benchmark: per round one latency (and one outcome)
 * per cohort, drawn from the sim's own latency distribution (src/sim/distribution.ts; the default
 * platform is log-normal, median 6 ms, σ 0.25) plus harness noise, and today's fixed-N decision rules
 * (suites/lib/latency-compare.ts, suites/lib/latency-error-rate.ts) for one comparison, so both designs
 * see the same samples.
 *
 * Harness noise is a fixed mixture shaped like the one bench/lib/noise.ts measured end to end
 * (README: median ≈ 0, p95 4.7 ms, p99 10.8 ms, plus the client's 0.76 ms overhead), drawn
 * independently per sample, which is pessimistic: in a real run contention hits interleaved cohorts alike.
 */
import { createRng, type Rng } from '../../src/core/rng.js';
import { sampleMs } from '../../src/sim/distribution.js';
import type { Distribution } from '../../src/sim/types.js';
import { fisherExact, hodgesLehmann, mannWhitney, median, twoProportions } from '../../src/stats/index.js';

/** A simulated platform: its latency for the reference, and what the harness adds. */
export interface Platform {
  name: string;
  latency: Distribution;
  /** Share of requests that stall, and by how long (ms): flaky-but-fair has 1% of 200 ms. */
  stallRate: number;
  stallMs: number;
}

export const SIM_DEFAULT: Platform = {
  name: 'sim default (log-normal 6 ms, σ 0.25) + harness noise',
  latency: { dist: 'lognormal', medianMs: 6, sigma: 0.25 },
  stallRate: 0,
  stallMs: 0,
};

export const FLAKY: Platform = {
  ...SIM_DEFAULT,
  name: 'flaky-but-fair (+1% stalls of 200 ms)',
  stallRate: 0.01,
  stallMs: 200,
};

/** The client's overhead plus contention: 88% within ±0.2 ms, 8% 1–6 ms, 4% 4 ms + Exp(5 ms). */
export function harnessNoiseMs(rng: Rng): number {
  const u = rng.next();
  const extra = u < 0.88 ? -0.1 + 0.4 * rng.next() : u < 0.96 ? 1 + 5 * rng.next() : 4 - 5 * Math.log(1 - rng.next());
  return 0.76 + extra;
}

/** n latencies (ms) of one cohort whose platform latency is multiplied by 1 + shiftPct/100. */
export function drawLatencies(platform: Platform, shiftPct: number, n: number, rng: Rng): number[] {
  const factor = 1 + shiftPct / 100;
  return Array.from({ length: n }, () => {
    const stall = rng.next() < platform.stallRate ? platform.stallMs : 0;
    return factor * sampleMs(platform.latency, rng) + stall + harnessNoiseMs(rng);
  });
}

/** One simulated comparison: reference and subject latencies for `rounds` rounds, from a seed. */
export function latencyPair(platform: Platform, shiftPct: number, rounds: number, seed: number): [number[], number[]] {
  const rng = createRng(seed);
  return [
    drawLatencies(platform, 0, rounds, rng.fork('reference')),
    drawLatencies(platform, shiftPct, rounds, rng.fork('subject')),
  ];
}

/** n outcomes (true = failed), each failing with probability rate. */
export function drawOutcomes(rate: number, n: number, rng: Rng): boolean[] {
  return Array.from({ length: n }, () => rng.next() < rate);
}

export type FixedVerdict = 'fail' | 'pass' | 'inconclusive';

/**
 * Today's latency rule for one comparison (Holm over one is the raw p): fail when the one-sided
 * Mann–Whitney p < α and the Hodges–Lehmann shift exceeds δ % of the reference median; pass when the
 * 1 − 2α Hodges–Lehmann CI lies inside ±δ %; otherwise inconclusive.
 */
export function fixedLatencyVerdict(
  reference: number[],
  subject: number[],
  alpha: number,
  marginPct: number,
): FixedVerdict {
  const shift = hodgesLehmann(subject, reference, 1 - 2 * alpha);
  const marginMs = (median(reference) * marginPct) / 100;
  if (mannWhitney(subject, reference, 'greater').p < alpha && shift.estimate > marginMs) return 'fail';
  return shift.ciLow > -marginMs && shift.ciHigh < marginMs ? 'pass' : 'inconclusive';
}

/** Today's PAR-ERR-001 rule: Fisher (small counts) or z test, Newcombe's 1 − 2α CI for equivalence. */
export function fixedErrorVerdict(
  reference: boolean[],
  subject: boolean[],
  alpha: number,
  marginPp: number,
): FixedVerdict {
  const count = (xs: boolean[]): number => xs.filter(Boolean).length;
  const [r, s, nr, ns] = [count(reference), count(subject), reference.length, subject.length];
  const errors = r + s;
  const smallestExpected = Math.min(errors, nr + ns - errors) * (Math.min(nr, ns) / (nr + ns));
  const p =
    smallestExpected < 5 ? fisherExact(s, ns - s, r, nr - r, 'greater').p : twoProportions(s, ns, r, nr).pGreater;
  const ci = twoProportions(s, ns, r, nr, 1 - 2 * alpha);
  const margin = marginPp / 100;
  if (p < alpha && ci.diff > margin) return 'fail';
  return ci.ciLow > -margin && ci.ciHigh < margin ? 'pass' : 'inconclusive';
}

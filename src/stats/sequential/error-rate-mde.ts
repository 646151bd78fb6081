// The smallest error-rate difference the sequential PAR-ERR-001 comparison establishes at a cap, for
// --dry-run and for inconclusive findings. The betting wealth of betting.ts is a sum of log factors;
// at each pair its expected log-growth and variance follow from the three values D can take
// (Waudby-Smith & Ramdas 2024, JRSSB 86(1), §5 on the growth rate of the plug-in bets), with the bets
// the plug-in rule would place at the true variance. A normal approximation to the log wealth at n then
// gives the power (crossings before n only add to it, so the figure is slightly pessimistic).
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { capOf } from './betting.js';
import type { FailRule } from './latency.js';

/** Options of the planning MDE for error rates. */
export interface ErrorRateMdeOptions {
  alpha: number;
  /** Margin δ in percentage points. */
  marginPp: number;
  /** The reference's error rate in % (0 for a healthy platform). */
  referenceRatePct: number;
  /** Which hypothesis a fail needs (see latency.ts). */
  failRule: FailRule;
  /** Probability of establishing fail by n pairs; default 0.8. */
  power?: number;
}

/** Smallest subject − reference error rate (percentage points) whose fail is established with the given power by n pairs. */
export function errorRateMdePp(n: number, options: ErrorRateMdeOptions): number {
  const p = options.referenceRatePct / 100;
  const margin = options.marginPp / 100;
  const isStrict = options.failRule === 'beyond-margin';
  const nullMean = isStrict ? margin : 0;
  const z = normalQuantile(options.power ?? 0.8, 0, 1);
  const isEnough = (delta: number): boolean => {
    const { mean, variance } = logWealthMoments(n, p, Math.min(1, p + delta), nullMean, options.alpha);
    return mean - z * Math.sqrt(variance) >= -Math.log(options.alpha);
  };
  let low = nullMean;
  let high = Math.min(0.5, 1 - p);
  if (!isEnough(high)) return Infinity;
  for (let iteration = 0; iteration < 30; iteration += 1) {
    const mid = (low + high) / 2;
    if (isEnough(mid)) high = mid;
    else low = mid;
  }
  return 100 * (isStrict ? high : Math.max(high, margin));
}

/** Mean and variance of log K_n(nullMean) when the cohorts err independently with rates pr and ps. */
function logWealthMoments(n: number, pr: number, ps: number, nullMean: number, alpha: number) {
  const up = ps * (1 - pr);
  const down = pr * (1 - ps);
  const values: Array<[number, number]> = [
    [1, up],
    [-1, down],
    [0, 1 - up - down],
  ];
  const varianceD = up + down - (up - down) ** 2;
  let mean = 0;
  let variance = 0;
  for (let i = 1; i <= n; i += 1) {
    const estimate = (1 + (i - 1) * varianceD) / i;
    const bet = Math.min(capOf(nullMean), Math.sqrt((2 * -Math.log(alpha)) / (estimate * i * Math.log(1 + i))));
    let m1 = 0;
    let m2 = 0;
    for (const [d, probability] of values) {
      const x = Math.log1p(bet * (d - nullMean));
      m1 += probability * x;
      m2 += probability * x * x;
    }
    mean += m1;
    variance += m2 - m1 * m1;
  }
  return { mean, variance };
}

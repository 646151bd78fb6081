// Two one-sided tests (Schuirmann 1987) for equivalence of two samples on the log scale,
// each a Welch t test, so the margin is multiplicative: ratio in [1/(1+δ), 1+δ].
import { mean } from './describe.js';
import { at } from './rank.js';
import { tCdf, tQuantile } from './student-t.js';

/** TOST outcome: p = max(pLower, pUpper); ratio and its 90% CI are exp of the log-mean difference. */
export interface TostResult {
  p: number;
  pLower: number;
  pUpper: number;
  ratio: number;
  ciLow: number;
  ciHigh: number;
}

/**
 * Equivalence of subject and reference within ±marginPct % (on log values, margin
 * ±ln(1 + marginPct/100)). pLower tests H0 "difference <= −margin", pUpper tests H0
 * "difference >= +margin"; the CI is the matching 90% Welch interval of the ratio.
 * All values must be > 0; each sample needs at least two values.
 */
export function tostLog(subject: readonly number[], reference: readonly number[], marginPct: number): TostResult {
  if (subject.length < 2 || reference.length < 2) throw new RangeError('tostLog needs at least two values per sample');
  if (!subject.every((value) => value > 0) || !reference.every((value) => value > 0))
    throw new RangeError('tostLog needs positive values');
  const logSubject = Float64Array.from(subject, Math.log);
  const logReference = Float64Array.from(reference, Math.log);
  const { difference, se, df } = welch(logSubject, logReference);
  const margin = Math.log(1 + marginPct / 100);
  const pLower = lowerTail(-(difference + margin) / se, df);
  const pUpper = lowerTail((difference - margin) / se, df);
  const halfWidth = se === 0 ? 0 : tQuantile(0.95, df) * se;
  return {
    p: Math.max(pLower, pUpper),
    pLower,
    pUpper,
    ratio: Math.exp(difference),
    ciLow: Math.exp(difference - halfWidth),
    ciHigh: Math.exp(difference + halfWidth),
  };
}

/** P(T <= t), read from the lower tail so tiny p-values keep their precision. */
function lowerTail(t: number, df: number): number {
  // A zero standard error makes t ±Infinity, or NaN exactly on the margin (no evidence: 1).
  if (Number.isNaN(t)) return 1;
  if (!Number.isFinite(t) || !Number.isFinite(df)) return t < 0 ? 0 : 1;
  return tCdf(t, df);
}

/** Difference of means, its Welch standard error and Welch–Satterthwaite degrees of freedom. */
export function welch(x: ArrayLike<number>, y: ArrayLike<number>): { difference: number; se: number; df: number } {
  const vx = variance(x) / x.length;
  const vy = variance(y) / y.length;
  const se = Math.sqrt(vx + vy);
  const df = (vx + vy) ** 2 / (vx ** 2 / (x.length - 1) + vy ** 2 / (y.length - 1));
  return { difference: mean(x) - mean(y), se, df };
}

function variance(values: ArrayLike<number>): number {
  const centre = mean(values);
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) sum += (at(values, i) - centre) ** 2;
  return sum / (values.length - 1);
}

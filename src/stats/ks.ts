// Two-sample Kolmogorov–Smirnov test, following scipy.stats.ks_2samp(method='auto'):
// exact p-values while both samples have at most 10 000 values, asymptotic beyond.
import type { Alternative } from './mann-whitney.js';
import { kolmogorovSf } from './kolmogorov.js';
import { at, sortedCopy } from './rank.js';

/** KS statistic, its p-value and which computation produced it. */
export interface KsResult {
  d: number;
  p: number;
  method: 'exact' | 'asymptotic';
}

const maxExactN = 10_000;

/**
 * Two-sample KS test. 'greater' uses D+ = max(F_x − F_y), 'less' uses D− = max(F_y − F_x).
 * Exact: the share of lattice paths that leave the band |i/n1 − j/n2| < d, computed as a
 * convex recursion so small p-values keep full relative precision. Asymptotic: the
 * one-sample Kolmogorov distribution at n = round(n1·n2/(n1+n2)) (two-sided), Hodges' eq. 5.3
 * (one-sided), as scipy does.
 */
export function ksTwoSample(
  x: readonly number[],
  y: readonly number[],
  alternative: Alternative = 'two-sided',
): KsResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('ksTwoSample needs two non-empty samples');
  const { dPlus, dMinus } = ecdfDistances(sortedCopy(x), sortedCopy(y));
  const d = alternative === 'greater' ? dPlus : alternative === 'less' ? dMinus : Math.max(dPlus, dMinus);
  if (Math.max(n1, n2) <= maxExactN) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    const p = h === 0 ? 1 : exactTail(n1, n2, h, alternative);
    return { d: h / lcm, p: clamp01(p), method: 'exact' };
  }
  return { d, p: clamp01(asymptoticTail(n1, n2, d, alternative)), method: 'asymptotic' };
}

/** Largest positive and negative gaps between the two ECDFs, evaluated at every data point. */
function ecdfDistances(xs: Float64Array, ys: Float64Array): { dPlus: number; dMinus: number } {
  let i = 0;
  let j = 0;
  let dPlus = 0;
  let dMinus = 0;
  while (i < xs.length || j < ys.length) {
    const next = Math.min(i < xs.length ? at(xs, i) : Infinity, j < ys.length ? at(ys, j) : Infinity);
    while (i < xs.length && at(xs, i) === next) i += 1;
    while (j < ys.length && at(ys, j) === next) j += 1;
    const gap = i / xs.length - j / ys.length;
    dPlus = Math.max(dPlus, gap);
    dMinus = Math.max(dMinus, -gap);
  }
  return { dPlus, dMinus };
}

/** P(D >= h/lcm) for samples of sizes n1, n2 without ties. */
function exactTail(n1: number, n2: number, h: number, alternative: Alternative): number {
  if (alternative === 'two-sided' && n1 === n2) return equalSizeTwoSidedTail(n1, h);
  const g = gcd(n1, n2);
  // Lattice point (i, j) sits at (i/n1 − j/n2)·lcm = i·b − j·a on the integer scale;
  // it is inside the band when −h < i·b − j·a < h (only one side counts for one-sided tests).
  const a = n1 / g;
  const b = n2 / g;
  const hasUpperEdge = alternative !== 'less';
  const hasLowerEdge = alternative !== 'greater';
  // q[j] = share of the paths from (0,0) to (i,j) that have already left the band;
  // 1 outside the band, so only the band of each row is computed.
  let previous = new Float64Array(n2 + 1).fill(1);
  let current = new Float64Array(n2 + 1).fill(1);
  let previousBand: [number, number] = [0, -1];
  let currentBand: [number, number] = [0, -1];
  for (let i = 0; i <= n1; i += 1) {
    current.fill(1, currentBand[0], currentBand[1] + 1);
    const lo = hasUpperEdge ? Math.max(0, Math.floor((i * b - h) / a) + 1) : 0;
    const hi = hasLowerEdge ? Math.min(n2, Math.ceil((i * b + h) / a) - 1) : n2;
    for (let j = lo; j <= hi; j += 1) {
      current[j] = i + j === 0 ? 0 : (i * at(previous, j) + (j > 0 ? j * at(current, j - 1) : 0)) / (i + j);
    }
    currentBand = [lo, hi];
    [previous, current] = [current, previous];
    [previousBand, currentBand] = [currentBand, previousBand];
  }
  return at(previous, n2);
}

/**
 * Two-sided tail for n1 = n2 = n by reflection: 2·Σ_k (−1)^(k−1) C(2n, n−kh)/C(2n, n),
 * evaluated as nested products of consecutive ratios to avoid cancellation.
 */
function equalSizeTwoSidedTail(n: number, h: number): number {
  const ratios: number[] = [];
  for (let k = 1; k * h <= n; k += 1) {
    let r = 1;
    for (let j = (k - 1) * h; j < k * h; j += 1) r *= (n - j) / (n + j + 1);
    ratios.push(r);
  }
  let nested = 0;
  for (let k = ratios.length - 1; k >= 0; k -= 1) nested = at(ratios, k) * (1 - nested);
  return 2 * nested;
}

function asymptoticTail(n1: number, n2: number, d: number, alternative: Alternative): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  if (alternative === 'two-sided') return kolmogorovSf(Math.round(en), d);
  const z = Math.sqrt(en) * d;
  // Hodges (1958) eq. 5.3; m must be the larger sample.
  return Math.exp(-2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function clamp01(p: number): number {
  return Math.min(1, Math.max(0, p));
}

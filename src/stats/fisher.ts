// Fisher's exact test for the 2×2 table [[a, b], [c, d]], as scipy.stats.fisher_exact.
import type { Alternative } from './mann-whitney.js';

/** Sample odds ratio (a·d)/(b·c) and the exact p-value. */
export interface FisherResult {
  oddsRatio: number;
  p: number;
}

/** Tables within this relative distance of the observed probability count as "as extreme". */
const relativeTolerance = 1e-7;

/**
 * Fisher's exact test. 'greater' = P(X >= a), 'less' = P(X <= a) where X is the top-left cell
 * under the hypergeometric null with the margins fixed; 'two-sided' sums every table no more
 * likely than the observed one. Probabilities come from ratio recurrences (no factorials).
 */
export function fisherExact(
  a: number,
  b: number,
  c: number,
  d: number,
  alternative: Alternative = 'two-sided',
): FisherResult {
  if ([a, b, c, d].some((cell) => !Number.isInteger(cell) || cell < 0)) {
    throw new RangeError('fisherExact needs non-negative integer counts');
  }
  if (a + b === 0 || c + d === 0 || a + c === 0 || b + d === 0) return { oddsRatio: Number.NaN, p: 1 };
  const oddsRatio = b > 0 && c > 0 ? (a * d) / (b * c) : Infinity;
  const { low, weights } = hypergeometricWeights(a + b, c + d, a + c);
  const total = weights.reduce((sum, w) => sum + w, 0);
  const observed = weights[a - low] ?? 0;
  let tail = 0;
  weights.forEach((w, index) => {
    const x = low + index;
    const isIncluded =
      alternative === 'less' ? x <= a : alternative === 'greater' ? x >= a : w <= observed * (1 + relativeTolerance);
    if (isIncluded) tail += w;
  });
  return { oddsRatio, p: Math.min(1, tail / total) };
}

/** Unnormalised hypergeometric probabilities of the top-left cell over its support, 1 at the mode. */
function hypergeometricWeights(row1: number, row2: number, col1: number): { low: number; weights: number[] } {
  const low = Math.max(0, col1 - row2);
  const high = Math.min(col1, row1);
  const mode = Math.floor(((col1 + 1) * (row1 + 1)) / (row1 + row2 + 2));
  const weights = new Array<number>(high - low + 1).fill(0);
  weights[mode - low] = 1;
  // P(x+1)/P(x) = (row1 − x)(col1 − x) / ((x + 1)(row2 − col1 + x + 1)).
  for (let x = mode; x < high; x += 1) {
    weights[x + 1 - low] = ((weights[x - low] ?? 0) * (row1 - x) * (col1 - x)) / ((x + 1) * (row2 - col1 + x + 1));
  }
  for (let x = mode; x > low; x -= 1) {
    weights[x - 1 - low] = ((weights[x - low] ?? 0) * x * (row2 - col1 + x)) / ((row1 - x + 1) * (col1 - x + 1));
  }
  return { low, weights };
}

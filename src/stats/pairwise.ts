// Order statistics of the n·m pairwise differences x_i − y_j without materialising them.
import { at } from './rank.js';

const scratch = new DataView(new ArrayBuffer(8));

/** Maps a double to a BigInt whose order matches the numeric order of doubles. */
function orderedKey(value: number): bigint {
  scratch.setFloat64(0, value === 0 ? 0 : value);
  const bits = scratch.getBigInt64(0);
  return bits < 0n ? -(bits & 0x7fff_ffff_ffff_ffffn) : bits;
}

function fromOrderedKey(key: bigint): number {
  scratch.setBigInt64(0, key < 0n ? -key | -0x8000_0000_0000_0000n : key);
  return scratch.getFloat64(0);
}

/** How many differences xs[i] − ys[j] are <= t; xs and ys ascending (two pointers, O(n+m)). */
function countAtMost(xs: Float64Array, ys: Float64Array, t: number): number {
  let count = 0;
  let j = ys.length - 1;
  // Walking j down while i rises works because rounded subtraction is monotone in both arguments.
  for (let i = xs.length - 1; i >= 0; i -= 1) {
    while (j >= 0 && at(xs, i) - at(ys, j) <= t) j -= 1;
    count += ys.length - 1 - j;
  }
  return count;
}

/**
 * The k-th smallest (1-based) of the differences xs[i] − ys[j], both inputs ascending.
 * Bisects over the ~2^64 doubles in numeric order, so at most 64 counting passes: the answer
 * is the smallest double t with at least k differences <= t, which is itself a difference.
 */
export function kthPairwiseDifference(xs: Float64Array, ys: Float64Array, k: number): number {
  const total = xs.length * ys.length;
  if (!(k >= 1 && k <= total)) throw new RangeError(`order ${k} outside 1..${total}`);
  let low = orderedKey(at(xs, 0) - at(ys, ys.length - 1));
  let high = orderedKey(at(xs, xs.length - 1) - at(ys, 0));
  // Invariant: count(<= fromOrderedKey(high)) >= k, and the answer is >= fromOrderedKey(low).
  while (low < high) {
    const middle = low + (high - low) / 2n;
    if (countAtMost(xs, ys, fromOrderedKey(middle)) >= k) high = middle;
    else low = middle + 1n;
  }
  return fromOrderedKey(low);
}

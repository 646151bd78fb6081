/** Average ranks with the sizes of tie groups, as the rank-based tests need them. */
export interface Ranking {
  /** 1-based average rank of each input value, in input order. */
  ranks: Float64Array;
  /** Size of every group of equal values (groups of one included). */
  tieSizes: number[];
}

/** Ranks values (ties get the mean of the ranks they span), like scipy's rankdata('average'). */
export function rankWithTies(values: readonly number[]): Ranking {
  const order = values.map((_, i) => i).sort((a, b) => at(values, a) - at(values, b));
  const ranks = new Float64Array(values.length);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && at(values, at(order, end)) === at(values, at(order, start))) end += 1;
    const averageRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k += 1) ranks[at(order, k)] = averageRank;
    tieSizes.push(end - start);
    start = end;
  }
  return { ranks, tieSizes };
}

/** Sorted copy, ascending (typed arrays sort numerically), leaving the caller's array alone. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** Indexed read that states the index is in range (noUncheckedIndexedAccess). */
export function at<T>(array: ArrayLike<T>, index: number): T {
  return array[index] as T;
}

/** Sorted copy, ascending (typed arrays sort numerically), leaving the caller's array alone. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** Indexed read that states the index is in range (noUncheckedIndexedAccess). */
export function at<T>(array: ArrayLike<T>, index: number): T {
  return array[index] as T;
}

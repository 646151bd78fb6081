// The running intersection of the sign-test confidence sequence (latency.ts): at every prefix t the
// interval is [k_t-th largest, k_t-th smallest] of W_1..W_t (Howard & Ramdas 2022, Bernoulli 28(3), §3);
// intersecting over t ≤ n keeps the bounds consistent with decisions taken on running maxima. A Fenwick
// tree over the ranks of W gives each prefix's order statistics in O(log n).

/** max over t ≤ n of the lower ends and min of the upper ends; ±Infinity while no prefix reached the boundary. */
export function runningOrderBounds(
  w: ArrayLike<number>,
  thresholds: readonly number[],
  sorted: Float64Array = Float64Array.from(w).sort(),
): { low: number; high: number } {
  const n = w.length;
  const rankOf = ranks(w, sorted);
  const tree = new Int32Array(n + 1);
  let top = 1;
  while (top * 2 <= n) top *= 2;
  /** The k-th smallest inserted value (1-based k), by binary lifting over the Fenwick tree. */
  const kthSmallest = (k: number): number => {
    let position = 0;
    let remaining = k;
    for (let step = top; step > 0; step >>= 1) {
      const next = position + step;
      if (next <= n && (tree[next] ?? 0) < remaining) {
        position = next;
        remaining -= tree[next] ?? 0;
      }
    }
    return sorted[position] ?? Number.NaN;
  };
  let low = -Infinity;
  let high = Infinity;
  for (let t = 1; t <= n; t += 1) {
    for (let i = rankOf[t - 1] ?? 0; i <= n; i += i & -i) tree[i] = (tree[i] ?? 0) + 1;
    const k = thresholds[t - 1] ?? t + 1;
    if (k > t) continue;
    low = Math.max(low, kthSmallest(t - k + 1));
    high = Math.min(high, kthSmallest(k));
  }
  return { low, high };
}

/** 1-based ranks of w in `sorted` (its sorted copy); tied values get consecutive ranks in order of arrival. */
function ranks(w: ArrayLike<number>, sorted: Float64Array): Int32Array {
  const n = w.length;
  const usedAt = new Int32Array(n);
  const rankOf = new Int32Array(n);
  for (let i = 0; i < n; i += 1) {
    const value = w[i] ?? Number.NaN;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] ?? Number.NaN) < value) lo = mid + 1;
      else hi = mid;
    }
    rankOf[i] = lo + (usedAt[lo] ?? 0) + 1;
    usedAt[lo] = (usedAt[lo] ?? 0) + 1;
  }
  return rankOf;
}

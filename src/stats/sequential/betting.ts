// Betting confidence sequences for the mean of a bounded variable D ∈ [−1, 1]:
// Waudby-Smith & Ramdas (2024), "Estimating means of bounded random variables by betting", JRSSB 86(1),
// §4–5 (the hedged capital process with the predictable plug-in bet, their eq. (26)).
//
// For a null mean m (H0: E[D] ≤ m), K_t(m) = ∏ (1 + λ_i (D_i − m)) with λ_i ≥ 0 chosen from D_1..D_{i−1}
// is a nonnegative supermartingale with K_0 = 1 while every factor stays positive, so by Ville's
// inequality P(∃t: K_t(m) ≥ 1/α) ≤ α; the mirror image ∏ (1 − λ_i (D_i − m)) tests H0: E[D] ≥ m.
// The bets here do not depend on m, so K_t(m) is monotone in m and the confidence bounds are found by
// bisection. Bets are capped at CAP = 0.6 so that every factor stays ≥ 0.1 for |m| ≤ 1/2: nulls
// outside ±1/2 are not tested, and a bound that would lie beyond is reported as ±1.

/** Largest bet; keeps 1 ± λ(D − m) ≥ 0.1 for D ∈ [−1, 1] and |m| ≤ MAX_NULL. */
const CAP = 0.6;
/** The widest null mean tested on either side. */
export const MAX_NULL = 0.5;

/** The predictable plug-in bets λ_1..λ_n for D ∈ [−1, 1] at level alpha (each uses only earlier values). */
export function plugInBets(d: ArrayLike<number>, alpha: number): Float64Array {
  const bets = new Float64Array(d.length);
  const logInverseAlpha = -Math.log(alpha);
  let sum = 0;
  let squares = 1; // prior pseudo-observation: variance 1 on [−1, 1] (1/4 on [0, 1] in the paper)
  for (let i = 0; i < d.length; i += 1) {
    const t = i + 1;
    const variance = squares / t;
    bets[i] = Math.min(CAP, Math.sqrt((2 * logInverseAlpha) / (variance * t * Math.log(1 + t))));
    const x = d[i] ?? 0;
    sum += x;
    const mean = sum / (t + 1);
    squares += (x - mean) ** 2;
  }
  return bets;
}

/** log K_t(m) at the end and its running maximum, for H0: E[D] ≤ m (side +1) or E[D] ≥ m (side −1). */
export function logWealth(
  d: ArrayLike<number>,
  bets: ArrayLike<number>,
  nullMean: number,
  side: 1 | -1,
): { current: number; max: number } {
  if (Math.abs(nullMean) > MAX_NULL) throw new RangeError(`null mean must lie in ±${MAX_NULL}, got ${nullMean}`);
  let current = 0;
  let max = 0;
  for (let i = 0; i < d.length; i += 1) {
    current += Math.log1p(side * (bets[i] ?? 0) * ((d[i] ?? 0) - nullMean));
    if (current > max) max = current;
  }
  return { current, max };
}

/** The 1 − α lower (side +1) or upper (side −1) confidence bound for E[D] at the end of d. */
export function bettingBound(d: ArrayLike<number>, bets: ArrayLike<number>, alpha: number, side: 1 | -1): number {
  const limit = -Math.log(alpha);
  const isRejected = (m: number): boolean => logWealth(d, bets, m, side).current >= limit;
  // side +1: rejected nulls are the small m; the bound is the boundary between rejected and not.
  const edge = -side * MAX_NULL;
  if (!isRejected(edge)) return -side;
  let rejected = edge;
  let kept = side * MAX_NULL;
  if (isRejected(kept)) return kept;
  for (let iteration = 0; iteration < 40; iteration += 1) {
    const mid = (rejected + kept) / 2;
    if (isRejected(mid)) rejected = mid;
    else kept = mid;
  }
  return rejected;
}

// Betting confidence sequences for the mean of a bounded variable D ∈ [−1, 1]:
// Waudby-Smith & Ramdas (2024), "Estimating means of bounded random variables by betting", JRSSB 86(1),
// §4–5 (the hedged capital process with the predictable plug-in bet, their eq. (26)).
//
// For a null mean m (H0: E[D] ≤ m), K_t(m) = ∏ (1 + λ_i (D_i − m)) with λ_i ≥ 0 chosen from D_1..D_{i−1}
// is a nonnegative supermartingale with K_0 = 1 while every factor stays positive, so by Ville's
// inequality P(∃t: K_t(m) ≥ 1/α) ≤ α; the mirror image ∏ (1 − λ_i (D_i − m)) tests H0: E[D] ≥ m.
// The bet is min(plug-in, capOf(m)) with capOf(m) = 0.9/(1 + |m|), which keeps every factor ≥ 0.1 for
// any m in [−1, 1] and lets the bets near m = 0, where parity is decided, grow to almost 0.9 (with no
// errors on either side that is what makes pass come early). The plug-in part does not depend on m, and
// λ(m)·(D − m) is non-increasing in m for every D ∈ [−1, 1] (on m ≥ 0, (m − D)/(1 + m) has derivative
// (1 + D)/(1 + m)² ≥ 0; on m < 0, (D − m)/(1 − m) has derivative (D − 1)/(1 − m)² ≤ 0), so K_t(m) is
// monotone in m and the confidence bounds are found by bisection.

/** The bet cap for null mean m: every factor 1 ± λ(D − m) stays ≥ 0.1 for D ∈ [−1, 1]. */
export function capOf(nullMean: number): number {
  return 0.9 / (1 + Math.abs(nullMean));
}

/** The predictable plug-in bets λ_1..λ_n for D ∈ [−1, 1] at level alpha, before the cap (each uses only earlier values). */
export function plugInBets(d: ArrayLike<number>, alpha: number): Float64Array {
  const bets = new Float64Array(d.length);
  const logInverseAlpha = -Math.log(alpha);
  let sum = 0;
  let squares = 1; // prior pseudo-observation: variance 1 on [−1, 1] (1/4 on [0, 1] in the paper)
  for (let i = 0; i < d.length; i += 1) {
    const t = i + 1;
    const variance = squares / t;
    bets[i] = Math.sqrt((2 * logInverseAlpha) / (variance * t * Math.log(1 + t)));
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
  if (!(Math.abs(nullMean) <= 1)) throw new RangeError(`null mean must lie in [−1, 1], got ${nullMean}`);
  const cap = capOf(nullMean);
  let current = 0;
  let max = 0;
  for (let i = 0; i < d.length; i += 1) {
    current += Math.log1p(side * Math.min(cap, bets[i] ?? 0) * ((d[i] ?? 0) - nullMean));
    if (current > max) max = current;
  }
  return { current, max };
}

/**
 * The 1 − α lower (side +1) or upper (side −1) bound of the running intersection of the confidence
 * sequence up to the end of d: the nulls whose wealth reached 1/α at any time are out (max_t K_t(m) is
 * monotone in m too), which is what the decisions use, so bounds and decisions always agree.
 */
export function bettingBound(d: ArrayLike<number>, bets: ArrayLike<number>, alpha: number, side: 1 | -1): number {
  const limit = -Math.log(alpha);
  const isRejected = (m: number): boolean => reaches(d, bets, m, side, limit);
  // side +1: rejected nulls are the small m; the bound is the boundary between rejected and not.
  let rejected: number = -side;
  let kept: number = side;
  if (!isRejected(rejected)) return rejected;
  if (isRejected(kept)) return kept;
  for (let iteration = 0; iteration < 32; iteration += 1) {
    const mid = (rejected + kept) / 2;
    if (isRejected(mid)) rejected = mid;
    else kept = mid;
  }
  return rejected;
}

/** Whether log K_t(m) reaches `limit` at some t (stops at the first time it does). */
function reaches(
  d: ArrayLike<number>,
  bets: ArrayLike<number>,
  nullMean: number,
  side: 1 | -1,
  limit: number,
): boolean {
  const cap = capOf(nullMean);
  let current = 0;
  for (let i = 0; i < d.length; i += 1) {
    current += Math.log1p(side * Math.min(cap, bets[i] ?? 0) * ((d[i] ?? 0) - nullMean));
    if (current >= limit) return true;
  }
  return false;
}

// One-sided beta-binomial mixture e-process for a sign test ("is P(success) above 1/2?"):
// Howard, Ramdas, McAuliffe & Sekhon (2021), "Time-uniform, nonparametric, nonasymptotic confidence
// sequences", Annals of Statistics 49(2), §3 and Prop. 7 (the one-sided beta-binomial mixture), and
// its use for quantiles in Howard & Ramdas (2022), "Sequential estimation of quantiles with
// applications to A/B-testing and best-arm identification", Bernoulli 28(3), §3.
//
// Under H0 "each trial succeeds with probability at most 1/2" (independently of the past), the mixture
// over π ∈ (1/2, 1) of the likelihood ratios (2π)^k (2(1 − π))^(t − k), with a Beta(a, a) prior
// truncated to (1/2, 1), is a nonnegative supermartingale with initial value 1, so by Ville's
// inequality P(∃t: E_t ≥ 1/α) ≤ α. In closed form, with k successes in t trials,
//   E_t = 2^(t+1) · B(a + k, a + t − k) / B(a, a) · P(Beta(a + k, a + t − k) > 1/2).
import betainc from '@stdlib/math-base-special-betainc';
import gammaln from '@stdlib/math-base-special-gammaln';

/** The default prior concentration a of Beta(a, a): tightest around a few hundred trials. */
export const DEFAULT_PRIOR = 8;

/** log E_t of the one-sided beta-binomial mixture after `successes` out of `trials`. */
export function logSignEvalue(successes: number, trials: number, prior = DEFAULT_PRIOR): number {
  if (!(trials >= 0 && successes >= 0 && successes <= trials)) throw new RangeError('need 0 <= successes <= trials');
  if (!(prior > 0)) throw new RangeError(`prior must be positive, got ${prior}`);
  const a = prior + successes;
  const b = prior + trials - successes;
  const logBeta = gammaln(a) + gammaln(b) - gammaln(a + b) - (2 * gammaln(prior) - gammaln(2 * prior));
  const upperTail = betainc(0.5, a, b, true, true);
  return (trials + 1) * Math.LN2 + logBeta + Math.log(upperTail);
}

const thresholds = new Map<string, Map<number, number>>();

/**
 * The fewest successes k out of `trials` with E_t ≥ 1/alpha (E is increasing in k), or trials + 1 when
 * even k = trials does not reach it. Cached, since every look at the same size asks the same question.
 */
export function signThreshold(trials: number, alpha: number, prior = DEFAULT_PRIOR): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const key = `${alpha}|${prior}`;
  const cache = thresholds.get(key) ?? new Map<number, number>();
  thresholds.set(key, cache);
  const cached = cache.get(trials);
  if (cached !== undefined) return cached;
  const target = -Math.log(alpha);
  let low = Math.floor(trials / 2);
  let high = trials + 1;
  // Invariant: E(low) < 1/alpha (E ≤ 1 at k ≤ t/2), E(high) ≥ 1/alpha or high = trials + 1.
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (logSignEvalue(mid, trials, prior) >= target) high = mid;
    else low = mid;
  }
  cache.set(trials, high);
  return high;
}

const sequences = new Map<string, number[]>();

/**
 * signThreshold(t) for t = 1..n (index t − 1), computed in one pass: adding a trial never lowers the
 * threshold (a failure multiplies E by 2·E[1 − π | data] < 1) and raises it by at most one (a success
 * multiplies it by 2·E[π | data] > 1), so each step costs one e-value. Cached per alpha and prior.
 */
export function signThresholds(n: number, alpha: number, prior = DEFAULT_PRIOR): readonly number[] {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const key = `${alpha}|${prior}`;
  const known = sequences.get(key) ?? [];
  sequences.set(key, known);
  const limit = -Math.log(alpha);
  for (let t = known.length + 1; t <= n; t += 1) {
    const previous = known[t - 2] ?? 1;
    // A threshold above t means unreachable; keep it at t + 1 until it becomes reachable.
    const k = Math.min(previous, t);
    known.push(
      k <= t && logSignEvalue(k, t, prior) >= limit
        ? k
        : k + 1 <= t && logSignEvalue(k + 1, t, prior) >= limit
          ? k + 1
          : t + 1,
    );
  }
  return known;
}

/**
 * The running maximum over t' ≤ t of log E_t' for the trials "side · (w_i − threshold) > 0" in order
 * (side +1 counts values above the threshold, −1 values below); an anytime-valid p-value is then
 * min(1, exp(−max)). E_t' ≤ 2 · (the untruncated mixture), which needs no incomplete beta function, so
 * only the times whose bound can beat the best exact value so far pay for one.
 */
export function maxLogSignEvalue(w: ArrayLike<number>, threshold: number, side: 1 | -1, prior = DEFAULT_PRIOR): number {
  const n = w.length;
  const table = logGammaTable(prior, n);
  const bound = new Float64Array(n + 1).fill(-Infinity);
  const successesAt = new Int32Array(n + 1);
  let successes = 0;
  let top = 0;
  for (let t = 1; t <= n; t += 1) {
    if (side * ((w[t - 1] ?? Number.NaN) - threshold) > 0) successes += 1;
    successesAt[t] = successes;
    if (2 * successes <= t) continue; // E_t ≤ 1 here
    const logBeta = table.single[successes]! + table.single[t - successes]! - table.double[t]! - table.prior;
    bound[t] = (t + 1) * Math.LN2 + logBeta;
    if (bound[t]! > (bound[top] ?? -Infinity)) top = t;
  }
  if (top === 0) return 0;
  const exact = (t: number): number =>
    bound[t]! + Math.log(betainc(0.5, prior + successesAt[t]!, prior + t - successesAt[t]!, true, true));
  let best = Math.max(0, exact(top));
  for (let t = 1; t <= n; t += 1) if (bound[t]! > best && t !== top) best = Math.max(best, exact(t));
  return best;
}

interface LogGammaTable {
  /** ln Γ(a + j) for j = 0..n. */
  single: Float64Array;
  /** ln Γ(2a + j) for j = 0..n. */
  double: Float64Array;
  /** ln B(a, a). */
  prior: number;
}

const tables = new Map<number, LogGammaTable>();

/** ln Γ at a + j and 2a + j for every j up to n, grown by doubling and kept per prior. */
function logGammaTable(prior: number, n: number): LogGammaTable {
  const known = tables.get(prior);
  if (known !== undefined && known.single.length > n) return known;
  const size = Math.max(1024, 2 * (n + 1));
  const single = Float64Array.from({ length: size }, (_, j) => gammaln(prior + j));
  const double = Float64Array.from({ length: size }, (_, j) => gammaln(2 * prior + j));
  const table = { single, double, prior: 2 * gammaln(prior) - gammaln(2 * prior) };
  tables.set(prior, table);
  return table;
}

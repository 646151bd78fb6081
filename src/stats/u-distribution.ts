/**
 * Exact null distribution of the Mann–Whitney U statistic for continuous data.
 * The number of arrangements with U = u is the coefficient of q^u in the Gaussian
 * binomial [n1+n2 choose n1]_q = prod_{i=1..n1} (1 - q^(n2+i)) / (1 - q^i).
 * BigInt keeps the counts exact; only the lower half is built, the rest follows by symmetry.
 */
export class UDistribution {
  private readonly cumulative: bigint[];
  private readonly total: bigint;
  /** Largest u whose lower-tail count is stored. */
  private readonly half: number;

  /** Builds the distribution for sample sizes n1, n2 (cost ~ min(n1,n2) * n1*n2 BigInt steps). */
  constructor(
    readonly n1: number,
    readonly n2: number,
  ) {
    const small = Math.min(n1, n2);
    const large = Math.max(n1, n2);
    this.half = Math.floor((n1 * n2) / 2);
    const counts = new Array<bigint>(this.half + 1).fill(0n);
    counts[0] = 1n;
    for (let i = 1; i <= small; i += 1) {
      multiplyByOneMinusPower(counts, large + i);
      divideByOneMinusPower(counts, i);
    }
    this.cumulative = new Array<bigint>(counts.length);
    let running = 0n;
    counts.forEach((count, u) => {
      running += count;
      this.cumulative[u] = running;
    });
    this.total = binomial(n1 + n2, small);
  }

  /** P(U <= u). */
  cdf(u: number): number {
    const k = Math.floor(u);
    if (k < 0) return 0;
    if (k >= this.n1 * this.n2) return 1;
    if (k <= this.half) return ratio(this.lowerCount(k), this.total);
    // Symmetry: P(U <= k) = 1 - P(U >= k + 1) = 1 - P(U <= nm - k - 1).
    return 1 - ratio(this.lowerCount(this.n1 * this.n2 - k - 1), this.total);
  }

  /** P(U >= u). */
  sf(u: number): number {
    return this.cdf(this.n1 * this.n2 - Math.ceil(u));
  }

  private lowerCount(k: number): bigint {
    return this.cumulative[k] ?? 0n;
  }
}

function multiplyByOneMinusPower(counts: bigint[], power: number): void {
  for (let k = counts.length - 1; k >= power; k -= 1) {
    counts[k] = (counts[k] ?? 0n) - (counts[k - power] ?? 0n);
  }
}

function divideByOneMinusPower(counts: bigint[], power: number): void {
  for (let k = power; k < counts.length; k += 1) {
    counts[k] = (counts[k] ?? 0n) + (counts[k - power] ?? 0n);
  }
}

function binomial(n: number, k: number): bigint {
  let result = 1n;
  for (let i = 1; i <= k; i += 1) result = (result * BigInt(n - k + i)) / BigInt(i);
  return result;
}

/** a / b as a double, exact to rounding even when both exceed 2^53. */
function ratio(a: bigint, b: bigint): number {
  return Number(a) / Number(b);
}

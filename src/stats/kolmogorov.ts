// Survival function of the one-sample two-sided Kolmogorov statistic D_n, used by the
// asymptotic two-sample KS test at n = round(n1·n2/(n1+n2)). Branches follow
// Simard & L'Ecuyer, "Computing the Two-Sided Kolmogorov-Smirnov Distribution",
// J. Stat. Softw. 39(11), 2011 (as scipy.stats.kstwo does); where scipy uses Pomeranz's
// recursion (n <= 140, 0.754693 < n·x² <= 4) this uses the Durbin matrix, also exact.
import { at } from './rank.js';

/** P(D_n >= x) for the two-sided one-sample Kolmogorov–Smirnov statistic. */
export function kolmogorovSf(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) return t <= 0.5 ? 1 : 1 - rubenGambinoLow(n, t);
  if (t >= n - 1) return 2 * (1 - x) ** n;
  if (x >= 0.5) return 2 * smirnovSf(n, x);
  const nxSquared = t * x;
  if (n <= 140) return nxSquared <= 4 ? 1 - durbinCdf(n, x) : 2 * smirnovSf(n, x);
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return 2 * smirnovSf(n, x);
  const isDurbinRegion = n <= 100_000 && n * x ** 1.5 <= 1.4;
  return 1 - (isDurbinRegion ? durbinCdf(n, x) : pelzGoodCdf(n, x));
}

/** P(D_n < x) = n!/n^n (2t − 1)^n for 1/(2n) <= x <= 1/n (Ruben & Gambino). */
function rubenGambinoLow(n: number, t: number): number {
  let logP = n * Math.log(2 * t - 1);
  for (let i = 1; i <= n; i += 1) logP += Math.log(i / n);
  return Math.exp(logP);
}

/** One-sided P(D+_n >= x), Birnbaum–Tingey sum evaluated term by term in logs. */
export function smirnovSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  let logBinomial = 0;
  let sum = 0;
  const last = Math.floor(n * (1 - x));
  for (let j = 0; j <= last; j += 1) {
    if (j > 0) logBinomial += Math.log((n - j + 1) / j);
    const rest = 1 - x - j / n;
    if (rest <= 0 && n - j > 0) continue;
    const logTerm = logBinomial + (n - j) * Math.log(rest) + (j - 1) * Math.log(x + j / n);
    sum += Math.exp(logTerm);
  }
  return Math.min(1, x * sum);
}

/**
 * Exact P(D_n < x) by the Durbin matrix method: Marsaglia, Tsang & Wang,
 * "Evaluating Kolmogorov's Distribution", J. Stat. Softw. 8(18), 2003.
 */
function durbinCdf(n: number, x: number): number {
  const k = Math.floor(n * x) + 1;
  const m = 2 * k - 1;
  const h = k - n * x;
  const matrix = new Float64Array(m * m);
  for (let i = 0; i < m; i += 1) {
    for (let j = 0; j < m; j += 1) matrix[i * m + j] = i - j + 1 >= 0 ? 1 : 0;
  }
  for (let i = 0; i < m; i += 1) {
    matrix[i * m] = at(matrix, i * m) - h ** (i + 1);
    matrix[(m - 1) * m + i] = at(matrix, (m - 1) * m + i) - h ** (m - i);
  }
  if (2 * h - 1 > 0) matrix[(m - 1) * m] = at(matrix, (m - 1) * m) + (2 * h - 1) ** m;
  for (let i = 0; i < m; i += 1) {
    for (let j = 0; j <= i && j < m; j += 1) matrix[i * m + j] = at(matrix, i * m + j) / factorial(i - j + 1);
  }
  const { values, log2Scale } = matrixPower(matrix, m, n);
  let logP = Math.log(at(values, (k - 1) * m + k - 1)) + log2Scale * Math.LN2;
  for (let i = 1; i <= n; i += 1) logP += Math.log(i / n);
  return Math.exp(logP);
}

interface ScaledMatrix {
  values: Float64Array;
  log2Scale: number;
}

/** matrix^power as values · 2^log2Scale, rescaled as it grows so it never overflows. */
function matrixPower(matrix: Float64Array, m: number, power: number): ScaledMatrix {
  if (power === 1) return { values: matrix, log2Scale: 0 };
  const half = matrixPower(matrix, m, Math.floor(power / 2));
  let result = rescale({ values: multiply(half.values, half.values, m), log2Scale: 2 * half.log2Scale });
  if (power % 2 === 1) result = rescale({ values: multiply(result.values, matrix, m), log2Scale: result.log2Scale });
  return result;
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i += 1) {
    for (let l = 0; l < m; l += 1) {
      const ail = at(a, i * m + l);
      if (ail === 0) continue;
      for (let j = 0; j < m; j += 1) out[i * m + j] = at(out, i * m + j) + ail * at(b, l * m + j);
    }
  }
  return out;
}

function rescale(scaled: ScaledMatrix): ScaledMatrix {
  let largest = 0;
  for (const value of scaled.values) largest = Math.max(largest, Math.abs(value));
  if (largest < 2 ** 256) return scaled;
  const shift = Math.floor(Math.log2(largest));
  const factor = 2 ** -shift;
  return { values: scaled.values.map((value) => value * factor), log2Scale: scaled.log2Scale + shift };
}

function factorial(k: number): number {
  let result = 1;
  for (let i = 2; i <= k; i += 1) result *= i;
  return result;
}

/** Pelz & Good (1976) expansion of P(D_n < x) in powers of 1/√n, for large n. */
function pelzGoodCdf(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const pi2 = Math.PI ** 2;
  const q = Math.exp(-pi2 / (8 * z2));
  if (q === 0) return 0;
  const terms = Math.ceil((16 * z) / Math.PI);
  const sums = [0, 0, 0, 0];
  for (let k = 1; k <= terms; k += 1) {
    const m2 = (2 * k - 1) ** 2;
    const weight = q ** m2;
    sums[0] = at(sums, 0) + weight;
    sums[1] = at(sums, 1) + ((pi2 * m2) / 4 - z2) * weight;
    sums[2] =
      at(sums, 2) +
      (6 * z6 + 2 * z4 + (pi2 * (2 * z4 - 5 * z2) * m2) / 4 + (pi2 * pi2 * (1 - 2 * z2) * m2 * m2) / 16) * weight;
    const k3 =
      -30 * z6 -
      90 * z6 * z2 +
      (pi2 * (135 * z4 - 96 * z6) * m2) / 4 +
      (pi2 * pi2 * (212 * z4 - 60 * z2) * m2 * m2) / 16 +
      (pi2 ** 3 * (5 - 30 * z2) * m2 ** 3) / 64;
    sums[3] = at(sums, 3) + k3 * weight;
  }
  let extra2 = 0;
  let extra3 = 0;
  for (let k = 1; k <= terms; k += 1) {
    const weight = k * k * Math.exp((-pi2 * k * k) / (2 * z2));
    extra2 += weight;
    extra3 += (3 * z2 - pi2 * k * k) * weight;
  }
  const root2pi = Math.sqrt(2 * Math.PI);
  const k0 = (root2pi / z) * at(sums, 0);
  const k1 = (root2pi / (6 * z4)) * at(sums, 1);
  const k2 = (root2pi / (72 * z6 * z)) * at(sums, 2) - ((root2pi * pi2) / (36 * z2 * z)) * extra2;
  const k3 = (root2pi / (6480 * z6 * z4)) * at(sums, 3) + ((root2pi * pi2) / (216 * z6)) * extra3;
  return k0 + k1 / Math.sqrt(n) + k2 / n + k3 / n ** 1.5;
}

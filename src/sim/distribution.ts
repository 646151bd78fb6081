/** Samples the latency and delay distributions a scenario declares, from the sim's seeded RNG. */
import type { Rng } from '../core/rng.js';
import type { Distribution } from './types.js';

/** One draw in milliseconds (never negative). */
export function sampleMs(distribution: Distribution, rng: Rng): number {
  switch (distribution.dist) {
    case 'constant':
      return distribution.ms;
    case 'uniform':
      return distribution.minMs + rng.next() * Math.max(0, distribution.maxMs - distribution.minMs);
    case 'lognormal':
      return distribution.medianMs * Math.exp(distribution.sigma * standardNormal(rng));
  }
}

/** The distribution's median, for documentation and tests. */
export function medianMs(distribution: Distribution): number {
  switch (distribution.dist) {
    case 'constant':
      return distribution.ms;
    case 'uniform':
      return (distribution.minMs + distribution.maxMs) / 2;
    case 'lognormal':
      return distribution.medianMs;
  }
}

/** Box–Muller; 1 - u keeps the log argument in (0, 1]. */
function standardNormal(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

// Seeded samples for the sequential tests: log-normal latencies with rare stalls, Bernoulli outcomes.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A uniform [0, 1) source from a seed. */
export function seeded(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  return () => uniformFloat64(rng);
}

/** n log-normal latencies (median, log-sd sigma); with stallRate, that share gets up to 20× the median added. */
export function latencies(random: () => number, n: number, median: number, sigma = 0.25, stallRate = 0): number[] {
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const stall = random() < stallRate ? 20 * median * random() : 0;
    return median * Math.exp(sigma * z) + stall;
  });
}

/** n outcomes, each true (the request failed) with probability rate. */
export function outcomes(random: () => number, n: number, rate: number): boolean[] {
  return Array.from({ length: n }, () => random() < rate);
}

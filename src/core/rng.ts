/** Seeded randomness for interleaving, bootstrap and the sim: the same seed gives the same run. */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent generator derived from this seed and a label (for per-check streams). */
  fork(label: string): Rng;
}

/** Creates a generator from a 32-bit seed. */
export function createRng(seed: number): Rng {
  const generator = xoroshiro128plus(seed | 0);
  const next = (): number => uniformFloat64(generator);
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    shuffle<T>(items: readonly T[]): T[] {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i -= 1) {
        const j = int(i + 1);
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy;
    },
    fork: (label) => createRng(hashSeed(seed, label)),
  };
}

/** FNV-1a of the label mixed into the seed, so forks are stable across runs. */
function hashSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < label.length; i += 1) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

import { describe, expect, it } from 'vitest';
import { runningOrderBounds } from './order-statistics.js';
import { seeded } from './test-data.test-helpers.js';

/** The same bounds by sorting every prefix. */
function bruteForce(w: number[], thresholds: number[]): { low: number; high: number } {
  let low = -Infinity;
  let high = Infinity;
  for (let t = 1; t <= w.length; t += 1) {
    const k = thresholds[t - 1] ?? t + 1;
    if (k > t) continue;
    const prefix = w.slice(0, t).sort((a, b) => a - b);
    low = Math.max(low, prefix[t - k] ?? Number.NaN);
    high = Math.min(high, prefix[k - 1] ?? Number.NaN);
  }
  return { low, high };
}

describe('runningOrderBounds', () => {
  it('equals sorting every prefix, with many ties and a threshold that is unreachable at first', () => {
    const random = seeded(11);
    for (let round = 0; round < 20; round += 1) {
      const n = 30 + round * 7;
      const w = Array.from({ length: n }, () => Math.floor(random() * 6) - 2);
      const thresholds = Array.from({ length: n }, (_, i) =>
        i < 8 ? i + 2 : Math.ceil(0.5 * (i + 1) + Math.sqrt(i + 1)),
      );
      expect(runningOrderBounds(w, thresholds)).toEqual(bruteForce(w, thresholds));
    }
  });

  it('is unbounded when no prefix reaches its threshold', () => {
    expect(runningOrderBounds([1, 2, 3], [2, 3, 4])).toEqual({ low: -Infinity, high: Infinity });
  });
});

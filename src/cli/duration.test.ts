import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads hours, minutes and seconds', () => {
    expect([parseDuration('24h'), parseDuration('90m'), parseDuration('3600s'), parseDuration('1.5h')]).toEqual([
      86_400_000, 5_400_000, 3_600_000, 5_400_000,
    ]);
  });

  it('refuses a bare number, a unit it does not know and zero', () => {
    for (const bad of ['3600', '2d', '0h', '-1m', 'h']) expect(() => parseDuration(bad), bad).toThrow(/--duration/);
  });
});

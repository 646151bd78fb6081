import { describe, expect, it } from 'vitest';
import { rateLowerP } from './rates.js';

// Reference values: scipy.stats.norm.cdf((s + 0.5 - n*share) / sqrt(n*share*(1-share))), scipy 1.17.
describe('rateLowerP', () => {
  it('matches the continuity-corrected normal approximation computed with scipy', () => {
    expect(rateLowerP({ accepted: 10, seconds: 1 }, { accepted: 30, seconds: 1 })).toBeCloseTo(
      0.0013315596295692769,
      12,
    );
    expect(rateLowerP({ accepted: 54, seconds: 2 }, { accepted: 108, seconds: 2 })).toBeCloseTo(
      1.5630986170992718e-5,
      14,
    );
    expect(rateLowerP({ accepted: 20, seconds: 1 }, { accepted: 20, seconds: 1 })).toBeCloseTo(0.5628164694185541, 12);
  });

  it('is 1 when nothing was accepted or an exposure is empty', () => {
    expect(rateLowerP({ accepted: 0, seconds: 1 }, { accepted: 0, seconds: 1 })).toBe(1);
    expect(rateLowerP({ accepted: 3, seconds: 0 }, { accepted: 5, seconds: 1 })).toBe(1);
  });
});

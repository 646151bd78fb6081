import { describe, expect, it } from 'vitest';
import { samplesForDuration } from './audit.js';

describe('samplesForDuration', () => {
  it('keeps the interleaved stream going for the wall-clock time at the offered rate', () => {
    // 24 h at 10 requests/s over 3 cohorts: 288,000 samples each, 864,000 requests in all.
    expect(samplesForDuration(86_400_000, 10, 3)).toBe(288_000);
    expect(samplesForDuration(90 * 60_000, 30, 3)).toBe(54_000);
    expect(samplesForDuration(1, 0.5, 3)).toBe(1);
  });
});

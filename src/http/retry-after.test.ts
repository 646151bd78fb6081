import { describe, expect, it } from 'vitest';
import { retryAfterSeconds } from './retry-after.js';

describe('retryAfterSeconds', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

  it('reads delay-seconds as they are', () => {
    expect(retryAfterSeconds(' 120 ', now)).toBe(120);
  });

  it('reads an HTTP-date relative to the given time, never negative', () => {
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
  });

  it('is null when absent, unreadable, or a date without a time to measure from', () => {
    expect(retryAfterSeconds(undefined, now)).toBeNull();
    expect(retryAfterSeconds('soon', now)).toBeNull();
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:30 GMT', Number.NaN)).toBeNull();
  });
});

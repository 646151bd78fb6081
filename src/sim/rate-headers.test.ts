import { describe, expect, test } from 'vitest';
import { createSimCohorts } from './cohorts.js';
import { rateHeaders } from './rate-headers.js';
import { loadScenario } from './scenario.js';
import { TokenBucket } from './token-bucket.js';

describe('rate headers', () => {
  const cohort = createSimCohorts()[1]!;

  test('advertise the role bucket in IETF, X-RateLimit and Meta usage headers', () => {
    const treatment = loadScenario('throttled').treatments.subject;
    const bucket = new TokenBucket(treatment.rateLimit!, 0);
    for (let i = 0; i < 5; i += 1) bucket.take(0);
    const headers = rateHeaders(cohort, treatment, bucket.take(0));
    expect(headers['ratelimit-policy']).toBe('"burst";q=15;w=1, "sustained";q=15;w=1');
    expect([headers.ratelimit, headers['x-ratelimit-limit'], headers['x-ratelimit-remaining']]).toEqual([
      '"burst";r=9;t=1',
      '15',
      '9',
    ]);
    expect(JSON.parse(headers['x-app-usage'] ?? '{}')).toEqual({ call_count: 40, total_cputime: 1, total_time: 1 });
    expect(JSON.parse(headers['x-business-use-case-usage'] ?? '{}')[cohort.phoneNumberId][0].call_count).toBe(40);
  });

  test('say nothing when the role is unlimited or its limit is not advertised', () => {
    const unlimited = { ...loadScenario('compliant').treatments.subject, rateLimit: null };
    expect(rateHeaders(cohort, unlimited, undefined)).toEqual({});
    const hidden = { ...unlimited, rateLimit: { ratePerSec: 5, burst: 5, advertise: false } };
    expect(rateHeaders(cohort, hidden, undefined)).toEqual({});
  });
});

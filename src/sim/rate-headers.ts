/**
 * Advertised limits on every business API answer: IETF RateLimit / RateLimit-Policy
 * (draft-ietf-httpapi-ratelimit-headers), X-RateLimit-*, and Meta's X-App-Usage and X-Business-Use-Case-Usage
 * (https://developers.facebook.com/docs/graph-api/overview/rate-limiting).
 */
import type { TakeResult } from './token-bucket.js';
import type { SimCohort, Treatment } from './types.js';

/** Headers describing the role's bucket after this request (empty when the role is unlimited or unadvertised). */
export function rateHeaders(
  cohort: SimCohort,
  treatment: Treatment,
  take: TakeResult | undefined,
): Record<string, string> {
  const limit = treatment.rateLimit;
  if (limit === null || !limit.advertise) return {};
  const remaining = take?.remaining ?? limit.burst;
  const reset = take?.resetSec ?? 0;
  const quota = Math.round(limit.ratePerSec);
  const usedPct = Math.round(((limit.burst - remaining) / limit.burst) * 100);
  return {
    'ratelimit-policy': `"burst";q=${limit.burst};w=1, "sustained";q=${quota};w=1`,
    ratelimit: `"burst";r=${remaining};t=${reset}`,
    'x-ratelimit-limit': String(quota),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(reset),
    'x-app-usage': JSON.stringify({ call_count: usedPct, total_cputime: 1, total_time: 1 }),
    'x-business-use-case-usage': JSON.stringify({
      [cohort.phoneNumberId]: [
        {
          type: 'whatsapp_business_messaging',
          call_count: usedPct,
          total_cputime: 1,
          total_time: 1,
          estimated_time_to_regain_access: 0,
        },
      ],
    }),
  };
}

/** Token bucket (rate, burst) the sim throttles a role with; time is passed in, so it is testable. */
import type { RateLimitTreatment } from './types.js';

export interface TakeResult {
  isAllowed: boolean;
  remaining: number;
  /** Seconds until a token is available (for Retry-After), 0 when allowed. */
  retryAfterSec: number;
  /** Seconds until the bucket is full again. */
  resetSec: number;
}

/** A bucket that starts full. */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly limit: RateLimitTreatment,
    nowMs: number,
  ) {
    this.tokens = limit.burst;
    this.lastMs = nowMs;
  }

  /** Takes one token if there is one. */
  take(nowMs: number): TakeResult {
    const { ratePerSec, burst } = this.limit;
    this.tokens = Math.min(burst, this.tokens + ((nowMs - this.lastMs) / 1000) * ratePerSec);
    this.lastMs = nowMs;
    const isAllowed = this.tokens >= 1;
    if (isAllowed) this.tokens -= 1;
    return {
      isAllowed,
      remaining: Math.floor(this.tokens),
      retryAfterSec: isAllowed ? 0 : Math.max(1, Math.ceil((1 - this.tokens) / ratePerSec)),
      resetSec: Math.ceil((burst - this.tokens) / ratePerSec),
    };
  }
}

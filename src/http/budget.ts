/**
 * The one request budget every request goes through (docs/architecture.md, "Principles"): a total cap, an
 * optional per-cohort cap, and at most `maxRps` requests in any one-second window.
 */
import type { Clock } from '../core/clock.js';

export interface BudgetLimits {
  maxRps: number;
  maxRequests: number;
  maxRequestsPerCohort: number | null;
}

export interface BudgetUsage {
  total: number;
  byCohort: Record<string, number>;
  /** Requests refused because a cap was reached. */
  refused: number;
}

const SECOND_NS = 1e9;

/** Grants permission to send; waits when the rate window is full, refuses when a cap is reached. */
export class Budget {
  private readonly window: number[] = [];
  private readonly byCohort = new Map<string, number>();
  private total = 0;
  private refused = 0;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * `earlier` requests went to the target before the budget existed (the run's reachability preflight):
   * they count towards maxRequests and, as if sent now, towards the first second's rate window.
   */
  constructor(
    private readonly limits: BudgetLimits,
    private readonly clock: Clock,
    earlier = 0,
  ) {
    for (let i = 0; i < earlier; i += 1) this.window.push(clock.now());
    this.total = earlier;
  }

  /** Resolves true when the request may go now, false when a cap forbids it (or the run was aborted). */
  acquire(cohort: string, signal?: AbortSignal): Promise<boolean> {
    const turn = this.queue.then(() => this.take(cohort, signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** How many requests each cohort has used so far. */
  usage(): BudgetUsage {
    return { total: this.total, byCohort: Object.fromEntries(this.byCohort), refused: this.refused };
  }

  /** Requests still allowed for this cohort. */
  remaining(cohort: string): number {
    const perCohort = this.limits.maxRequestsPerCohort ?? Number.POSITIVE_INFINITY;
    return Math.max(0, Math.min(this.limits.maxRequests - this.total, perCohort - (this.byCohort.get(cohort) ?? 0)));
  }

  private async take(cohort: string, signal?: AbortSignal): Promise<boolean> {
    if (this.remaining(cohort) <= 0 || isAborted(signal)) {
      this.refused += 1;
      return false;
    }
    const capacity = Math.max(1, Math.floor(this.limits.maxRps));
    if (this.window.length >= capacity) {
      const oldest = this.window[this.window.length - capacity] ?? 0;
      await this.clock.sleepUntil(oldest + SECOND_NS * (capacity / this.limits.maxRps), signal);
      if (isAborted(signal)) return false;
    }
    this.window.push(this.clock.now());
    if (this.window.length > capacity) this.window.splice(0, this.window.length - capacity);
    this.total += 1;
    this.byCohort.set(cohort, (this.byCohort.get(cohort) ?? 0) + 1);
    return true;
  }
}

/** A function, not an inline test, so the check is repeated after an await. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

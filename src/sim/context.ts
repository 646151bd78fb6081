/** State the sim's surfaces share: scenario, cohorts, randomness, counters and an event bus for webhooks. */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Rng } from '../engine/rng.js';
import { TokenBucket } from './token-bucket.js';
import type { Scenario, SimCohort, Treatment } from './types.js';

/** Emitted when the business API accepts an outbound message (status webhooks follow from it). */
export interface AcceptedMessage {
  cohort: SimCohort;
  wamid: string;
  to: string;
  type: string;
  /** Fee charged for this message (0 when free). */
  fee: number;
  currency: string | null;
  category: string;
}

export interface CohortCounters {
  accepted: number;
  requests: number;
  bucket: TokenBucket | null;
}

/** Everything the routes share; one per running sim. */
export class SimContext {
  readonly events = new EventEmitter();
  private readonly counters = new Map<string, CohortCounters>();
  /** wamid → the message it names, for read receipts, replies and reactions. */
  readonly messages = new Map<string, AcceptedMessage>();

  constructor(
    readonly scenario: Scenario,
    readonly cohorts: readonly SimCohort[],
    readonly rng: Rng,
    /** Secret webhooks are signed with. */
    readonly appSecret: string,
    readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** The treatment the scenario gives this cohort's role. */
  treatment(cohort: SimCohort): Treatment {
    return this.scenario.treatments[cohort.role];
  }

  /** Per-cohort counters, created on first use (with the role's token bucket). */
  counter(cohort: SimCohort): CohortCounters {
    let counters = this.counters.get(cohort.id);
    if (counters === undefined) {
      const limit = this.treatment(cohort).rateLimit;
      counters = { accepted: 0, requests: 0, bucket: limit === null ? null : new TokenBucket(limit, this.nowMs()) };
      this.counters.set(cohort.id, counters);
    }
    return counters;
  }

  /** A fresh message id in the Cloud API's shape. */
  newWamid(): string {
    return `wamid.${randomBytes(24).toString('base64url')}`;
  }

  /** How many requests each cohort made (tests count the load here, at the platform). */
  requestCounts(): Record<string, number> {
    return Object.fromEntries([...this.counters].map(([id, c]) => [id, c.requests]));
  }
}

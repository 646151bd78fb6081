/** State the sim's surfaces share: scenario, cohorts, randomness, counters, customer-service windows and webhooks. */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Rng } from '../core/rng.js';
import { SIM_RECIPIENT } from './cohorts.js';
import { TokenBucket } from './token-bucket.js';
import type { Scenario, SimCohort, Treatment } from './types.js';
import { WebhookDispatcher, type WebhookOptions } from './webhooks.js';

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
  /** A charged message shows as billable regular pricing in its statuses. */
  isBillable: boolean;
  conversationId: string;
  /** When the API answer is written (status webhooks start their clock then). */
  responseDelayMs: number;
}

/** A message a test user sent to a business number (read receipts and replies refer to it). */
export interface ReceivedMessage {
  wamid: string;
  from: string;
  phoneNumberId: string;
}

export interface CohortCounters {
  accepted: number;
  requests: number;
  bucket: TokenBucket | null;
}

/** How long an inbound message keeps the customer-service window open. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

/** Everything the routes share; one per running sim. */
export class SimContext {
  readonly events = new EventEmitter();
  private readonly counters = new Map<string, CohortCounters>();
  /** wamid → the message it names, for read receipts, replies and reactions. */
  readonly messages = new Map<string, AcceptedMessage>();
  /** wamid → a message a user sent to a business. */
  readonly received = new Map<string, ReceivedMessage>();
  private readonly windows = new Map<string, number>();
  private readonly conversations = new Map<string, string>();
  readonly webhooks: WebhookDispatcher;
  /** Extra ms on every accepted send of a role (SimOptions.extraDelayMs): a slow lane seen from one vantage point. */
  extraDelayMs: Partial<Record<SimCohort['role'], number>> = {};

  constructor(
    readonly scenario: Scenario,
    readonly cohorts: readonly SimCohort[],
    readonly rng: Rng,
    /** Secret webhooks are signed with. */
    readonly appSecret: string,
    readonly nowMs: () => number = () => performance.now(),
    webhookOptions: WebhookOptions = {},
  ) {
    this.webhooks = new WebhookDispatcher(appSecret, webhookOptions);
  }

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

  /** A user messaged a business number: its 24-hour customer-service window opens (or restarts). */
  openWindow(phoneNumberId: string, waId: string): void {
    this.windows.set(`${phoneNumberId}:${waId}`, this.nowMs());
  }

  /**
   * Whether the business may send a non-template message to the user. The sim's test user (SIM_RECIPIENT)
   * has messaged every business, so its window is always open; every other user must message first.
   */
  isWindowOpen(phoneNumberId: string, waId: string): boolean {
    if (waId === SIM_RECIPIENT) return true;
    const openedMs = this.windows.get(`${phoneNumberId}:${waId}`);
    return openedMs !== undefined && this.nowMs() - openedMs < WINDOW_MS;
  }

  /** One conversation id per business, user and pricing category (what status webhooks report). */
  conversationId(phoneNumberId: string, waId: string, category: string): string {
    const key = `${phoneNumberId}:${waId}:${category}`;
    let id = this.conversations.get(key);
    if (id === undefined) {
      id = randomBytes(16).toString('hex');
      this.conversations.set(key, id);
    }
    return id;
  }
}

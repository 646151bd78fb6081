/** What checks see of the webhook receiver: received events, routed to cohorts, with their timing. */

export interface WebhookEvent {
  /** Arrival index among the run's authentic events (0, 1, 2, …). */
  seq: number;
  /** Monotonic ns since the run started at which the POST arrived. */
  receivedNs: number;
  /** The cohort whose phone number the event was for (null when no cohort matches). */
  cohort: string | null;
  phoneNumberId: string | null;
  /** `X-Hub-Signature-256` matched HMAC-SHA256(appSecret, raw body). */
  isSignatureValid: boolean;
  /** Kind of change: an inbound user message, a status update, or anything else. */
  kind: 'message' | 'status' | 'other';
  /** For statuses: sent | delivered | read | failed. */
  status?: string;
  /** wamid of the message the event is about. */
  messageId?: string;
  /** Message type for inbound messages (text, image, …). */
  messageType?: string;
  /** The parsed `entry[].changes[].value` the event came from. */
  value: unknown;
  /** HAR id of the inbound exchange. */
  exchangeId: string;
}

/** The receiver as the engine hands it to checks. */
export interface WebhookHub {
  /** The URL the platform must call (the public URL when one is configured). */
  readonly callbackUrl: string;
  /**
   * The authentic (validly signed) events received, in arrival order: all of them, or in a long run at
   * least the 10,000 most recent (src/webhook/event-log.ts); rejected ones are evidence only.
   */
  events(): readonly WebhookEvent[];
  /** How many authentic events have arrived so far: the `seq` the next one gets. */
  received(): number;
  /** The kept authentic events about one message (by wamid), in arrival order. */
  eventsAbout(messageId: string): readonly WebhookEvent[];
  /**
   * Resolves with the first authentic event (past or future) matching `predicate`, among the events about
   * message `about` when given (a lookup, not a scan), or undefined after `timeoutMs`.
   */
  waitFor(
    predicate: (event: WebhookEvent) => boolean,
    timeoutMs: number,
    about?: string,
  ): Promise<WebhookEvent | undefined>;
  /** Every hub verification GET answered so far, per cohort guess (by token match only). */
  verifications(): ReadonlyArray<{ receivedNs: number; isTokenValid: boolean; challenge: string; exchangeId: string }>;
  close(): Promise<void>;
}

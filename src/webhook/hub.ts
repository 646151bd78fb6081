/** What checks see of the webhook receiver: received events, routed to cohorts, with their timing. */

export interface WebhookEvent {
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
  /** Every authentic (validly signed) event received so far, in arrival order; rejected ones are evidence only. */
  events(): readonly WebhookEvent[];
  /** Resolves with the first authentic event (past or future) matching `predicate`, or undefined after `timeoutMs`. */
  waitFor(predicate: (event: WebhookEvent) => boolean, timeoutMs: number): Promise<WebhookEvent | undefined>;
  /** Every hub verification GET answered so far, per cohort guess (by token match only). */
  verifications(): ReadonlyArray<{ receivedNs: number; isTokenValid: boolean; challenge: string; exchangeId: string }>;
  close(): Promise<void>;
}

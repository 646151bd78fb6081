/** What the instrumented client returns for every request: the target's failures are data here. */
import type { Outcome } from '../core/types.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** A JSON-serialisable body is sent as application/json. */
  json?: unknown;
  body?: string;
  /** Which cohort and check the request belongs to (recorded in the HAR `_` fields). */
  cohort: string;
  check: string;
  /** Monotonic ns since the run started at which this request was due; defaults to now. */
  scheduledNs?: number;
  timeoutMs?: number;
  /** The success shape: a complete 2xx body is `ok` only when it parses as JSON and this returns true. */
  expect?: (json: unknown) => boolean;
}

export interface HttpExchange {
  /** HAR entry id (`_id`), referenced by observations and findings. */
  id: string;
  outcome: Outcome;
  status: number;
  headers: Record<string, string>;
  bodyText: string;
  /** Parsed body when the response was JSON, else undefined. */
  json: unknown;
  scheduledNs: number;
  sentNs: number;
  endNs: number;
  /** endNs - scheduledNs, in microseconds. */
  latencyUs: number;
  errorMessage?: string;
}

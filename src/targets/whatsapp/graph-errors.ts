/**
 * Graph API error codes of the WhatsApp Cloud API, by what they mean for an audit
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes), and the bounded
 * backoff used on throttling for calls that are not measurements. Reading answers: error code,
 * message and message id (https://developers.facebook.com/docs/graph-api/guides/error-handling).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { retryAfterSeconds } from '../../http/retry-after.js';
import type { HttpExchange } from '../../http/types.js';

/** What an error code says about the request. */
export type GraphErrorFamily =
  | 'throughput'
  | 'pair-rate'
  | 'rate-limit'
  | 'window'
  | 'policy'
  | 'not-delivered-by-choice'
  | 'undeliverable'
  | 'bad-parameter'
  | 'auth'
  | 'unknown';

export interface GraphErrorClass {
  code: number | null;
  family: GraphErrorFamily;
  /** The platform asks the caller to slow down; waiting and retrying is the right answer. */
  isThrottling: boolean;
}

const FAMILIES: ReadonlyMap<number, GraphErrorFamily> = new Map([
  [130429, 'throughput'],
  [131056, 'pair-rate'],
  [80007, 'rate-limit'],
  [4, 'rate-limit'],
  [613, 'rate-limit'],
  [131047, 'window'],
  [368, 'policy'],
  [131049, 'not-delivered-by-choice'],
  [131026, 'undeliverable'],
  [100, 'bad-parameter'],
  [190, 'auth'],
  [0, 'auth'],
]);

const THROTTLING: ReadonlySet<GraphErrorFamily> = new Set(['throughput', 'pair-rate', 'rate-limit']);

/** Classifies a Graph `error.code` (null when the body had none). */
export function classifyGraphError(code: number | null): GraphErrorClass {
  const family = code === null ? 'unknown' : (FAMILIES.get(code) ?? 'unknown');
  return { code, family, isThrottling: THROTTLING.has(family) };
}

/** How long and how often a non-measurement call may be retried. */
export interface BackoffPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Upper bound on any one wait, Retry-After included (a platform cannot stall the run). */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 5000 };

const TRANSPORT_FAILURES = new Set(['timeout', 'reset', 'refused', 'network-error']);

/** The wait before retrying after `exchange` (attempt counts from 1), or null when retrying would not help. */
export function retryDelayMs(
  exchange: HttpExchange,
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number | null {
  if (attempt >= policy.maxAttempts) return null;
  const code = graphErrorCode(exchange.json);
  const isRetryable =
    TRANSPORT_FAILURES.has(exchange.outcome) ||
    exchange.status === 429 ||
    exchange.status >= 500 ||
    classifyGraphError(code).isThrottling;
  if (!isRetryable) return null;
  const advised = retryAfterMs(exchange.headers['retry-after']);
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(policy.maxDelayMs, advised ?? exponential);
}

/** Sends until the answer is final or the policy is spent; returns every attempt, the final one last. */
export async function withBackoff(
  send: () => Promise<HttpExchange>,
  options: { policy?: BackoffPolicy; signal?: AbortSignal } = {},
): Promise<HttpExchange[]> {
  const attempts: HttpExchange[] = [];
  for (let attempt = 1; ; attempt += 1) {
    const exchange = await send();
    attempts.push(exchange);
    const delay = retryDelayMs(exchange, attempt, options.policy);
    if (delay === null || options.signal?.aborted === true) return attempts;
    try {
      await sleep(delay, undefined, options.signal === undefined ? {} : { signal: options.signal });
    } catch {
      return attempts;
    }
  }
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = retryAfterSeconds(value, now);
  return seconds === null ? undefined : seconds * 1000;
}

/** A throttling answer: HTTP 429 or one of the Graph rate-limit codes. */
export function isThrottled(status: number, errorCode: number | null): boolean {
  return status === 429 || classifyGraphError(errorCode).isThrottling;
}

/** `error.code` of a Graph error body, or null. */
export function graphErrorCode(json: unknown): number | null {
  const code = (json as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'number' ? code : null;
}

/** `error.message` of a Graph error body, or null. */
export function graphErrorMessage(json: unknown): string | null {
  const message = (json as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === 'string' ? message : null;
}

/** The first `messages[].id` of a send response, or null. */
export function messageId(json: unknown): string | null {
  const id = (json as { messages?: Array<{ id?: unknown }> } | undefined)?.messages?.[0]?.id;
  return typeof id === 'string' ? id : null;
}

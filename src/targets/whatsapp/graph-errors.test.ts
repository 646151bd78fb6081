import { describe, expect, it } from 'vitest';
import type { HttpExchange } from '../../http/types.js';
import { classifyGraphError, retryAfterMs, retryDelayMs, withBackoff } from './graph-errors.js';

const exchange = (
  status: number,
  code: number | null,
  headers: Record<string, string> = {},
  outcome: HttpExchange['outcome'] = status >= 400 ? 'http-error' : 'ok',
): HttpExchange => ({
  id: 'ex-1',
  outcome,
  status,
  headers,
  bodyText: '',
  json: code === null ? undefined : { error: { code } },
  scheduledNs: 0,
  sentNs: 0,
  endNs: 0,
  latencyUs: 0,
});
const policy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 };

describe('classifyGraphError', () => {
  it('names every documented family and marks only throttling as such', () => {
    const table = [130429, 131056, 80007, 4, 131047, 368, 131049, 131026, 100, 190, 0, 2, null].map((code) => {
      const c = classifyGraphError(code);
      return `${String(code)}:${c.family}:${c.isThrottling ? 'T' : '-'}`;
    });
    expect(table).toEqual([
      '130429:throughput:T',
      '131056:pair-rate:T',
      '80007:rate-limit:T',
      '4:rate-limit:T',
      '131047:window:-',
      '368:policy:-',
      '131049:not-delivered-by-choice:-',
      '131026:undeliverable:-',
      '100:bad-parameter:-',
      '190:auth:-',
      '0:auth:-',
      '2:unknown:-',
      'null:unknown:-',
    ]);
  });
});

describe('retry policy', () => {
  it('retries throttling, 5xx and transport failures with exponential waits, never final errors', () => {
    expect(retryDelayMs(exchange(400, 131056), 1, policy)).toBe(100);
    expect(retryDelayMs(exchange(500, 2), 2, policy)).toBe(200);
    expect(retryDelayMs(exchange(0, null, {}, 'reset'), 1, policy)).toBe(100);
    expect(retryDelayMs(exchange(400, 100), 1, policy)).toBeNull();
    expect(retryDelayMs(exchange(400, 368), 1, policy)).toBeNull();
    expect(retryDelayMs(exchange(0, null, {}, 'budget-exhausted'), 1, policy)).toBeNull();
    expect(retryDelayMs(exchange(429, 130429), 3, policy)).toBeNull();
  });

  it('honours Retry-After, bounded by the policy', () => {
    expect(retryDelayMs(exchange(429, 130429, { 'retry-after': '0' }), 1, policy)).toBe(0);
    expect(retryDelayMs(exchange(429, 130429, { 'retry-after': '60' }), 1, policy)).toBe(1000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('withBackoff returns every attempt, the final answer last', async () => {
    const answers = [exchange(429, 130429, { 'retry-after': '0' }), exchange(503, null), exchange(200, null)];
    let i = 0;
    const attempts = await withBackoff(async () => answers[i++] as HttpExchange, {
      policy: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 5 },
    });
    expect(attempts.map((a) => a.status)).toEqual([429, 503, 200]);
  });
});

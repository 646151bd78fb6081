import { describe, expect, it } from 'vitest';
import { parseRateHeaders, parseStructuredList, pickRateHeaders, retryAfterSeconds } from './headers.js';

describe('parseRateHeaders', () => {
  it('reads the structured-field RateLimit-Policy and RateLimit of draft 08+', () => {
    const signals = parseRateHeaders({
      'RateLimit-Policy': '"burst";q=60;w=1, "daily";q=1000;w=86400;qu="requests"',
      RateLimit: '"burst";r=41;t=2',
    });
    expect(signals.policies).toEqual([
      { name: 'burst', quota: 60, windowSec: 1, unit: 'requests', source: 'RateLimit-Policy' },
      { name: 'daily', quota: 1000, windowSec: 86400, unit: 'requests', source: 'RateLimit-Policy' },
    ]);
    expect(signals.remaining).toEqual([{ name: 'burst', remaining: 41, resetSec: 2, source: 'RateLimit' }]);
    expect(signals.raw).toEqual({
      'ratelimit-policy': '"burst";q=60;w=1, "daily";q=1000;w=86400;qu="requests"',
      ratelimit: '"burst";r=41;t=2',
    });
    expect(signals.problems).toEqual([]);
  });

  it('reads the older numeric policy list and the limit/remaining/reset dictionary', () => {
    const signals = parseRateHeaders({
      'ratelimit-policy': '100;w=60, 5000;w=3600',
      ratelimit: 'limit=100, remaining=7, reset=12',
    });
    expect(signals.policies.map((p) => [p.name, p.quota, p.windowSec, p.source])).toEqual([
      ['policy-1', 100, 60, 'RateLimit-Policy'],
      ['policy-2', 5000, 3600, 'RateLimit-Policy'],
      ['default', 100, null, 'RateLimit'],
    ]);
    expect(signals.remaining).toEqual([{ name: 'default', remaining: 7, resetSec: 12, source: 'RateLimit' }]);
  });

  it('reads the separate RateLimit-Limit/-Remaining/-Reset headers and X-RateLimit-*', () => {
    const signals = parseRateHeaders({
      'ratelimit-limit': '10',
      'ratelimit-remaining': '3',
      'ratelimit-reset': '4',
      'x-ratelimit-limit': '15',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '1893456000',
    });
    expect(signals.policies.map((p) => [p.source, p.quota])).toEqual([
      ['RateLimit-Limit', 10],
      ['X-RateLimit-Limit', 15],
    ]);
    // An epoch reset cannot be placed without a clock, so it is left null rather than guessed.
    expect(signals.remaining).toEqual([
      { name: 'default', remaining: 3, resetSec: 4, source: 'RateLimit-Remaining' },
      { name: 'x-ratelimit', remaining: 0, resetSec: null, source: 'X-RateLimit-Remaining' },
    ]);
  });

  it("reads Meta's business-use-case and app usage percentages", () => {
    const buc = JSON.stringify({
      '1002': [
        {
          type: 'whatsapp_business_messaging',
          call_count: 27,
          total_cputime: 3,
          total_time: 5,
          estimated_time_to_regain_access: 0,
        },
      ],
    });
    const signals = parseRateHeaders({
      'x-business-use-case-usage': buc,
      'x-app-usage': '{"call_count":12,"total_cputime":1,"total_time":2}',
    });
    expect(signals.usage).toEqual([
      {
        source: 'X-Business-Use-Case-Usage',
        id: '1002',
        type: 'whatsapp_business_messaging',
        callCountPct: 27,
        totalCputimePct: 3,
        totalTimePct: 5,
        regainAccessMinutes: 0,
      },
      {
        source: 'X-App-Usage',
        id: null,
        type: null,
        callCountPct: 12,
        totalCputimePct: 1,
        totalTimePct: 2,
        regainAccessMinutes: null,
      },
    ]);
  });

  it('lists unreadable headers as problems and keeps their raw values', () => {
    const signals = parseRateHeaders({
      'x-app-usage': 'not json',
      'retry-after': 'soon',
      'x-ratelimit-limit': 'lots',
      'content-type': 'application/json',
    });
    expect(signals.problems).toEqual(['x-ratelimit-limit: lots', 'x-app-usage: not json', 'retry-after: soon']);
    expect(signals.raw).toEqual({ 'x-app-usage': 'not json', 'retry-after': 'soon', 'x-ratelimit-limit': 'lots' });
    expect(signals.policies).toEqual([]);
  });

  it('reads what the reference platform advertises', () => {
    const signals = parseRateHeaders({
      'ratelimit-policy': '"burst";q=15;w=1, "sustained";q=15;w=1',
      ratelimit: '"burst";r=0;t=1',
      'retry-after': '1',
    });
    expect(signals.policies.map((p) => `${p.name}=${p.quota}/${p.windowSec}s`)).toEqual([
      'burst=15/1s',
      'sustained=15/1s',
    ]);
    expect(signals.retryAfterSec).toBe(1);
  });
});

describe('retryAfterSeconds', () => {
  it('takes delta-seconds and HTTP-dates relative to the Date header', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:30 GMT', 'Wed, 21 Oct 2015 07:28:00 GMT')).toBe(30);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:30 GMT')).toBeNull();
    expect(retryAfterSeconds(undefined)).toBeNull();
  });
});

describe('parseStructuredList', () => {
  it('keeps commas and semicolons inside quoted strings', () => {
    expect(parseStructuredList('"a,b;c";q=1, tok;flag')).toEqual([
      { key: null, item: 'a,b;c', params: { q: 1 } },
      { key: null, item: 'tok', params: { flag: true } },
    ]);
  });

  it('rejects values that are not structured fields', () => {
    expect(parseStructuredList('{"json": true}')).toBeNull();
    expect(parseStructuredList('a,,b')).toBeNull();
  });
});

describe('pickRateHeaders', () => {
  it('keeps only rate-related headers, lower-cased', () => {
    expect(
      pickRateHeaders({
        'X-RateLimit-Used': '3',
        Authorization: 'Bearer secret',
        'Retry-After': '2',
        'x-fee-amount': '0.1',
      }),
    ).toEqual({ 'x-ratelimit-used': '3', 'retry-after': '2' });
  });
});

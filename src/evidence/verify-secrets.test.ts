import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { highEntropyToken, scanHar, scanText, shannonBits } from './verify-secrets.js';

describe('scanText', () => {
  it('finds a bearer token, hub.verify_token and access_token values, by file and line, without echoing them', () => {
    const text =
      'ok line\ncurl -H "Authorization: Bearer CANARY-9f8e7d6c5b"\n?hub.verify_token=s3cret-verify&x=1 access_token=EAAGtok3n';
    const problems = scanText('report.md', text);
    expect(problems).toEqual([
      'report.md:2: Bearer token (17 chars) not redacted',
      'report.md:3: hub.verify_token= value (13 chars) not redacted',
      'report.md:3: access_token= value (9 chars) not redacted',
    ]);
    expect(problems.join('\n')).not.toMatch(/CANARY|s3cret|EAAG/);
  });

  it('accepts redacted values and prose about bearer tokens', () => {
    const text = [
      'Authorization: Bearer [REDACTED]',
      'https://h/?hub.verify_token=%5BREDACTED%5D&access_token=[REDACTED]',
      'Each cohort uses a bearer token; Bearer authentication is required.',
    ].join('\n');
    expect(scanText('x', text)).toEqual([]);
  });
});

describe('scanHar', () => {
  const har = (headers: Array<{ name: string; value: string }>): unknown => ({
    log: { entries: [{ request: { headers }, response: { headers: [] } }] },
  });

  it('reports an Authorization header that is not [REDACTED]', () => {
    expect(scanHar('exchanges.har', har([{ name: 'Authorization', value: 'Bearer canary' }]))).toEqual([
      'exchanges.har: log.entries[0].request header authorization is not "[REDACTED]" (13 chars)',
    ]);
    expect(scanHar('exchanges.har', har([{ name: 'authorization', value: '[REDACTED]' }]))).toEqual([]);
  });

  it('reports a high-entropy header value but not a webhook signature', () => {
    const token = randomBytes(48).toString('base64url');
    expect(scanHar('h', har([{ name: 'x-api-key', value: token }]))).toEqual([
      'h: log.entries[0].request header x-api-key holds a 64-char high-entropy value',
    ]);
    expect(
      scanHar('h', har([{ name: 'x-hub-signature-256', value: `sha256=${randomBytes(32).toString('hex')}` }])),
    ).toEqual([]);
  });
});

describe('highEntropyToken', () => {
  it('flags mixed-case random tokens, not hex digests, uuids or words', () => {
    expect(highEntropyToken('EAAGm0PX4ZCpsBAKZB7Qk9vZBqZCZCx1xYzQW2pH8sT')).not.toBeNull();
    expect(highEntropyToken(randomBytes(32).toString('hex'))).toBeNull();
    expect(highEntropyToken('123e4567-e89b-12d3-a456-426614174000')).toBeNull();
    expect(highEntropyToken('application/json; charset=utf-8')).toBeNull();
    expect(highEntropyToken('AAAAAAAAAAaaaaaaaaaa1111111111AAAAaaaa')).toBeNull();
  });

  it('measures entropy in bits per character', () => {
    expect(shannonBits('aaaa')).toBe(0);
    expect(shannonBits('abcd')).toBe(2);
  });
});

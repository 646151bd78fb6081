import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { asciiJson, hubSignature, isLoopbackUrl } from './webhook-transport.js';

describe('webhook transport', () => {
  test('escapes every non-ASCII character the way Meta sends them', () => {
    const text = asciiJson({ body: 'Grüß 👋' });
    expect(text).toBe('{"body":"Gr\\u00fc\\u00df \\ud83d\\udc4b"}');
    expect(JSON.parse(text)).toEqual({ body: 'Grüß 👋' });
  });

  test('signs the raw body with HMAC-SHA256 of the app secret', () => {
    const body = Buffer.from('{"a":1}');
    expect(hubSignature('s3cret', body)).toBe(`sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`);
    expect(hubSignature('other', body)).not.toBe(hubSignature('s3cret', body));
  });

  test('recognises loopback hosts only', () => {
    expect(
      ['http://127.0.0.1:1/x', 'http://127.8.9.10/x', 'http://localhost/x', 'http://[::1]:9/x'].map((u) =>
        isLoopbackUrl(new URL(u)),
      ),
    ).toEqual([true, true, true, true]);
    expect(
      ['http://10.0.0.1/x', 'https://example.com/x', 'http://127.0.0.1.example.com/x'].map((u) =>
        isLoopbackUrl(new URL(u)),
      ),
    ).toEqual([false, false, false]);
  });
});

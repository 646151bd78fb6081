import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from './redact.js';

describe('Redactor', () => {
  const redactor = new Redactor(['canary-secret-123', 'abc']);

  it('redacts credential headers whatever their case and keeps the rest', () => {
    expect(redactor.headers({ Authorization: 'Bearer x', 'Content-Type': 'application/json', Cookie: 'a=b' })).toEqual({
      authorization: REDACTED,
      'content-type': 'application/json',
      cookie: REDACTED,
    });
  });

  it('redacts secret query parameters and embedded secret values in URLs', () => {
    const url = redactor.url(
      'http://127.0.0.1:1/cb?hub.mode=subscribe&hub.verify_token=vt&hub.challenge=42&x=canary-secret-123',
    );
    expect(url).toContain('hub.verify_token=%5BREDACTED%5D');
    expect(url).toContain('hub.challenge=42');
    expect(url).not.toContain('canary-secret-123');
  });

  it('replaces known secrets (4+ chars) anywhere in text and values of secret-named JSON keys', () => {
    const text = redactor.text('{"verify_token":"vt-1","note":"token canary-secret-123 echoed","ok":"abc"}');
    expect(text).toBe(`{"verify_token":"${REDACTED}","note":"token ${REDACTED} echoed","ok":"abc"}`);
  });

  it('ignores secrets too short to be matched safely', () => {
    expect(new Redactor(['ab']).text('tab stop')).toBe('tab stop');
  });
});

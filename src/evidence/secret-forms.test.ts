import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Redactor, REDACTED } from './redact.js';
import { FormMatcher, secretForms } from './secret-forms.js';
import { scanText } from './verify-secrets.js';

const SECRET = 'EAAG-canary/Tok3n+value';

/** Every form a secret can take in recorded data. */
function encodings(secret: string): Record<string, string> {
  const b = Buffer.from(secret);
  return {
    raw: secret,
    upper: secret.toUpperCase(),
    lower: secret.toLowerCase(),
    url: encodeURIComponent(secret),
    base64: b.toString('base64'),
    base64url: b.toString('base64url'),
    hex: b.toString('hex'),
    HEX: b.toString('hex').toUpperCase(),
    basic: Buffer.from(`user:${secret}`).toString('base64'),
    basic1: Buffer.from(`u:${secret}!`).toString('base64'),
    json: JSON.stringify(secret).slice(1, -1),
  };
}

describe('Redactor: every form, every case', () => {
  const redactor = new Redactor([SECRET]);
  it.each(Object.entries(encodings(SECRET)))('removes the %s form', (_form, value) => {
    const out = redactor.text(`before ${value} after`);
    expect(out).toContain(REDACTED);
    for (const form of Object.values(encodings(SECRET))) expect(out.includes(form)).toBe(false);
  });

  it('redacts a secret in a header name, lower-cased, and userinfo in a URL', () => {
    expect(Object.keys(redactor.headers({ [`X-${SECRET}`]: 'v' }))).toEqual([`x-${REDACTED}`]);
    expect(redactor.url('http://user:pw@h.test/a')).toBe('http://REDACTED@h.test/a');
  });

  it('ignores secrets shorter than 8 characters (the config refuses them)', () => {
    expect(new Redactor(['abc']).text('abcabc')).toBe('abcabc');
  });
});

describe('FormMatcher', () => {
  it('finds overlapping patterns in one pass and prefers the longest', () => {
    const m = new FormMatcher(['abcdef', 'cdefgh', 'bcd']);
    expect(m.replace('xxabcdefghyy', '#')).toBe('xx#yy');
    expect(m.replace('no match here', '#')).toBe('no match here');
  });

  it('lists raw, encoded and aligned base64 forms of a secret', () => {
    const forms = secretForms(SECRET);
    expect(forms).toContain(SECRET);
    expect(forms).toContain(Buffer.from(SECRET).toString('hex'));
    expect(forms.length).toBeGreaterThan(6);
  });
});

describe('verify scan: the same forms, no false alarm on the harness probe token', () => {
  const token = 'EAAGm0PX4ZCps-BAKZB7Qk9';
  it.each([
    ['raw', `Authorization: Bearer ${token}`],
    ['url-encoded', `Bearer%20${token}`],
    ['any case', `BEARER ${token}`],
    ['base64', Buffer.from(`Bearer ${token}`).toString('base64')],
    ['base64 mid-stream', Buffer.from(`xBearer ${token}`).toString('base64')],
    ['hex', Buffer.from(`Bearer ${token}`).toString('hex')],
    ['url-encoded param', `hub.verify_token%3D${token}`],
  ])('finds a %s bearer token', (_form, text) => {
    expect(scanText('f', `line one\n${text}`)).toHaveLength(1);
    expect(scanText('f', `line one\n${text}`)[0]).toMatch(/^f:2: /);
  });

  it.each([
    ['raw', 'Bearer dma-audit-deliberately-invalid-token'],
    ['base64', Buffer.from('Bearer dma-audit-deliberately-invalid-token').toString('base64')],
    ['hex', Buffer.from('Bearer dma-audit-deliberately-invalid-token').toString('hex')],
  ])('knows the harness probe token in %s form', (_form, text) => {
    expect(scanText('f', text)).toEqual([]);
  });

  it('raises no false alarm on long random base64 such as key material and ciphertext', () => {
    // 4 MiB of random bytes holds many chance matches of a 4-character base64 core of "Bearer ".
    const text = randomBytes(3 * 1024 * 1024).toString('base64');
    expect(scanText('f', text)).toEqual([]);
    expect(scanText('f', text.toLowerCase())).toEqual([]);
  });

  it('stays linear on pathological input', () => {
    const text = `${'bearer '.repeat(50_000)}${'hub.verify_token='.repeat(20_000)}${'QmVhcmVyI'.repeat(20_000)}`;
    const started = performance.now();
    scanText('f', text);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

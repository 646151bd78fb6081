/**
 * Keeps credentials off disk: every header, URL and body that is recorded passes through here
 * (docs/architecture.md, "Safety rules").
 */

import { FormMatcher, secretForms } from './secret-forms.js';

export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
const SECRET_QUERY = ['hub.verify_token', 'access_token', 'token', 'verify_token', 'client_secret', 'appsecret_proof'];
const SECRET_JSON_KEYS = [
  'verify_token',
  'access_token',
  'token',
  'app_secret',
  'appSecret',
  'verifyToken',
  'interopToken',
  'password',
];

/**
 * Tokens the harness itself sends on purpose (never credentials): the conformance suite's
 * deliberately invalid token. A target may reflect them; verify must not call that a leak.
 */
export const HARNESS_PROBE_TOKENS: readonly string[] = ['dma-audit-deliberately-invalid-token'];

/** Redaction refuses nothing shorter: the config loader refuses such secrets (src/config/load.ts). */
const MIN_SECRET_LENGTH = 8;

/** Replaces every known secret value, in every encoded form and letter case, and values of secret-named keys. */
export class Redactor {
  private readonly matcher: FormMatcher;

  constructor(secrets: readonly string[]) {
    const unique = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))];
    this.matcher = new FormMatcher([...new Set(unique.flatMap(secretForms))]);
  }

  /** Redacts secret-bearing headers and lower-cases names; a secret in a header name is redacted too. */
  headers(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = this.text(name.toLowerCase());
      out[lower] = SECRET_HEADERS.has(lower) ? REDACTED : this.text(value);
    }
    return out;
  }

  /** Redacts secret query parameters, user:password, and any secret value embedded in a URL. */
  url(raw: string): string {
    try {
      const url = new URL(raw);
      for (const key of SECRET_QUERY) if (url.searchParams.has(key)) url.searchParams.set(key, REDACTED);
      if (url.username !== '' || url.password !== '') {
        url.username = 'REDACTED';
        url.password = '';
      }
      return this.text(url.toString());
    } catch {
      return this.text(raw);
    }
  }

  /** Replaces every known secret (all forms, any case) and the values of secret-named JSON keys in a text. */
  text(value: string): string {
    let out = this.matcher.replace(value, REDACTED);
    if (!out.includes('"')) return out;
    out = out.replace(SECRET_JSON_VALUE, `$1"${REDACTED}"`);
    return out;
  }
}

/** `"<secret key>": "<value>"`, all keys in one pattern: one pass per text. */
const SECRET_JSON_VALUE = new RegExp(`("(?:${SECRET_JSON_KEYS.join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'g');

/**
 * Keeps credentials off disk: every header, URL and body that is recorded passes through here
 * (docs/architecture.md, "Safety rules").
 */

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

/** Replaces every known secret value (and values of secret-named keys) in recorded data. */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: readonly string[]) {
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  }

  /** Redacts secret-bearing headers and lower-cases names; webhook signatures stay (they are evidence, not keys). */
  headers(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      out[lower] = SECRET_HEADERS.has(lower) ? REDACTED : this.text(value);
    }
    return out;
  }

  /** Redacts secret query parameters and any secret value embedded in a URL. */
  url(raw: string): string {
    try {
      const url = new URL(raw);
      for (const key of SECRET_QUERY) if (url.searchParams.has(key)) url.searchParams.set(key, REDACTED);
      return this.text(url.toString());
    } catch {
      return this.text(raw);
    }
  }

  /** Replaces every known secret value and the values of secret-named JSON keys in a body or message. */
  text(value: string): string {
    let out = value;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const key of SECRET_JSON_KEYS) {
      out = out.replace(new RegExp(`("${key}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'g'), `$1"${REDACTED}"`);
    }
    return out;
  }
}

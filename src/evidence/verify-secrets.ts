/**
 * Looks for credentials that slipped past redaction (docs/architecture.md, "Safety rules"). Findings name the
 * file and line but never repeat the value: the verify report itself must not leak it.
 */
import { REDACTED } from './redact.js';

/** Query parameters whose value is a credential. */
const SECRET_PARAMS = ['hub.verify_token', 'access_token'];
/** RFC 6750 b64token after "Bearer"; prose ("bearer token") has no digit or punctuation, a token does. */
const BEARER = /\bbearer\s+([A-Za-z0-9\-._~+/]+=*)/gi;
const AUTH_HEADERS = new Set(['authorization', 'proxy-authorization']);
/** Headers whose long opaque values are signatures or trace ids, not credentials. */
const OPAQUE_HEADERS = new Set([
  'x-hub-signature',
  'x-hub-signature-256',
  'etag',
  'traceparent',
  'tracestate',
  'x-fb-debug',
  'x-fb-trace-id',
  'x-fb-request-id',
]);
const MIN_ENTROPY_LENGTH = 32;
const MIN_ENTROPY_BITS = 4;

/** Secret-looking values in one text file, one line each, e.g. `report.md:12: Bearer token (40 chars)`. */
export function scanText(name: string, text: string): string[] {
  const problems: string[] = [];
  text.split('\n').forEach((line, index) => {
    const where = `${name}:${index + 1}`;
    for (const match of line.matchAll(BEARER)) {
      const token = match[1] ?? '';
      if (token.length >= 8 && /[0-9\-._~+/=]/.test(token))
        problems.push(`${where}: Bearer token (${token.length} chars) not redacted`);
    }
    for (const param of SECRET_PARAMS) {
      for (const value of paramValues(line, param))
        problems.push(`${where}: ${param}= value (${value.length} chars) not redacted`);
    }
  });
  return problems;
}

function paramValues(line: string, param: string): string[] {
  const pattern = new RegExp(`${param.replace('.', '\\.')}=([^&\\s"'<>\\\\]*)`, 'g');
  return [...line.matchAll(pattern)]
    .map((match) => match[1] ?? '')
    .filter((value) => value !== '' && !isRedacted(decodeSafe(value)));
}

function isRedacted(value: string): boolean {
  return value === REDACTED;
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

interface HarHeader {
  name?: unknown;
  value?: unknown;
}

/** Unredacted Authorization headers and high-entropy header values in a parsed HAR. */
export function scanHar(name: string, har: unknown): string[] {
  const entries = (har as { log?: { entries?: unknown } } | null)?.log?.entries;
  if (!Array.isArray(entries)) return [];
  const problems: string[] = [];
  entries.forEach((entry: unknown, index) => {
    for (const side of ['request', 'response'] as const) {
      const headers = (entry as Record<string, { headers?: unknown } | undefined> | null)?.[side]?.headers;
      if (!Array.isArray(headers)) continue;
      for (const header of headers as HarHeader[]) {
        const problem = headerProblem(header);
        if (problem !== null) problems.push(`${name}: log.entries[${index}].${side} header ${problem}`);
      }
    }
  });
  return problems;
}

function headerProblem(header: HarHeader): string | null {
  if (typeof header.name !== 'string' || typeof header.value !== 'string') return null;
  const headerName = header.name.toLowerCase();
  if (AUTH_HEADERS.has(headerName))
    return header.value === REDACTED ? null : `${headerName} is not "${REDACTED}" (${header.value.length} chars)`;
  if (OPAQUE_HEADERS.has(headerName)) return null;
  const token = highEntropyToken(header.value);
  return token === null ? null : `${headerName} holds a ${token.length}-char high-entropy value`;
}

/**
 * The first run of token characters that looks like a credential: long, mixing upper case, lower
 * case and digits, with more than 4 bits of entropy per character (so hex digests, which top out
 * at 4, and words do not count).
 */
export function highEntropyToken(value: string): string | null {
  for (const match of value.matchAll(/[A-Za-z0-9+/_=-]{32,}/g)) {
    const token = match[0];
    const isMixed = /[a-z]/.test(token) && /[A-Z]/.test(token) && /[0-9]/.test(token);
    if (token.length >= MIN_ENTROPY_LENGTH && isMixed && shannonBits(token) > MIN_ENTROPY_BITS) return token;
  }
  return null;
}

/** Shannon entropy per character, in bits. */
export function shannonBits(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

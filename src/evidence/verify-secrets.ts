/**
 * Looks for credentials that slipped past redaction (docs/architecture.md, "Safety rules"). Findings name the
 * file and line but never repeat the value: the verify report itself must not leak it.
 */
import { HARNESS_PROBE_TOKENS, REDACTED } from './redact.js';

/**
 * Every credential pattern, in every form a recorder could let through (raw, URL-encoded, base64,
 * hex, any letter case), as one regular expression: the scan is a single pass over each file, linear
 * in its size. Each alternative is a literal prefix followed by one run of a character class the
 * prefix cannot continue, so the engine never backtracks more than the run. The expression is case
 * sensitive and spells out the case-insensitive parts: base64 is not, and matching it in any case
 * would find "Bearer " in random ciphertext (key material and E2EE bodies are long base64 runs).
 */
const BEARER_RAW = String.raw`\b${caseless('bearer')}(?:\s|%20)+([A-Za-z0-9\-._~+/]+=*)`;
const PARAM = String.raw`(${caseless('hub')}(?:\.|%2[eE])${caseless('verify_token')}|${caseless('access_token')})(?:=|%3[dD])([^&\s"'<>\\]*)`;
const BEARER_BASE64 = `(${base64Prefixes(['Bearer ', 'bearer ', 'BEARER ']).join('|')})([A-Za-z0-9+/_-]{11,})`;
const BEARER_HEX = String.raw`(62656172657220|42656172657220)((?:[0-9a-fA-F]{2}){8,})`;
const SCAN = new RegExp([BEARER_RAW, PARAM, BEARER_BASE64, BEARER_HEX].join('|'), 'g');

/** What a base64 match must decode to: the tail of "Bearer", a space, and the start of a token. */
const DECODED_BEARER = /(?:bearer|earer|arer) [A-Za-z0-9\-._~+/]{8}/i;

/** A regex source matching `word` in any letter case, without the `i` flag (which would widen the base64 form). */
function caseless(word: string): string {
  return [...word]
    .map((char) => (/[a-z]/i.test(char) ? `[${char.toUpperCase()}${char.toLowerCase()}]` : char))
    .join('');
}

/** The base64 cores of `prefix` at byte offsets 0, 1 and 2 (only the characters the prefix alone decides). */
function base64Prefixes(prefixes: readonly string[]): string[] {
  const cores = new Set<string>();
  for (const prefix of prefixes) {
    for (let offset = 0; offset < 3; offset += 1) {
      const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(prefix)]);
      const whole = Math.floor(bytes.length / 3) * 4;
      const core = bytes.toString('base64').slice(offset === 0 ? 0 : 4, whole);
      if (core.length >= 4) cores.add(core.replace(/[+/]/g, (c) => `\\${c}`));
    }
  }
  return [...cores];
}

/** Secret-looking values in one text file, one line each, e.g. `report.md:12: Bearer token (40 chars)`. */
export function scanText(name: string, text: string): string[] {
  const problems: string[] = [];
  const lines = lineCounter(text);
  for (const match of text.matchAll(SCAN)) {
    const problem = problemOf(match);
    if (problem !== null) problems.push(`${name}:${lines(match.index)}: ${problem}`);
  }
  return problems;
}

/** Secret-looking values in one line, located as `where` (e.g. `report.md:12`): one pass of SCAN over it. */
export function scanLine(where: string, line: string): string[] {
  const problems: string[] = [];
  for (const match of line.matchAll(SCAN)) {
    const problem = problemOf(match);
    if (problem !== null) problems.push(`${where}: ${problem}`);
  }
  return problems;
}

/** What one match of SCAN shows, or null when it is redacted, prose or the harness's own probe token. */
function problemOf(match: RegExpMatchArray): string | null {
  const [, bearer, param, value, , b64, , hex] = match;
  if (bearer !== undefined) {
    const isToken = bearer.length >= 8 && /[0-9\-._~+/=]/.test(bearer) && !isProbeToken(bearer);
    return isToken ? `Bearer token (${bearer.length} chars) not redacted` : null;
  }
  if (param !== undefined && value !== undefined) {
    const decoded = decodeSafe(value);
    if (value === '' || isRedacted(decoded) || isProbeToken(decoded)) return null;
    return `${decodeSafe(param)}= value (${value.length} chars) not redacted`;
  }
  if (b64 !== undefined) {
    const decoded = decodeLoose(match[0], 'base64');
    // A short core (4 characters at one alignment) turns up by chance in long base64 runs such as key
    // material: only a match that decodes to the rest of "Bearer " and a token is one.
    if (!DECODED_BEARER.test(decoded) || isProbeToken(decoded)) return null;
    return `base64-encoded Bearer token not redacted`;
  }
  if (hex !== undefined)
    return isProbeToken(decodeLoose(match[0], 'hex')) ? null : `hex-encoded Bearer token not redacted`;
  return null;
}

/** Line number (1-based) of an offset; offsets must come in increasing order (one pass over the text). */
function lineCounter(text: string): (index: number | undefined) => number {
  let line = 1;
  let at = 0;
  return (index = 0) => {
    for (let next = text.indexOf('\n', at); next !== -1 && next < index; next = text.indexOf('\n', next + 1)) {
      line += 1;
      at = next + 1;
    }
    return line;
  };
}

function isProbeToken(value: string): boolean {
  return HARNESS_PROBE_TOKENS.some((token) => value.toLowerCase().includes(token));
}

function decodeLoose(value: string, encoding: 'base64' | 'hex'): string {
  const clean = encoding === 'hex' ? value : value.replace(/-/g, '+').replace(/_/g, '/');
  // A base64 match may start mid-group: try the three alignments.
  const tries = encoding === 'hex' ? [clean] : [clean, `A${clean}`, `AA${clean}`];
  return tries.map((t) => Buffer.from(t, encoding).toString('latin1')).join('\n');
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

interface HarHeader {
  name?: unknown;
  value?: unknown;
}

/** Unredacted Authorization headers and high-entropy header values in a parsed HAR. */
export function scanHar(name: string, har: unknown): string[] {
  const entries = (har as { log?: { entries?: unknown } } | null)?.log?.entries;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry: unknown, index) => scanHarEntry(name, entry, index));
}

/** The header problems of one HAR entry (`index` in log.entries), so a HAR can be scanned as a stream. */
export function scanHarEntry(name: string, entry: unknown, index: number): string[] {
  const problems: string[] = [];
  for (const side of ['request', 'response'] as const) {
    const headers = (entry as Record<string, { headers?: unknown } | undefined> | null)?.[side]?.headers;
    if (!Array.isArray(headers)) continue;
    for (const header of headers as HarHeader[]) {
      const problem = headerProblem(header);
      if (problem !== null) problems.push(`${name}: log.entries[${index}].${side} header ${problem}`);
    }
  }
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

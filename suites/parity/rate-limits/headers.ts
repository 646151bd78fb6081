/**
 * Reads advertised rate limits from a response's headers into one normalised form, keeping the raw
 * values: IETF RateLimit / RateLimit-Policy (draft-ietf-httpapi-ratelimit-headers, both the
 * structured-field form of draft 08+ and the older RateLimit-Limit/-Remaining/-Reset and
 * `limit=…, remaining=…` forms), X-RateLimit-*, Meta's X-Business-Use-Case-Usage and X-App-Usage
 * (https://developers.facebook.com/docs/graph-api/overview/rate-limiting) and Retry-After (RFC 9110 §10.2.3).
 */

import { retryAfterSeconds as secondsUntil } from '../../../src/http/retry-after.js';

/** A quota a response advertises: `quota` units per `windowSec` (null when the header does not say). */
export interface AdvertisedPolicy {
  name: string;
  quota: number;
  windowSec: number | null;
  /** Quota unit from the draft's `qu` parameter ("requests" unless stated). */
  unit: string;
  source: 'RateLimit-Policy' | 'RateLimit-Limit' | 'RateLimit' | 'X-RateLimit-Limit';
}

/** What is left of a quota after this response. */
export interface AdvertisedRemaining {
  name: string;
  remaining: number;
  /** Seconds until the quota resets; null when absent or given as an epoch we cannot place. */
  resetSec: number | null;
  source: 'RateLimit' | 'RateLimit-Remaining' | 'X-RateLimit-Remaining';
}

/** Meta's usage percentages (0–100) for an app or a business use case. */
export interface AdvertisedUsage {
  source: 'X-Business-Use-Case-Usage' | 'X-App-Usage';
  id: string | null;
  type: string | null;
  callCountPct: number | null;
  totalCputimePct: number | null;
  totalTimePct: number | null;
  /** Minutes until access returns after throttling (Meta's estimated_time_to_regain_access). */
  regainAccessMinutes: number | null;
}

/** Every rate signal of one response, normalised, with the raw header values it came from. */
export interface RateSignals {
  policies: AdvertisedPolicy[];
  remaining: AdvertisedRemaining[];
  usage: AdvertisedUsage[];
  retryAfterSec: number | null;
  /** The rate-related headers exactly as received (lower-case names). */
  raw: Record<string, string>;
  /** Headers that were present but could not be read. */
  problems: string[];
}

/** Lower-case names (or prefixes ending in "-") of the headers this module reads. */
export const RATE_HEADER_NAMES = [
  'ratelimit',
  'ratelimit-policy',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'x-ratelimit-',
  'x-business-use-case-usage',
  'x-app-usage',
  'retry-after',
  'date',
];

/** The rate-related headers of a response (what observations keep, so analysis can re-parse them). */
export function pickRateHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (RATE_HEADER_NAMES.some((known) => (known.endsWith('-') ? lower.startsWith(known) : lower === known)))
      out[lower] = value;
  }
  return out;
}

/** Parses every rate signal in `headers` (names in any case). */
export function parseRateHeaders(headers: Readonly<Record<string, string>>): RateSignals {
  const raw = pickRateHeaders(headers);
  const signals: RateSignals = { policies: [], remaining: [], usage: [], retryAfterSec: null, raw, problems: [] };
  readIetf(raw, signals);
  readXRateLimit(raw, signals);
  readMetaUsage(raw, signals);
  signals.retryAfterSec = retryAfterSeconds(raw['retry-after'], raw.date);
  if (raw['retry-after'] !== undefined && signals.retryAfterSec === null)
    signals.problems.push(`retry-after: ${raw['retry-after']}`);
  return signals;
}

/** Retry-After as whole seconds: delta-seconds, or an HTTP-date relative to the response's Date header. */
export function retryAfterSeconds(value: string | undefined, date?: string): number | null {
  const seconds = secondsUntil(value, date === undefined ? Number.NaN : Date.parse(date));
  return seconds === null ? null : Math.round(seconds);
}

function readIetf(raw: Record<string, string>, signals: RateSignals): void {
  const policy = raw['ratelimit-policy'];
  if (policy !== undefined) {
    const members = parseStructuredList(policy);
    if (members === null) signals.problems.push(`ratelimit-policy: ${policy}`);
    members?.forEach((member, i) => {
      const quota = numberParam(member, 'q') ?? (typeof member.item === 'number' ? member.item : null);
      if (quota === null) return void signals.problems.push(`ratelimit-policy member ${i + 1} has no quota`);
      signals.policies.push({
        name: memberName(member, i),
        quota,
        windowSec: numberParam(member, 'w'),
        unit: stringParam(member, 'qu') ?? 'requests',
        source: 'RateLimit-Policy',
      });
    });
  }
  const current = raw.ratelimit;
  if (current !== undefined) readRateLimitField(current, signals);
  const limit = numberOf(raw['ratelimit-limit']);
  if (limit !== null)
    signals.policies.push({
      name: 'default',
      quota: limit,
      windowSec: null,
      unit: 'requests',
      source: 'RateLimit-Limit',
    });
  const remaining = numberOf(raw['ratelimit-remaining']);
  if (remaining !== null)
    signals.remaining.push({
      name: 'default',
      remaining,
      resetSec: numberOf(raw['ratelimit-reset']),
      source: 'RateLimit-Remaining',
    });
}

/** `RateLimit` is a list of `"name";r=…;t=…` in draft 08+, a `limit=…, remaining=…, reset=…` dictionary before. */
function readRateLimitField(value: string, signals: RateSignals): void {
  const members = parseStructuredList(value);
  if (members === null) return void signals.problems.push(`ratelimit: ${value}`);
  const dictionary = new Map(members.filter((m) => m.key !== null).map((m) => [m.key as string, m.item]));
  if (dictionary.has('remaining') || dictionary.has('limit')) {
    const limit = dictionary.get('limit');
    const remaining = dictionary.get('remaining');
    const reset = dictionary.get('reset');
    if (typeof limit === 'number')
      signals.policies.push({ name: 'default', quota: limit, windowSec: null, unit: 'requests', source: 'RateLimit' });
    if (typeof remaining === 'number')
      signals.remaining.push({
        name: 'default',
        remaining,
        resetSec: typeof reset === 'number' ? reset : null,
        source: 'RateLimit',
      });
    return;
  }
  members.forEach((member, i) => {
    const remaining = numberParam(member, 'r');
    if (remaining !== null)
      signals.remaining.push({
        name: memberName(member, i),
        remaining,
        resetSec: numberParam(member, 't'),
        source: 'RateLimit',
      });
  });
}

function readXRateLimit(raw: Record<string, string>, signals: RateSignals): void {
  const limit = numberOf(raw['x-ratelimit-limit']);
  if (raw['x-ratelimit-limit'] !== undefined && limit === null)
    signals.problems.push(`x-ratelimit-limit: ${raw['x-ratelimit-limit']}`);
  if (limit !== null)
    signals.policies.push({
      name: 'x-ratelimit',
      quota: limit,
      windowSec: null,
      unit: 'requests',
      source: 'X-RateLimit-Limit',
    });
  const remaining = numberOf(raw['x-ratelimit-remaining']);
  if (remaining !== null)
    signals.remaining.push({
      name: 'x-ratelimit',
      remaining,
      resetSec: relativeReset(numberOf(raw['x-ratelimit-reset'])),
      source: 'X-RateLimit-Remaining',
    });
}

/** Some APIs send X-RateLimit-Reset as a Unix time; those cannot be turned into seconds-from-now without a clock. */
function relativeReset(value: number | null): number | null {
  return value !== null && value < 1e8 ? value : null;
}

function readMetaUsage(raw: Record<string, string>, signals: RateSignals): void {
  const buc = raw['x-business-use-case-usage'];
  if (buc !== undefined) {
    const parsed = parseJsonObject(buc);
    if (parsed === null) signals.problems.push(`x-business-use-case-usage: ${buc}`);
    for (const [id, entries] of Object.entries(parsed ?? {})) {
      for (const entry of Array.isArray(entries) ? entries : [entries])
        signals.usage.push(usageOf('X-Business-Use-Case-Usage', id, entry));
    }
  }
  const app = raw['x-app-usage'];
  if (app !== undefined) {
    const parsed = parseJsonObject(app);
    if (parsed === null) signals.problems.push(`x-app-usage: ${app}`);
    else signals.usage.push(usageOf('X-App-Usage', null, parsed));
  }
}

function usageOf(source: AdvertisedUsage['source'], id: string | null, entry: unknown): AdvertisedUsage {
  const record = (entry ?? {}) as Record<string, unknown>;
  const num = (key: string): number | null => (typeof record[key] === 'number' ? record[key] : null);
  return {
    source,
    id,
    type: typeof record.type === 'string' ? record.type : null,
    callCountPct: num('call_count'),
    totalCputimePct: num('total_cputime'),
    totalTimePct: num('total_time'),
    regainAccessMinutes: num('estimated_time_to_regain_access'),
  };
}

function memberName(member: StructuredMember, index: number): string {
  return typeof member.item === 'string' ? member.item : `policy-${index + 1}`;
}

function numberParam(member: StructuredMember, key: string): number | null {
  const value = member.params[key];
  return typeof value === 'number' ? value : null;
}

function stringParam(member: StructuredMember, key: string): string | null {
  const value = member.params[key];
  return typeof value === 'string' ? value : null;
}

function numberOf(value: string | undefined): number | null {
  if (value === undefined || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return null;
  return Number(value);
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** One member of an RFC 8941 list (or dictionary): its bare item, its key when written `key=item`, and its parameters. */
export interface StructuredMember {
  key: string | null;
  item: string | number | boolean;
  params: Record<string, string | number | boolean>;
}

/**
 * A lenient RFC 8941 (Structured Field Values) reader for lists and dictionaries of bare items with
 * parameters, the subset rate-limit headers use. Returns null when the value cannot be read.
 */
export function parseStructuredList(value: string): StructuredMember[] | null {
  const members: StructuredMember[] = [];
  for (const part of splitOutsideQuotes(value, ',')) {
    const [head = '', ...paramParts] = splitOutsideQuotes(part, ';');
    if (head.trim() === '') return null;
    const eq = head.indexOf('=');
    const isKeyed = eq > 0 && !head.trim().startsWith('"');
    const item = bareItem(isKeyed ? head.slice(eq + 1) : head);
    if (item === null) return null;
    const params: Record<string, string | number | boolean> = {};
    for (const param of paramParts) {
      const at = param.indexOf('=');
      const key = (at < 0 ? param : param.slice(0, at)).trim().toLowerCase();
      const parsed = at < 0 ? true : bareItem(param.slice(at + 1));
      if (key === '' || parsed === null) return null;
      params[key] = parsed;
    }
    members.push({ key: isKeyed ? head.slice(0, eq).trim().toLowerCase() : null, item, params });
  }
  return members;
}

function bareItem(text: string): string | number | boolean | null {
  const value = text.trim();
  if (/^".*"$/.test(value)) return value.slice(1, -1).replace(/\\(["\\])/g, '$1');
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value === '?1' || value === '?0') return value === '?1';
  return /^[A-Za-z*][A-Za-z0-9_:.\/%*+!#$&'^`|~-]*$/.test(value) ? value : null;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let isQuoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? '';
    if (char === '"' && text[i - 1] !== '\\') isQuoted = !isQuoted;
    if (char === separator && !isQuoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

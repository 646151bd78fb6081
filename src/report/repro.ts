/**
 * Reproduction per failing finding: the `curl` commands of its HAR evidence (HAR 1.2,
 * http://www.softwareishard.com/blog/har-12-spec/), rebuilt from exchanges.har. The HAR holds no
 * credentials (they were redacted when recorded), so every redacted value becomes an environment
 * variable the reader sets: `-H "Authorization: Bearer $ASSISTANT_TOKEN"`, never a value.
 */
import type { Finding } from '../core/types.js';
import { findingName } from './format.js';
import type { BundleView, HarEntryView } from './types.js';

/** What the recorder writes in place of a secret (src/evidence/redact.ts). */
const REDACTED = '[REDACTED]';
/** At most this many exchanges per cohort of a finding: enough to compare, short enough to read. */
const PER_COHORT = 2;
/** Headers curl sets itself or that only describe the recorded connection. */
const SKIP_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'user-agent', 'accept-encoding']);
/** Response headers worth showing next to the command: fees and rate limits are the evidence. */
const SHOWN_RESPONSE = /fee|ratelimit|retry-after|www-authenticate/i;

/** One reproduction script: where it goes in the bundle and its text. */
export interface Repro {
  finding: Finding;
  /** `repro/<check>-<cohort>[-<variant>].sh`, relative to the bundle. */
  fileName: string;
  script: string;
}

/** The env variable that stands for a cohort's access token: `assistant` → `ASSISTANT_TOKEN`. */
export function tokenEnv(cohort: string | undefined): string {
  const name = (cohort ?? 'cohort')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `${/^[0-9]/.test(name) ? `C_${name}` : name || 'COHORT'}_TOKEN`;
}

/** A shell word: literal text single-quoted, env variables double-quoted, so nothing else expands. */
function shellWord(text: string, secretEnv: string): string {
  return text
    .split(REDACTED)
    .map((part) => (part === '' ? '' : `'${part.replaceAll("'", `'\\''`)}'`))
    .join(`"$${secretEnv}"`);
}

function header(name: string, value: string, tokenName: string): string {
  if (name.toLowerCase() === 'authorization' && value === REDACTED) return `-H "Authorization: Bearer $${tokenName}"`;
  return `-H ${shellWord(`${name}: ${value}`, tokenName)}`;
}

/** The URL's origin when it is plain enough to print unquoted in a script, else null. */
function origin(url: string): string | null {
  try {
    const found = new URL(url).origin;
    return /^https?:\/\/[A-Za-z0-9.:[\]-]+$/.test(found) ? found : null;
  } catch {
    return null;
  }
}

/** Text for a `#` comment: one line, whatever the bundle holds. */
function comment(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** The curl command of one recorded outbound request; the origin becomes `$BASE_URL`. */
export function curlCommand(entry: HarEntryView): string {
  const token = tokenEnv(entry._cohort);
  const base = origin(entry.request.url);
  const path = base === null ? entry.request.url : entry.request.url.slice(base.length);
  const url = base === null ? shellWord(path, token) : `"$BASE_URL"${path === '' ? '' : shellWord(path, token)}`;
  const parts = [
    `curl -sS -i -w '\\ntime_total %{time_total}s\\n' -X ${shellWord(entry.request.method, token)} ${url}`,
  ];
  for (const h of entry.request.headers ?? []) {
    if (!SKIP_HEADERS.has(h.name.toLowerCase())) parts.push(header(h.name, h.value, token));
  }
  const body = entry.request.postData?.text;
  if (body !== undefined && body !== '') parts.push(`--data-raw ${shellWord(body, token)}`);
  return parts.join(' \\\n  ');
}

function recordedAnswer(entry: HarEntryView): string {
  const shown = (entry.response.headers ?? []).filter((h) => SHOWN_RESPONSE.test(h.name));
  const statusText =
    entry.response.statusText === undefined || entry.response.statusText === '' ? '' : ` ${entry.response.statusText}`;
  const status = `# recorded answer (${entry._id}): HTTP ${entry.response.status}${statusText}`;
  return [status, ...shown.map((h) => `#   ${h.name}: ${h.value}`)].map(comment).join('\n');
}

/** Outbound exchanges the finding cites, in the order it cites them; inbound webhooks are the platform's to send. */
function citedRequests(finding: Finding, byId: ReadonlyMap<string, HarEntryView>): HarEntryView[] {
  return [...new Set(finding.evidence)]
    .map((id) => byId.get(id))
    .filter((e): e is HarEntryView => e !== undefined && (e._direction === undefined || e._direction === 'outbound'));
}

/** The first few exchanges of each cohort, so a script shows subject and reference side by side. */
function fewPerCohort(entries: readonly HarEntryView[]): HarEntryView[] {
  const taken = new Map<string, number>();
  return entries.filter((e) => {
    const n = taken.get(e._cohort ?? '') ?? 0;
    taken.set(e._cohort ?? '', n + 1);
    return n < PER_COHORT;
  });
}

function fileNameOf(finding: Finding): string {
  const parts = [finding.checkId, finding.cohort ?? 'all', ...(finding.variant === undefined ? [] : [finding.variant])];
  return `repro/${parts.map((p) => p.replace(/[^A-Za-z0-9._-]+/g, '_')).join('-')}.sh`;
}

function script(finding: Finding, entries: readonly HarEntryView[], total: number): string {
  const envs = [...new Set(entries.map((e) => tokenEnv(e._cohort)))];
  const base = entries.map((e) => origin(e.request.url)).find((o) => o !== null) ?? 'http://127.0.0.1';
  const more = total > entries.length ? `# ${total - entries.length} more cited exchanges are in exchanges.har.` : '';
  const lines = [
    '#!/bin/sh',
    comment(`# Reproduces ${findingName(finding)}: the requests of its evidence, rebuilt from exchanges.har.`),
    `# Set ${envs.join(', ')} to the access token of that cohort (tokens are never recorded), and BASE_URL to the target.`,
    ...(more === '' ? [] : [more]),
    `BASE_URL="\${BASE_URL:-${base}}"`,
    ...entries.flatMap((e) => ['', recordedAnswer(e), curlCommand(e)]),
  ];
  return `${lines.join('\n')}\n`;
}

/** A reproduction for every failing finding that cites at least one outbound request. */
export function reproductions(view: BundleView): Repro[] {
  const byId = new Map(view.har.log.entries.map((e) => [e._id, e] as const));
  const seen = new Set<string>();
  return view.results.findings.flatMap((finding) => {
    if (finding.verdict !== 'fail') return [];
    const cited = citedRequests(finding, byId);
    const fileName = fileNameOf(finding);
    if (cited.length === 0 || seen.has(fileName)) return [];
    seen.add(fileName);
    return [{ finding, fileName, script: script(finding, fewPerCohort(cited), cited.length) }];
  });
}

/**
 * A finding in plain words, built from its measurements: who, what, how much, against whom. The same
 * text goes to the console, report.html and report.md; a family this file does not know falls back to
 * the finding's own summary, so a new check still reads well.
 */
import type { CohortInfo, Finding, JsonObject, JsonValue, Reference } from '../core/types.js';
import { formatNumber } from './format.js';

type Names = (id: string | null) => string;

/** A cohort id → the label people read, without a trailing "(reference)"/"(subject)" that repeats the role. */
export function cohortNamer(cohorts: readonly CohortInfo[]): Names {
  return (id) => {
    const cohort = cohorts.find((c) => c.id === id);
    if (cohort === undefined) return id ?? 'every cohort';
    return cohort.label.replace(new RegExp(`\\s*\\(${cohort.role}\\)$`, 'i'), '');
  };
}

function obj(value: JsonValue | undefined): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
}

function num(value: JsonValue | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** `{reference, subject}` numbers of a measurement, or null. */
function pair(m: JsonObject, key: string): { reference: number; subject: number } | null {
  const p = obj(m[key]);
  const reference = num(p?.['reference']);
  const subject = num(p?.['subject']);
  return reference === null || subject === null ? null : { reference, subject };
}

function pct(value: number): string {
  const abs = Math.abs(value);
  return `${abs >= 10 ? Math.round(abs) : Math.round(abs * 10) / 10}%`;
}

/** Three significant digits for measured values (8.35 ms, 14.2/s); integers stay whole. */
function short(value: number): string {
  return Number.isInteger(value) || Math.abs(value) >= 1000
    ? String(Math.round(value))
    : String(Number(value.toPrecision(3)));
}

function money(amount: number, currency: string | null): string {
  return `${currency ?? ''} ${formatNumber(amount)}`.trim();
}

/** What is timed, per latency check: the subject of "take N% longer …". */
function latencyThing(f: Finding, who: string): string {
  if (f.checkId === 'PAR-LAT-002') return `${who}'s incoming messages take`;
  if (f.checkId === 'PAR-LAT-003')
    return `${who}'s${f.variant === undefined ? '' : ` "${f.variant}"`} status callbacks take`;
  const kind = f.variant === undefined ? 'messages' : `${f.variant} messages`;
  return `${who}'s ${kind} take`;
}

const LATENCY_VERB: Record<string, string> = {
  'PAR-LAT-001': 'to send',
  'PAR-LAT-002': 'to arrive',
  'PAR-LAT-003': 'to arrive',
};

function latency(f: Finding, who: string, whom: string): string | null {
  const median = pair(f.measurements, 'medianMs');
  if (median === null) return null;
  const shiftPct = num(obj(f.measurements['shift'])?.['estimatePct']);
  const change =
    shiftPct ?? (median.reference > 0 ? (100 * (median.subject - median.reference)) / median.reference : 0);
  const how = change >= 0 ? `${pct(change)} longer` : `${pct(change)} less time`;
  const medians = `median ${short(median.subject)} ms vs ${short(median.reference)} ms`;
  const sentence = `${latencyThing(f, who)} ${how} ${LATENCY_VERB[f.checkId] ?? ''} than ${whom}'s (${medians})`;
  if (f.verdict !== 'inconclusive') return sentence.replace(/ {2,}/g, ' ');
  const mde = num(f.measurements['mdePct']);
  const more = mde === null ? '' : `: the smallest difference this many samples can show is ${pct(mde)}`;
  return `${sentence}; not yet decisive${more}`.replace(/ {2,}/g, ' ');
}

function fee(f: Finding, who: string, whom: string): string | null {
  const perMessage = pair(f.measurements, 'perMessage');
  if (perMessage === null) return null;
  const currency = typeof f.measurements['currency'] === 'string' ? f.measurements['currency'] : null;
  const pays = (amount: number): string =>
    amount > 0 ? `pays ${money(amount, currency)} per message` : 'pays nothing';
  return `${who} ${pays(perMessage.subject)}; ${whom} ${pays(perMessage.reference)}`;
}

function freeTier(f: Finding, who: string, whom: string): string | null {
  const onset = obj(f.measurements['onset']);
  const sub = obj(onset?.['subject']);
  const ref = obj(onset?.['reference']);
  if (sub === null || ref === null) return null;
  const perMessage = num(sub['perMessage']);
  const threshold = num(sub['threshold']);
  const currency = typeof sub['currency'] === 'string' ? sub['currency'] : null;
  if (perMessage === null) return `${who} was not charged within ${formatNumber(num(sub['accepted']) ?? 0)} messages`;
  const after = threshold === null ? '' : ` after ${formatNumber(threshold)} messages`;
  const refThreshold = num(ref['threshold']);
  const refText =
    refThreshold === null
      ? `${whom} was not charged within ${formatNumber(num(ref['accepted']) ?? 0)} messages`
      : `${whom} is charged after ${formatNumber(refThreshold)} free messages`;
  return `${who} is charged ${money(perMessage, currency)} per message${after}; ${refText}`;
}

function rate(estimate: JsonObject | null): number | null {
  return num(obj(estimate?.['rate'])?.['estimate']);
}

function throughput(f: Finding, who: string, whom: string): string | null {
  const estimates = obj(f.measurements['estimates']);
  const sub = obj(estimates?.['subject']);
  const ref = obj(estimates?.['reference']);
  if (sub === null || ref === null) return null;
  const refAchieved = num(ref['achievedRps']);
  const refText =
    rate(ref) !== null
      ? `${whom} is throttled at ${short(rate(ref) ?? 0)}/s`
      : `${whom} got ${short(refAchieved ?? 0)}/s without being throttled`;
  if (f.variant === 'burst') {
    const burst = num(obj(sub['burst'])?.['estimate']);
    return burst === null ? null : `${who} may burst only ${short(burst)} requests; ${refText}`;
  }
  const subRate = rate(sub);
  if (subRate === null)
    return `${who} was never throttled at ${formatNumber(num(sub['offeredRps']) ?? 0)} requests/s; ${refText}`;
  return `${who} is throttled to ${short(subRate)} requests/s; ${refText}`;
}

/** `15 requests per 1 s`, or null when the policy has no quota. */
function quota(policy: JsonValue | undefined): string | null {
  const p = obj(policy);
  const q = num(p?.['quota']);
  const w = num(p?.['windowSec']);
  return q === null ? null : `${formatNumber(q)} requests${w === null ? '' : ` per ${formatNumber(w)} s`}`;
}

/** The first advertised policy whose quota differs between the cohorts. */
function differingPolicy(f: Finding): { key: string; sub: string | null; ref: string | null } | null {
  const adv = obj(f.measurements['advertised']);
  const sub = obj(obj(adv?.['subject'])?.['policies']);
  const ref = obj(obj(adv?.['reference'])?.['policies']);
  if (sub === null || ref === null) return null;
  const key = Object.keys(sub).find((k) => quota(sub[k]) !== quota(ref[k]) && quota(sub[k]) !== null);
  return key === undefined ? { key: '', sub: null, ref: null } : { key, sub: quota(sub[key]), ref: quota(ref[key]) };
}

function advertised(f: Finding, who: string, whom: string): string | null {
  const found = differingPolicy(f);
  if (found === null) return null;
  if (found.sub === null) return `the platform advertises the same rate limits to ${who} and ${whom}`;
  return `the platform advertises ${who} a limit of ${found.sub}; ${whom} gets ${found.ref ?? 'no limit'} (${found.key})`;
}

function errorRate(f: Finding, who: string, whom: string): string | null {
  const rates = pair(f.measurements, 'errorRate');
  if (rates === null) return null;
  return `${pct(rates.subject * 100)} of ${who}'s messages fail; ${pct(rates.reference * 100)} of ${whom}'s`;
}

/** What refused a capability, per capability, grouped by the answer: `a, b (131051: Unsupported)`. */
function refusedCapabilities(f: Finding): Map<string, string[]> {
  const matrix = obj(f.measurements['matrix']);
  const isOk = (value: JsonValue | undefined): boolean => value === 'ok' || value === 'delivered' || value === true;
  const byAnswer = new Map<string, string[]>();
  for (const [capability, row] of Object.entries(matrix ?? {})) {
    const cells = obj(row);
    if (cells === null || !isOk(cells[f.reference ?? '']) || isOk(cells[f.cohort ?? ''])) continue;
    const answer = String(cells[f.cohort ?? ''] ?? 'missing');
    byAnswer.set(answer, [...(byAnswer.get(answer) ?? []), capability]);
  }
  return byAnswer;
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function features(f: Finding, who: string, whom: string): string | null {
  if (obj(f.measurements['matrix']) === null || f.cohort === null || f.reference === null) return null;
  const refused = [...refusedCapabilities(f)].map(([answer, capabilities]) => `${list(capabilities)} (${answer})`);
  const isInbound = f.checkId === 'PAR-FEAT-002';
  if (refused.length === 0) return `${who} may use everything ${whom} may use`;
  return `${who} ${isInbound ? 'does not receive' : 'is refused'} ${refused.join('; ')}; ${whom} ${isInbound ? 'receives' : 'may use'} all of them`;
}

function policy(f: Finding, who: string, whom: string): string | null {
  const rejections = pair(f.measurements, 'rejections');
  const answered = pair(f.measurements, 'answered');
  if (rejections === null || answered === null) return null;
  const codes = Object.keys(obj(obj(f.measurements['codes'])?.['subject']) ?? {});
  const code = codes.length === 0 ? '' : ` (error ${codes.join(', ')})`;
  const refText = rejections.reference === 0 ? `${whom} was never refused` : `${whom} ${rejections.reference} times`;
  return `the platform refused ${rejections.subject} of ${answered.subject} messages from ${who}${code}; ${refText}`;
}

const FAMILIES: Array<[RegExp, (f: Finding, who: string, whom: string) => string | null]> = [
  [/^PAR-LAT-/, latency],
  [/^PAR-FEE-001$/, fee],
  [/^PAR-FEE-002$/, freeTier],
  [/^PAR-RL-001$/, advertised],
  [/^PAR-RL-002$/, throughput],
  [/^PAR-ERR-/, errorRate],
  [/^PAR-FEAT-/, features],
  [/^PAR-POL-/, policy],
];

/** Capitalises a sentence's first word, but never a cohort id such as `assistant`. */
function capitalise(text: string, names: readonly string[]): string {
  if (names.some((name) => text.startsWith(name))) return text;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The first sentence of a summary, without its full stop: the fallback for families built elsewhere. */
function firstSentence(summary: string): string {
  const end = summary.search(/\.\s+[A-Z]/);
  return (end < 0 ? summary : summary.slice(0, end)).replace(/\.$/, '');
}

/** What a finding found, in one sentence without its id: from the measurements, else the summary. */
export function plainSentence(finding: Finding, cohorts: readonly CohortInfo[]): string {
  const name = cohortNamer(cohorts);
  const family = FAMILIES.find(([pattern]) => pattern.test(finding.checkId));
  const built = family?.[1](finding, name(finding.cohort), name(finding.reference)) ?? null;
  return capitalise(built ?? firstSentence(finding.summary), [name(finding.cohort), name(finding.reference)]);
}

/** True for references that are law or a decision (DMA, the Commission), not an API or protocol spec. */
export function isLegalReference(reference: Reference): boolean {
  return !/\b(API|specification|RFC|IETF)\b/i.test(reference.source);
}

/** The legal basis as one short phrase: `DMA Art. 6(5), Art. 6(7); EC interim measures 2026-06-09`. */
export function legalBasis(references: readonly Reference[]): string {
  const bySource = new Map<string, string[]>();
  for (const reference of references.filter(isLegalReference)) {
    const source = reference.source.replace(/\s*\([^)]*\)$/, '');
    bySource.set(source, [...(bySource.get(source) ?? []), reference.clause]);
  }
  return [...bySource].map(([source, clauses]) => `${source} ${clauses.join(', ')}`).join('; ');
}

/** The check id as a plain line cites it: `PAR-LAT-001 text`. */
export function citation(finding: Finding): string {
  return finding.variant === undefined ? finding.checkId : `${finding.checkId} ${finding.variant}`;
}

/** One plain line: sentence, check id and legal basis, e.g. "X pays EUR 0.0572 per message; Y pays nothing — PAR-FEE-001 (DMA Art. 6(7))." */
export function plainLine(finding: Finding, cohorts: readonly CohortInfo[]): string {
  const basis = legalBasis(finding.references);
  return `${plainSentence(finding, cohorts)} — ${citation(finding)}${basis === '' ? '' : ` (${basis})`}.`;
}

/** The findings a reader must see first: every failure, in results order. */
export function violations(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.verdict === 'fail');
}

function keyLatency(m: JsonObject): string | null {
  const median = pair(m, 'medianMs');
  if (median === null) return null;
  const shiftPct = num(obj(m['shift'])?.['estimatePct']);
  const sign = shiftPct === null ? '' : `${shiftPct >= 0 ? '+' : '−'}${pct(shiftPct)} `;
  return `${sign}median ${short(median.subject)} vs ${short(median.reference)} ms`;
}

function keyThroughput(f: Finding): string | null {
  const estimates = obj(f.measurements['estimates']);
  const sub = obj(estimates?.['subject']);
  const ref = obj(estimates?.['reference']);
  if (f.variant === 'burst') {
    const burst = num(obj(sub?.['burst'])?.['estimate']);
    return burst === null ? null : `burst ${short(burst)} requests`;
  }
  const value = (e: JsonObject | null): string => short(rate(e) ?? num(e?.['achievedRps']) ?? 0);
  return sub === null ? null : `${value(sub)} vs ${value(ref)} requests/s`;
}

/** The one number a table row shows for a finding (e.g. `+29% median 8.35 vs 6.46 ms`), or null. */
export function keyNumber(finding: Finding): string | null {
  const m = finding.measurements;
  if (/^PAR-LAT-/.test(finding.checkId)) return keyLatency(m);
  if (finding.checkId === 'PAR-RL-002') return keyThroughput(finding);
  const perMessage = pair(m, 'perMessage');
  const currency = typeof m['currency'] === 'string' ? m['currency'] : null;
  const price = (amount: number): string => (amount > 0 ? money(amount, currency) : 'nothing');
  if (perMessage !== null) return `${price(perMessage.subject)} vs ${price(perMessage.reference)} per message`;
  if (finding.checkId === 'PAR-RL-001') {
    const found = differingPolicy(finding);
    if (found !== null && found.sub !== null) {
      const [subCount, ...unit] = found.sub.split(' ');
      const [refCount, ...refUnit] = (found.ref ?? '').split(' ');
      const isSameUnit = unit.join(' ') === refUnit.join(' ');
      return isSameUnit
        ? `advertised ${subCount} vs ${refCount} ${unit.join(' ')}`
        : `advertised ${found.sub} vs ${found.ref ?? 'no limit'}`;
    }
  }
  const onset = obj(obj(m['onset'])?.['subject']);
  const onsetPrice = num(onset?.['perMessage']);
  if (onset !== null && onsetPrice !== null) {
    const threshold = num(onset['threshold']);
    const c = typeof onset['currency'] === 'string' ? onset['currency'] : null;
    return `${money(onsetPrice, c)} per message${threshold === null ? '' : ` after ${formatNumber(threshold)}`}`;
  }
  const rates = pair(m, 'errorRate');
  if (rates !== null) return `${pct(rates.subject * 100)} vs ${pct(rates.reference * 100)} failed`;
  const rejections = pair(m, 'rejections');
  if (rejections !== null) return `${rejections.subject} vs ${rejections.reference} refused`;
  if (/^PAR-FEAT-/.test(finding.checkId) && obj(m['matrix']) !== null) {
    const refused = [...refusedCapabilities(finding).values()].flat().length;
    return refused === 0
      ? 'nothing refused'
      : `${refused} refused: ${list([...refusedCapabilities(finding).values()].flat())}`;
  }
  return null;
}

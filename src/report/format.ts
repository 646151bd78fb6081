/** Formatting shared by every reporter: names, ordering and number display. Reporters never count or decide. */
import type { Finding, JsonObject, JsonValue, Results, Vantage, Verdict } from '../core/types.js';

/** `checkId [cohort] (variant) @vantage`, the name a finding has in every format (JUnit testcase name too). */
export function findingName(finding: Finding): string {
  const cohort = finding.cohort === null ? '' : ` [${finding.cohort}]`;
  const variant = finding.variant === undefined ? '' : ` (${finding.variant})`;
  const vantage = finding.vantage === undefined ? '' : ` @${finding.vantage}`;
  return `${finding.checkId}${cohort}${variant}${vantage}`;
}

/** "Vantage: de-fra (country=DE, asn=AS3320)", or the vantage points a merged bundle pools; null for neither. */
export function vantageLine(run: Results['run']): string | null {
  const describe = (v: Vantage): string => {
    const meta = Object.entries(v).filter(([key]) => key !== 'name');
    return meta.length === 0 ? v.name : `${v.name} (${meta.map(([k, value]) => `${k}=${value}`).join(', ')})`;
  };
  if (run.kind === 'merged')
    return `Merged from ${run.sources?.length ?? 0} vantage points: ${(run.sources ?? []).map((s) => describe(s.vantage)).join('; ')}`;
  return run.vantage === undefined ? null : `Vantage: ${describe(run.vantage)}`;
}

/** Most urgent first: what to fix, then what broke, then what to look at. */
export const VERDICT_ORDER: readonly Verdict[] = ['fail', 'error', 'warn', 'inconclusive', 'skip', 'pass'];

/** Findings ordered by urgency; ties keep their order in results.json, so output is stable. */
export function byUrgency(findings: readonly Finding[]): Finding[] {
  const rank = (finding: Finding): number => VERDICT_ORDER.indexOf(finding.verdict);
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => rank(a.finding) - rank(b.finding) || a.index - b.index)
    .map(({ finding }) => finding);
}

/** The reason a skipped or errored finding carries, else null. */
export function findingReason(finding: Finding): string | null {
  return finding.verdict === 'skip' || finding.verdict === 'error' ? finding.reason : null;
}

/** A number as people read it: 3 decimals from 1 up, 3 significant digits below (fees like 0.0572), tiny p-values in scientific notation. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1) return String(Math.round(value * 1000) / 1000);
  if (magnitude >= 0.0001) return String(Number(value.toPrecision(3)));
  return value.toExponential(2);
}

/** Any measurement value as one line of text. */
export function formatValue(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(formatValue).join(', ');
  const entries = Object.entries(value);
  return entries.length === 0 ? '—' : entries.map(([key, inner]) => `${key} ${formatValue(inner)}`).join(', ');
}

/** A measurement compared across cohorts: expected = the reference's value, observed = the subject's. */
export interface Comparison {
  metric: string;
  expected: JsonValue;
  observed: JsonValue;
}

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `{reference, subject}` pairs of a finding's measurements (medianMs, p95Ms, n, …), in recorded order. */
export function comparisons(measurements: JsonObject): Comparison[] {
  return Object.entries(measurements).flatMap(([metric, value]) =>
    isJsonObject(value) && 'reference' in value && 'subject' in value
      ? [{ metric, expected: value['reference'] ?? null, observed: value['subject'] ?? null }]
      : [],
  );
}

/** Measurements that are not reference/subject pairs and have no dedicated table. */
export function otherMeasurements(measurements: JsonObject, skip: readonly string[]): Array<[string, JsonValue]> {
  const paired = new Set(comparisons(measurements).map((c) => c.metric));
  return Object.entries(measurements).filter(([key]) => !paired.has(key) && !skip.includes(key));
}

/** The shift estimate of a latency finding (`shift {estimateMs, ciLowMs, ciHighMs}`), if it has one. */
export function latencyShift(
  measurements: JsonObject,
): { estimateMs: number; ciLowMs: number; ciHighMs: number } | null {
  const shift = measurements['shift'];
  if (!isJsonObject(shift)) return null;
  const { estimateMs, ciLowMs, ciHighMs } = shift;
  if (typeof estimateMs !== 'number' || typeof ciLowMs !== 'number' || typeof ciHighMs !== 'number') return null;
  return { estimateMs, ciLowMs, ciHighMs };
}

/** True for findings that carry latency measurements (results.json names `medianMs` and `shift`). */
export function isLatencyFinding(finding: Finding): boolean {
  return isJsonObject(finding.measurements['medianMs']) || latencyShift(finding.measurements) !== null;
}

/** The equivalence margin in ms: `equivalence.marginMs` when recorded, else `marginPct` (or `tost.marginPct`) of the reference median. */
export function marginMs(measurements: JsonObject): number | null {
  const equivalence = measurements['equivalence'];
  if (isJsonObject(equivalence) && typeof equivalence['marginMs'] === 'number') return equivalence['marginMs'];
  const tost = measurements['tost'];
  const median = measurements['medianMs'];
  const pct =
    isJsonObject(tost) && typeof tost['marginPct'] === 'number' ? tost['marginPct'] : measurements['marginPct'];
  const reference = isJsonObject(median) ? median['reference'] : undefined;
  return typeof pct === 'number' && typeof reference === 'number' ? (reference * pct) / 100 : null;
}

/** Reference text as it appears everywhere: `DMA Art. 6(7)`. */
export function referenceText(reference: { source: string; clause: string }): string {
  return `${reference.source} ${reference.clause}`;
}

/** `compare`: what changed between two runs — verdict by verdict, number by number. */
import type { Finding, JsonValue, Results, Verdict } from '../core/types.js';
import { readResultsFile } from './bundle/index.js';
import { findingKey } from './verify-recompute.js';

/** One numeric measurement in both runs; null where a run lacks it. */
export interface MeasurementChange {
  /** Dotted path inside `measurements`, e.g. `medianMs.subject` or `shift.estimateMs`. */
  name: string;
  before: number | null;
  after: number | null;
  /** after − before, when both exist. */
  delta: number | null;
}

/** How a verdict moved: worse means further towards `fail` (see VERDICT_RANK). */
export type VerdictChange = 'same' | 'better' | 'worse' | 'changed';

/** A finding present in both runs. */
export interface FindingChange {
  key: string;
  checkId: string;
  cohort: string | null;
  variant: string | null;
  before: Verdict;
  after: Verdict;
  change: VerdictChange;
  measurements: MeasurementChange[];
}

/** A finding present in only one run. */
export interface LoneFinding {
  key: string;
  checkId: string;
  cohort: string | null;
  variant: string | null;
  verdict: Verdict;
}

/** The comparison of a baseline run with a current run. */
export interface Comparison {
  baseline: { dir: string; runId: string; startedAt: string };
  current: { dir: string; runId: string; startedAt: string };
  findings: FindingChange[];
  onlyInBaseline: LoneFinding[];
  onlyInCurrent: LoneFinding[];
  /** Some verdict got worse, or a new finding fails or errors: `compare` exits 1. */
  isWorse: boolean;
}

/**
 * Severity order for "got worse". `skip` ranks with `pass`: a check that stops running loses
 * coverage but is not a violation, and CI should not fail on it.
 */
export const VERDICT_RANK: Record<Verdict, number> = { pass: 0, skip: 0, warn: 1, inconclusive: 2, error: 3, fail: 4 };

/** Compares the results.json of two bundles. */
export async function compareBundles(baselineDir: string, currentDir: string): Promise<Comparison> {
  const [baseline, current] = await Promise.all([readResultsFile(baselineDir), readResultsFile(currentDir)]);
  return compareResults(baseline, current, baselineDir, currentDir);
}

/** Compares two already-read results (the pure part of compareBundles). */
export function compareResults(baseline: Results, current: Results, baselineDir = '', currentDir = ''): Comparison {
  const before = new Map(baseline.findings.map((finding) => [findingKey(finding), finding]));
  const after = new Map(current.findings.map((finding) => [findingKey(finding), finding]));
  const findings: FindingChange[] = [];
  for (const [key, finding] of before) {
    const other = after.get(key);
    if (other !== undefined) findings.push(changeOf(key, finding, other));
  }
  const onlyInBaseline = [...before].filter(([key]) => !after.has(key)).map(([key, finding]) => lone(key, finding));
  const onlyInCurrent = [...after].filter(([key]) => !before.has(key)).map(([key, finding]) => lone(key, finding));
  const isWorse =
    findings.some((f) => f.change === 'worse') ||
    onlyInCurrent.some((f) => f.verdict === 'fail' || f.verdict === 'error');
  return {
    baseline: { dir: baselineDir, runId: baseline.run.id, startedAt: baseline.run.startedAt },
    current: { dir: currentDir, runId: current.run.id, startedAt: current.run.startedAt },
    findings,
    onlyInBaseline,
    onlyInCurrent,
    isWorse,
  };
}

function changeOf(key: string, before: Finding, after: Finding): FindingChange {
  const rankBefore = VERDICT_RANK[before.verdict];
  const rankAfter = VERDICT_RANK[after.verdict];
  const change: VerdictChange =
    before.verdict === after.verdict
      ? 'same'
      : rankAfter > rankBefore
        ? 'worse'
        : rankAfter < rankBefore
          ? 'better'
          : 'changed';
  return {
    ...identity(key, before),
    before: before.verdict,
    after: after.verdict,
    change,
    measurements: measurementChanges(before, after),
  };
}

function lone(key: string, finding: Finding): LoneFinding {
  return { ...identity(key, finding), verdict: finding.verdict };
}

function identity(
  key: string,
  finding: Finding,
): { key: string; checkId: string; cohort: string | null; variant: string | null } {
  return { key, checkId: finding.checkId, cohort: finding.cohort, variant: finding.variant ?? null };
}

/** Every numeric leaf of either run's measurements, in the order the baseline lists them. */
export function measurementChanges(before: Finding, after: Finding): MeasurementChange[] {
  const a = numericLeaves(before.measurements, '');
  const b = numericLeaves(after.measurements, '');
  const names = [...new Set([...a.keys(), ...b.keys()])];
  return names.map((name) => {
    const x = a.get(name) ?? null;
    const y = b.get(name) ?? null;
    return { name, before: x, after: y, delta: x !== null && y !== null ? y - x : null };
  });
}

function numericLeaves(value: JsonValue, prefix: string, out = new Map<string, number>()): Map<string, number> {
  if (typeof value === 'number' && Number.isFinite(value)) out.set(prefix, value);
  else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value))
      numericLeaves(child, prefix === '' ? key : `${prefix}.${key}`, out);
  }
  return out;
}

/** The measurements a reader looks at first; others are shown only when nothing here applies. */
const HEADLINE = ['medianMs.reference', 'medianMs.subject', 'p95Ms.reference', 'p95Ms.subject', 'shift.estimateMs'];
const MAX_OTHER_MEASUREMENTS = 5;

/** A plain-text table of the comparison (no colours: the CLI decides on those). */
export function formatComparison(comparison: Comparison): string {
  const { baseline, current } = comparison;
  const lines = [
    `baseline ${baseline.runId} (${baseline.startedAt})  ->  current ${current.runId} (${current.startedAt})`,
    '',
  ];
  const rows = comparison.findings.map((f) => [
    f.checkId,
    f.cohort ?? '-',
    f.variant ?? '-',
    f.before,
    f.after,
    f.change,
  ]);
  const widths = columnWidths([['check', 'cohort', 'variant', 'before', 'after', 'change'], ...rows]);
  lines.push(row(['check', 'cohort', 'variant', 'before', 'after', 'change'], widths));
  comparison.findings.forEach((finding, index) => {
    lines.push(row(rows[index] ?? [], widths));
    for (const m of shownMeasurements(finding.measurements))
      lines.push(
        `    ${m.name}: ${num(m.before)} -> ${num(m.after)}${m.delta === null ? '' : ` (${signed(m.delta)})`}`,
      );
  });
  for (const [label, lone] of [
    ['only in baseline', comparison.onlyInBaseline],
    ['only in current', comparison.onlyInCurrent],
  ] as const) {
    if (lone.length > 0)
      lines.push(
        '',
        `${label}:`,
        ...lone.map((f) => `  ${f.checkId} ${f.cohort ?? '-'} ${f.variant ?? '-'}: ${f.verdict}`),
      );
  }
  lines.push('', tally(comparison));
  return `${lines.join('\n')}\n`;
}

function shownMeasurements(measurements: MeasurementChange[]): MeasurementChange[] {
  const headline = measurements.filter((m) => HEADLINE.includes(m.name));
  if (headline.length > 0) return headline;
  return measurements.filter((m) => m.delta !== 0).slice(0, MAX_OTHER_MEASUREMENTS);
}

function tally(comparison: Comparison): string {
  const count = (change: VerdictChange): number => comparison.findings.filter((f) => f.change === change).length;
  const verdict = comparison.isWorse ? 'WORSE' : 'not worse';
  const moves = `${count('worse')} worse, ${count('better')} better, ${count('changed')} changed, ${count('same')} same`;
  return `${comparison.findings.length} findings compared: ${moves}; ${verdict}`;
}

function columnWidths(rows: string[][]): number[] {
  return rows.reduce<number[]>((widths, cells) => cells.map((cell, i) => Math.max(widths[i] ?? 0, cell.length)), []);
}

function row(cells: string[], widths: number[]): string {
  return cells
    .map((cell, i) => cell.padEnd(widths[i] ?? 0))
    .join('  ')
    .trimEnd();
}

function num(value: number | null): string {
  return value === null ? '-' : String(Number(value.toPrecision(4)));
}

function signed(value: number): string {
  return value > 0 ? `+${num(value)}` : num(value);
}

/**
 * The console summary, headline first: the verdict, one plain line per violation, then one short row
 * per finding (≤ 100 columns). `isVerbose` adds the full summaries, the feature matrix and the fee
 * table. Colour comes in as `paint` (the CLI builds it with chalk); this file prints plain text by default.
 */
import type { Finding, Results, Verdict } from '../core/types.js';
import { byUrgency, vantageLine, VERDICT_ORDER } from './format.js';
import { keyNumber, plainLine, violations } from './plain.js';

/** How the console colours text; every function returns its input unchanged by default. */
export interface ConsolePaint {
  verdict: (verdict: Verdict, text: string) => string;
  bold: (text: string) => string;
  dim: (text: string) => string;
}

/** No colour at all: for files, pipes and tests. */
export const PLAIN_PAINT: ConsolePaint = { verdict: (_v, text) => text, bold: (text) => text, dim: (text) => text };

export interface ConsoleOptions {
  /** Terminal width; the short table fits min(width, 100) columns, verbose summaries wrap at it. */
  width?: number;
  /** Print today's full summaries, the feature matrix and the fee table after the short table. */
  isVerbose?: boolean;
  /** Colours; none by default. */
  paint?: ConsolePaint;
}

const HEADLINE: Record<0 | 1 | 3, string> = {
  0: 'NO VIOLATION FOUND',
  1: 'VIOLATIONS FOUND',
  3: 'NO VIOLATION FOUND, BUT NOT EVERYTHING WAS DECIDED',
};

/** The verdict line and the counts line. */
function headline(results: Results, paint: ConsolePaint): string[] {
  const { summary, run } = results;
  const failed = summary.byVerdict.fail ?? 0;
  const verdict: Verdict = summary.exitCode === 1 ? 'fail' : summary.exitCode === 0 ? 'pass' : 'inconclusive';
  const scope = `${run.target.name}${run.target.scenario === undefined ? '' : ` (${run.target.scenario})`}`;
  const interrupted = run.status === 'interrupted' ? ' (interrupted)' : '';
  const what = failed > 0 ? `: ${failed} of ${summary.total} findings fail` : '';
  const counts = VERDICT_ORDER.filter((v) => (summary.byVerdict[v] ?? 0) > 0)
    .map((v) => paint.verdict(v, `${summary.byVerdict[v]} ${v}`))
    .join(' · ');
  return [
    paint.bold(`dma-audit — ${paint.verdict(verdict, HEADLINE[summary.exitCode] ?? '')}${what}${interrupted}`),
    paint.dim(`${scope} · ${counts || 'no findings'}`),
    ...(vantageLine(run) === null ? [] : [paint.dim(vantageLine(run) ?? '')]),
  ];
}

/** `assistant/text`, or `—` for a finding about no cohort. */
export function cohortOf(finding: Finding): string {
  if (finding.cohort === null) return '—';
  return finding.variant === undefined ? finding.cohort : `${finding.cohort}/${finding.variant}`;
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width);
}

/** One row per finding: check, cohort/variant, verdict, the key number; most urgent first. */
function shortTable(results: Results, width: number, paint: ConsolePaint): string[] {
  const findings = byUrgency(results.findings);
  const idWidth = Math.max(5, ...findings.map((f) => f.checkId.length));
  const cohortWidth = Math.min(24, Math.max(6, ...findings.map((f) => cohortOf(f).length)));
  const keyWidth = Math.max(20, Math.min(width, 100) - idWidth - cohortWidth - 12 - 6);
  const rows = findings.map((f) => {
    const key = keyNumber(f) ?? f.summary;
    const verdict = paint.verdict(f.verdict, f.verdict.toUpperCase().padEnd(12));
    return `${f.checkId.padEnd(idWidth)}  ${fit(cohortOf(f), cohortWidth)}  ${verdict}  ${fit(key, keyWidth).trimEnd()}`;
  });
  const header = `${'check'.padEnd(idWidth)}  ${'cohort'.padEnd(cohortWidth)}  ${'verdict'.padEnd(12)}  key number`;
  return [paint.dim(header), ...rows];
}

/** Renders the console summary for a terminal: verdict, violations in plain words, the short table, the bundle path. */
export function renderConsole(results: Results, bundleDir: string, options: ConsoleOptions = {}): string {
  const paint = options.paint ?? PLAIN_PAINT;
  const width = options.width ?? 100;
  const found = violations(results.findings).map(
    (f) => `${paint.verdict('fail', '✗')} ${plainLine(f, results.run.cohorts)}`,
  );
  const lines = [
    ...headline(results, paint),
    ...found,
    '',
    ...shortTable(results, width, paint),
    ...(options.isVerbose === true ? verboseLines(results, width, paint) : []),
    '',
    `${results.summary.total} findings: ${countsText(results, paint)}`,
    `evidence bundle: ${bundleDir}`,
  ];
  return `${lines.join('\n')}\n`;
}

function countsText(results: Results, paint: ConsolePaint): string {
  const counts = Object.entries(results.summary.byVerdict)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => paint.verdict(v as Verdict, `${n} ${v}`));
  return counts.join(', ') || 'none';
}

/** Today's full table (wrapped summaries) and the per-check tables, for `--verbose`. */
function verboseLines(results: Results, width: number, paint: ConsolePaint): string[] {
  const rows = results.findings.map((f) => [f.checkId, cohortOf(f), f.verdict, f.summary] as const);
  const idWidth = Math.max(8, ...rows.map((r) => r[0].length));
  const cohortWidth = Math.max(6, ...rows.map((r) => r[1].length));
  const summaryWidth = Math.max(30, width - idWidth - cohortWidth - 18);
  const lines = [
    '',
    paint.dim(`${'check'.padEnd(idWidth)}  ${'cohort'.padEnd(cohortWidth)}  ${'verdict'.padEnd(12)}  summary`),
  ];
  for (const [id, cohort, verdict, summary] of rows) {
    const [first, ...rest] = wrap(summary, summaryWidth);
    lines.push(
      `${id.padEnd(idWidth)}  ${cohort.padEnd(cohortWidth)}  ${paint.verdict(verdict, verdict.toUpperCase().padEnd(12))}  ${first ?? ''}`,
    );
    for (const line of rest) lines.push(`${' '.repeat(idWidth + cohortWidth + 18)}${line}`);
  }
  return [...lines, ...tablesOf(results, paint)];
}

type Matrix = Record<string, Record<string, string>>;
type FeeRow = { messages?: number; charged?: number; amount?: number; currency?: string | null };

/** The feature matrix and the fee table, once per check that measured them (the first finding has them all). */
function tablesOf(results: Results, paint: ConsolePaint): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const finding of results.findings) {
    const { matrix, fees } = finding.measurements as { matrix?: Matrix; fees?: Record<string, FeeRow> };
    if (matrix !== undefined && isObject(matrix) && !seen.has(`${finding.checkId}:matrix`)) {
      seen.add(`${finding.checkId}:matrix`);
      lines.push('', paint.bold(`${finding.checkId} ${finding.title}`), ...matrixTable(matrix, paint));
    }
    if (fees !== undefined && isObject(fees) && !seen.has(`${finding.checkId}:fees`)) {
      seen.add(`${finding.checkId}:fees`);
      lines.push('', paint.bold(`${finding.checkId} ${finding.title}`), ...feeTable(fees, paint));
    }
  }
  return lines;
}

function matrixTable(matrix: Matrix, paint: ConsolePaint): string[] {
  const cohorts = [...new Set(Object.values(matrix).flatMap((row) => Object.keys(row)))];
  const rows = Object.entries(matrix).map(([capability, row]) => [capability, ...cohorts.map((c) => row[c] ?? '—')]);
  return table(['capability', ...cohorts], rows, paint, (cell, column) =>
    column === 0 ? cell : paint.verdict(['ok', 'delivered'].includes(cell.trim()) ? 'pass' : 'fail', cell),
  );
}

function feeTable(fees: Record<string, FeeRow>, paint: ConsolePaint): string[] {
  const rows = Object.entries(fees).map(([cohort, row]) => [
    cohort,
    String(row.messages ?? '—'),
    String(row.charged ?? '—'),
    row.amount === undefined ? '—' : `${row.amount.toFixed(4)} ${row.currency ?? ''}`.trim(),
  ]);
  return table(['cohort', 'messages', 'charged', 'amount'], rows, paint, (cell) => cell);
}

/** A plain aligned table; `colour` paints a cell after it is padded. */
function table(
  header: string[],
  rows: string[][],
  paint: ConsolePaint,
  colour: (cell: string, column: number) => string,
): string[] {
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const pad = (cell: string, i: number): string => fit(cell, widths[i] ?? 0);
  return [
    paint.dim(header.map(pad).join('  ')),
    ...rows.map((row) => row.map((cell, i) => colour(pad(cell, i), i)).join('  ')),
  ];
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

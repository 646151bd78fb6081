/** The console summary: a table of findings (check, cohort, verdict, one line) and where the bundle is. */
import chalk from 'chalk';
import type { Finding, Results, Verdict } from '../core/types.js';
import { vantageLine } from './format.js';

const COLOURS: Record<Verdict, (text: string) => string> = {
  pass: chalk.green,
  fail: chalk.red.bold,
  warn: chalk.yellow,
  inconclusive: chalk.yellow,
  skip: chalk.dim,
  error: chalk.magenta,
};

export interface ConsoleOptions {
  /** Terminal width to wrap summaries at. */
  width?: number;
}

/** Renders the findings table and totals as text for a terminal. */
export function renderConsole(results: Results, bundleDir: string, options: ConsoleOptions = {}): string {
  const width = options.width ?? 120;
  const rows = results.findings.map((f) => [f.checkId, cohortOf(f), f.verdict, f.summary] as const);
  const idWidth = Math.max(8, ...rows.map((r) => r[0].length));
  const cohortWidth = Math.max(6, ...rows.map((r) => r[1].length));
  const summaryWidth = Math.max(30, width - idWidth - cohortWidth - 18);
  const lines = [
    chalk.bold(
      `dma-audit — ${results.run.target.name}${results.run.status === 'interrupted' ? chalk.yellow(' (interrupted)') : ''}`,
    ),
    ...(vantageLine(results.run) === null ? [] : [vantageLine(results.run) ?? '']),
    '',
    chalk.dim(`${'check'.padEnd(idWidth)}  ${'cohort'.padEnd(cohortWidth)}  ${'verdict'.padEnd(12)}  summary`),
  ];
  for (const [id, cohort, verdict, summary] of rows) {
    const [first, ...rest] = wrap(summary, summaryWidth);
    lines.push(
      `${id.padEnd(idWidth)}  ${cohort.padEnd(cohortWidth)}  ${COLOURS[verdict](verdict.toUpperCase().padEnd(12))}  ${first ?? ''}`,
    );
    for (const line of rest) lines.push(`${' '.repeat(idWidth + cohortWidth + 18)}${line}`);
  }
  lines.push(...tablesOf(results));
  const counts = Object.entries(results.summary.byVerdict)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => COLOURS[v as Verdict](`${n} ${v}`));
  lines.push('', `${results.summary.total} findings: ${counts.join(', ') || 'none'}`, `evidence bundle: ${bundleDir}`);
  return `${lines.join('\n')}\n`;
}

type Matrix = Record<string, Record<string, string>>;
type FeeRow = { messages?: number; charged?: number; amount?: number; currency?: string | null };

/** The feature matrix and the fee table, once per check that measured them (the first finding has them all). */
function tablesOf(results: Results): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const finding of results.findings) {
    const { matrix, fees } = finding.measurements as { matrix?: Matrix; fees?: Record<string, FeeRow> };
    if (matrix !== undefined && isObject(matrix) && !seen.has(`${finding.checkId}:matrix`)) {
      seen.add(`${finding.checkId}:matrix`);
      lines.push('', chalk.bold(`${finding.checkId} ${finding.title}`), ...matrixTable(matrix));
    }
    if (fees !== undefined && isObject(fees) && !seen.has(`${finding.checkId}:fees`)) {
      seen.add(`${finding.checkId}:fees`);
      lines.push('', chalk.bold(`${finding.checkId} ${finding.title}`), ...feeTable(fees));
    }
  }
  return lines;
}

function matrixTable(matrix: Matrix): string[] {
  const cohorts = [...new Set(Object.values(matrix).flatMap((row) => Object.keys(row)))];
  const rows = Object.entries(matrix).map(([capability, row]) => [capability, ...cohorts.map((c) => row[c] ?? '—')]);
  return table(['capability', ...cohorts], rows, (cell, column) =>
    column === 0 ? cell : cell === 'ok' ? chalk.green(cell) : chalk.red(cell),
  );
}

function feeTable(fees: Record<string, FeeRow>): string[] {
  const rows = Object.entries(fees).map(([cohort, row]) => [
    cohort,
    String(row.messages ?? '—'),
    String(row.charged ?? '—'),
    row.amount === undefined ? '—' : `${row.amount.toFixed(4)} ${row.currency ?? ''}`.trim(),
  ]);
  return table(['cohort', 'messages', 'charged', 'amount'], rows, (cell) => cell);
}

/** A plain aligned table; `paint` colours a cell after it is padded. */
function table(header: string[], rows: string[][], paint: (cell: string, column: number) => string): string[] {
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const fit = (cell: string, i: number): string =>
    cell.length > (widths[i] ?? 0) ? `${cell.slice(0, (widths[i] ?? 1) - 1)}…` : cell.padEnd(widths[i] ?? 0);
  return [
    chalk.dim(header.map(fit).join('  ')),
    ...rows.map((row) => row.map((cell, i) => paint(fit(cell, i), i)).join('  ')),
  ];
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function cohortOf(finding: Finding): string {
  return finding.cohort === null
    ? '—'
    : finding.variant === undefined
      ? finding.cohort
      : `${finding.cohort}/${finding.variant}`;
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

/** The console summary: a table of findings (check, cohort, verdict, one line) and where the bundle is. */
import chalk from 'chalk';
import type { Finding, Results, Verdict } from '../types.js';

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
    chalk.bold(`dma-audit — ${results.run.target.name}${results.run.status === 'interrupted' ? chalk.yellow(' (interrupted)') : ''}`),
    '',
    chalk.dim(`${'check'.padEnd(idWidth)}  ${'cohort'.padEnd(cohortWidth)}  ${'verdict'.padEnd(12)}  summary`),
  ];
  for (const [id, cohort, verdict, summary] of rows) {
    const [first, ...rest] = wrap(summary, summaryWidth);
    lines.push(`${id.padEnd(idWidth)}  ${cohort.padEnd(cohortWidth)}  ${COLOURS[verdict](verdict.toUpperCase().padEnd(12))}  ${first ?? ''}`);
    for (const line of rest) lines.push(`${' '.repeat(idWidth + cohortWidth + 18)}${line}`);
  }
  const counts = Object.entries(results.summary.byVerdict).filter(([, n]) => n > 0).map(([v, n]) => COLOURS[v as Verdict](`${n} ${v}`));
  lines.push('', `${results.summary.total} findings: ${counts.join(', ') || 'none'}`, `evidence bundle: ${bundleDir}`);
  return `${lines.join('\n')}\n`;
}

function cohortOf(finding: Finding): string {
  return finding.cohort === null ? '—' : finding.variant === undefined ? finding.cohort : `${finding.cohort}/${finding.variant}`;
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

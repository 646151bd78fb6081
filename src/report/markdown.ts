/**
 * report.md: for READMEs and GitHub job summaries (GitHub Flavored Markdown, https://github.github.com/gfm/).
 * What needs attention comes first, each with its summary and legal basis; then every finding in one table.
 */
import type { Finding, Reference, Verdict } from '../core/types.js';
import { escapeMarkdown as md, safeHttpUrl } from './escape.js';
import {
  vantageLine,
  byUrgency,
  comparisons,
  findingName,
  findingReason,
  formatValue,
  referenceText,
  VERDICT_ORDER,
} from './format.js';
import { plainLine, violations } from './plain.js';
import { reproductions, type Repro } from './repro.js';
import type { BundleView } from './types.js';

const ICONS: Record<Verdict, string> = {
  fail: '❌',
  error: '🛑',
  warn: '⚠️',
  inconclusive: '❔',
  skip: '⏭️',
  pass: '✅',
};
const ATTENTION: ReadonlySet<Verdict> = new Set(['fail', 'error', 'warn', 'inconclusive']);

const OVERALL: Record<0 | 1 | 3, string> = {
  0: 'No violation found: every selected check passed.',
  1: 'Violations found: at least one check failed.',
  3: 'No violation found, but the run was interrupted or some verdicts are inconclusive.',
};

function verdictLabel(verdict: Verdict): string {
  return `${ICONS[verdict] ?? ''} ${verdict}`;
}

function referenceLink(reference: Reference): string {
  const url = safeHttpUrl(reference.url);
  const text = md(referenceText(reference));
  return url === null ? text : `[${text}](${url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
}

function header(view: BundleView): string[] {
  const { run, summary } = view.results;
  const cohorts = run.cohorts.map((c) => `${md(c.label)} (${md(c.id)}, ${md(c.role)})`).join('; ');
  const scenario = run.target.scenario === undefined ? '' : ` · scenario ${md(run.target.scenario)}`;
  return [
    `# dma-audit report: ${md(run.target.name)}`,
    '',
    `**${OVERALL[summary.exitCode] ?? ''}**`,
    '',
    ...violations(view.results.findings).map((f) => `- ❌ ${md(plainLine(f, run.cohorts))}`),
    ...(violations(view.results.findings).length === 0 ? [] : ['']),
    `Run ${md(run.id)} · ${md(run.status)} · seed ${md(run.seed)}${scenario} · ${md(run.startedAt)} to ${md(run.finishedAt)}  `,
    `Cohorts: ${cohorts}`,
    ...(vantageLine(run) === null ? [] : [`  `, md(vantageLine(run) ?? '')]),
    '',
    '| verdict | findings |',
    '|---|---:|',
    ...VERDICT_ORDER.map((v) => `| ${verdictLabel(v)} | ${summary.byVerdict[v] ?? 0} |`),
    `| **total** | **${md(summary.total)}** |`,
    '',
  ];
}

/** A fenced block longer than any backtick run inside, so recorded text cannot close it. */
function fenced(text: string, info: string): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${info}`, text.trimEnd(), fence];
}

function reproduction(repro: Repro | undefined): string[] {
  if (repro === undefined) return [];
  return [`Reproduce (also in the bundle as ${md(repro.fileName)}):`, '', ...fenced(repro.script, 'sh'), ''];
}

function details(finding: Finding, repro?: Repro): string[] {
  const reason = findingReason(finding);
  const compared = comparisons(finding.measurements)
    .map((c) => `${md(c.metric)} ${md(formatValue(c.expected))} → ${md(formatValue(c.observed))}`)
    .join('; ');
  return [
    `### ${verdictLabel(finding.verdict)}: ${md(findingName(finding))}, ${md(finding.title)}`,
    '',
    md(finding.summary),
    '',
    ...(reason === null ? [] : [`- Reason: ${md(reason)}`]),
    ...(compared === '' ? [] : [`- Expected (reference) → observed: ${compared}`]),
    ...(finding.references.length === 0 ? [] : [`- Basis: ${finding.references.map(referenceLink).join(', ')}`]),
    ...(finding.evidence.length === 0
      ? []
      : [
          `- Evidence: ${finding.evidence.length} exchange${finding.evidence.length === 1 ? '' : 's'} in ` +
            `exchanges.har (${md(finding.evidence.slice(0, 5).join(', '))}${finding.evidence.length > 5 ? ', …' : ''})`,
        ]),
    '',
    ...reproduction(repro),
  ];
}

function table(findings: readonly Finding[]): string[] {
  return [
    '## All findings',
    '',
    '| verdict | check | suite | title | summary |',
    '|---|---|---|---|---|',
    ...findings.map(
      (f) =>
        `| ${verdictLabel(f.verdict)} | ${md(findingName(f))} | ${md(f.suite)} | ${md(f.title)} | ${md(f.summary)} |`,
    ),
    '',
  ];
}

/** Renders report.md from the bundle: summary table, then failures first with summaries and references. */
export function renderMarkdown(view: BundleView): string {
  const ordered = byUrgency(view.results.findings);
  const attention = ordered.filter((f) => ATTENTION.has(f.verdict));
  const repros = new Map(reproductions(view).map((r) => [r.finding, r] as const));
  const lines = [
    ...header(view),
    ...(attention.length === 0
      ? []
      : ['## Needs attention', '', ...attention.flatMap((f) => details(f, repros.get(f)))]),
    ...table(ordered),
    'Full report with charts and exchanges: report.html. Recompute every verdict offline: `dma-audit verify <bundle>`.',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * trend.md and trend.html: the verdict timeline of every series, when each violation was first and last seen,
 * and each effect with its interval over time (vega-lite, rendered to inline SVG as in src/report/charts.ts,
 * so the page loads nothing).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { OutputError } from '../core/errors.js';
import { renderSvgs } from '../report/charts.js';
import { escapeHtml, escapeMarkdown as md } from '../report/escape.js';
import type { Trend, TrendSeries } from './trend.js';

const VERDICT_COLOURS: Record<string, string> = {
  fail: '#e03131',
  error: '#9c36b5',
  warn: '#f59f00',
  inconclusive: '#868e96',
  skip: '#ced4da',
  pass: '#2f9e44',
};

const STYLE = [
  'body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem}',
  'table{border-collapse:collapse;margin:1rem 0}',
  'td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}',
  'figure{margin:1.5rem 0}',
].join('');
const VIOLATION_HEAD = ['series', 'first seen', 'last seen', 'runs failing', 'new in latest'];

/** Writes trend.md, trend.html and trend.json into `dir`; returns their paths. */
export async function writeTrend(dir: string, trend: Trend): Promise<string[]> {
  const files = [
    ['trend.md', renderTrendMarkdown(trend)],
    ['trend.html', await renderTrendHtml(trend)],
    ['trend.json', `${JSON.stringify(trend, null, 2)}\n`],
  ] as const;
  try {
    await mkdir(dir, { recursive: true });
    for (const [name, text] of files) await writeFile(join(dir, name), text);
  } catch (error: unknown) {
    throw new OutputError(`cannot write the trend to ${dir}: ${(error as Error).message}`, error);
  }
  return files.map(([name]) => join(dir, name));
}

/** The headline: new violations first (what a daily cron alerts on). */
function headline(trend: Trend): string {
  const fresh = trend.series.filter((s) => s.isNewViolation);
  if (fresh.length > 0) return `New violation in the latest run: ${fresh.map((s) => s.key).join(', ')}`;
  const open = trend.series.filter((s) => s.points.at(-1)?.verdict === 'fail');
  return open.length > 0 ? `No new violation; ${open.length} still failing` : 'No violation in the latest run';
}

/** Markdown: runs, violations with first/last seen, and one verdict row per series. */
export function renderTrendMarkdown(trend: Trend): string {
  const lines = [
    `# dma-audit trend: ${md(trend.target.name)}`,
    '',
    `**${md(headline(trend))}**`,
    '',
    `${trend.runs.length} runs from ${md(trend.runs[0]?.startedAt ?? '')} to ${md(trend.runs.at(-1)?.startedAt ?? '')}.`,
    '',
    '| # | run | started | scenario | vantage | exit |',
    '|---:|---|---|---|---|---:|',
    ...trend.runs.map((r, i) =>
      mdRow([`${i + 1}`, md(r.runId), md(r.startedAt), md(r.scenario ?? ''), md(vantageOf(r)), `${r.exitCode}`]),
    ),
    '',
    '## Violations',
    '',
    ...violationLines(trend),
    '',
    '## Timelines',
    '',
    `| series | ${trend.runs.map((_, i) => `${i + 1}`).join(' | ')} | latest effect |`,
    `|---|${trend.runs.map(() => ':-:').join('|')}|---|`,
    ...trend.series.map((s) => `| ${md(s.key)} | ${cells(trend, s).join(' | ')} | ${md(effectText(s))} |`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function violationLines(trend: Trend): string[] {
  const violated = trend.series.filter((s) => s.violation !== null);
  if (violated.length === 0) return ['None seen in any run.'];
  return [
    '| series | first seen | last seen | runs failing | new in latest |',
    '|---|---|---|---:|---|',
    ...violated.map((s) =>
      mdRow([
        md(s.key),
        md(s.violation?.firstSeen ?? ''),
        md(s.violation?.lastSeen ?? ''),
        `${s.violation?.runs ?? 0}`,
        s.isNewViolation ? '**yes**' : 'no',
      ]),
    ),
  ];
}

function cells(trend: Trend, s: TrendSeries): string[] {
  return trend.runs.map((r) => s.points.find((p) => p.runId === r.runId)?.verdict ?? '–');
}

function effectText(s: TrendSeries): string {
  const effect = s.points.at(-1)?.effect;
  if (effect === null || effect === undefined) return '';
  const f = (v: number | null): string => (v === null ? '?' : v.toFixed(2));
  return `${effect.name} ${f(effect.estimate)} ${effect.unit} (CI ${f(effect.ciLow)} to ${f(effect.ciHigh)})`.replace(
    /\s+/g,
    ' ',
  );
}

/** HTML: the same tables, a verdict timeline chart and one effect-over-time chart per series that has an effect. */
export async function renderTrendHtml(trend: Trend): Promise<string> {
  const withEffect = trend.series.filter((s) => s.points.some((p) => p.effect !== null));
  const svgs = await renderSvgs([verdictSpec(trend), ...withEffect.map(effectSpec)]);
  const [timeline, ...effects] = svgs;
  const rows = trend.runs
    .map((r, i) =>
      htmlRow([
        `${i + 1}`,
        `<code>${escapeHtml(r.runId)}</code>`,
        escapeHtml(r.startedAt),
        escapeHtml(r.scenario ?? ''),
        `${r.exitCode}`,
      ]),
    )
    .join('');
  const violations = trend.series
    .filter((s) => s.violation !== null)
    .map((s) =>
      htmlRow([
        escapeHtml(s.key),
        escapeHtml(s.violation?.firstSeen),
        escapeHtml(s.violation?.lastSeen),
        `${s.violation?.runs ?? 0}`,
        s.isNewViolation ? '<strong>yes</strong>' : 'no',
      ]),
    )
    .join('');
  const charts = withEffect
    .map(
      (s, i) =>
        `<figure><figcaption>${escapeHtml(s.key)}: ${escapeHtml(s.title)}</figcaption>${effects[i] ?? ''}</figure>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dma-audit trend — ${escapeHtml(trend.target.name)}</title>
<style>${STYLE}</style></head>
<body><main><h1>dma-audit trend: ${escapeHtml(trend.target.name)}</h1>
<p><strong>${escapeHtml(headline(trend))}</strong></p>
<h2>Runs</h2>${table(['#', 'run', 'started', 'scenario', 'exit'], rows)}
<h2>Violations</h2>${violations === '' ? '<p>None seen in any run.</p>' : table(VIOLATION_HEAD, violations)}
<h2>Verdict timeline</h2><figure>${timeline ?? ''}</figure>
<h2>Effects over time</h2>${charts === '' ? '<p>No finding reports an effect with an interval.</p>' : charts}
</main></body></html>
`;
}

function verdictSpec(trend: Trend): TopLevelSpec {
  const values = trend.series.flatMap((s) =>
    s.points.map((p) => ({ series: s.key, startedAt: p.startedAt, verdict: p.verdict })),
  );
  const domain = Object.keys(VERDICT_COLOURS);
  return {
    description: 'Verdict of every series in every run, over time',
    width: 560,
    height: { step: 18 },
    data: { values },
    mark: { type: 'square', size: 140 },
    encoding: {
      x: { field: 'startedAt', type: 'temporal', title: 'run started' },
      y: { field: 'series', type: 'nominal', title: null, sort: null, axis: { labelLimit: 360 } },
      color: {
        field: 'verdict',
        type: 'nominal',
        scale: { domain, range: domain.map((v) => VERDICT_COLOURS[v] ?? '#000') },
      },
    },
  };
}

function effectSpec(s: TrendSeries): TopLevelSpec {
  const values = s.points
    .filter((p) => p.effect !== null)
    .map((p) => ({
      startedAt: p.startedAt,
      verdict: p.verdict,
      estimate: p.effect?.estimate,
      low: p.effect?.ciLow ?? p.effect?.estimate,
      high: p.effect?.ciHigh ?? p.effect?.estimate,
    }));
  const unit = s.points.find((p) => p.effect !== null)?.effect;
  const x = { field: 'startedAt', type: 'temporal' as const, title: 'run started' };
  return {
    description: `${s.key}: effect with its interval over time`,
    width: 560,
    height: 160,
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#868e96' }, encoding: { y: { datum: 0 } } },
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
      },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x,
          y: {
            field: 'estimate',
            type: 'quantitative',
            title: `${unit?.name ?? 'effect'}${unit?.unit ? ` (${unit.unit})` : ''}`,
          },
          color: {
            field: 'verdict',
            type: 'nominal',
            scale: { domain: Object.keys(VERDICT_COLOURS), range: Object.values(VERDICT_COLOURS) },
          },
        },
      },
    ],
  };
}

function mdRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function htmlRow(cells: readonly string[]): string {
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

function vantageOf(run: Trend['runs'][number]): string {
  return run.kind === 'merged' ? 'merged' : (run.vantage ?? '');
}

function table(head: readonly string[], body: string): string {
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

/** report.html: one self-contained page (inline CSS and SVG, no script, a CSP that forbids every load). */
import { SUITES, type Finding, type Suite } from '../../core/types.js';
import { escapeHtml } from '../escape.js';
import { findingName, vantageLine, VERDICT_ORDER } from '../format.js';
import type { BundleView } from '../types.js';
import { appendix } from './appendix.js';
import { renderReportCharts, type ReportCharts } from './charts-plan.js';
import { badge, findingAnchor, findingArticle } from './finding.js';
import { verdictBanner, verdictGrid, violationList } from './first-screen.js';
import { overviewTables } from './overview-tables.js';
import { STYLE } from './style.js';
import { checkMeaning } from '../catalogue.js';
import { reproductions } from '../repro.js';

// Defence in depth: even if some string escaped escaping, the page may not run script or fetch anything.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function header(view: BundleView): string {
  const { run, tool } = view.results;
  const cohorts = run.cohorts
    .map((c) => `${escapeHtml(c.label)} (<code>${escapeHtml(c.id)}</code>, ${escapeHtml(c.role)})`)
    .join('<br>');
  const rows: Array<[string, string]> = [
    [
      'Target',
      escapeHtml(run.target.name) +
        (run.target.scenario === undefined ? '' : ` — scenario <code>${escapeHtml(run.target.scenario)}</code>`),
    ],
    ['Run id', `<code>${escapeHtml(run.id)}</code>`],
    ['Status', `<strong>${escapeHtml(run.status)}</strong>`],
    ['Seed', `<code>${escapeHtml(run.seed)}</code>`],
    ['Started / finished', `${escapeHtml(run.startedAt)} / ${escapeHtml(run.finishedAt)}`],
    ['Cohorts', cohorts],
    ...(vantageLine(run) === null
      ? []
      : ([['Vantage', escapeHtml(vantageLine(run) ?? '')]] as Array<[string, string]>)),
    ['Tool', `${escapeHtml(tool.name)} ${escapeHtml(tool.version)}`],
  ];
  const dl = rows.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('');
  return `<section id="run"><h2>About this run</h2><dl class="meta">${dl}</dl></section>`;
}

/** One line naming what was audited and when; the full run metadata is further down. */
function titleBar(view: BundleView): string {
  const { run } = view.results;
  const scenario =
    run.target.scenario === undefined ? '' : ` · scenario <code>${escapeHtml(run.target.scenario)}</code>`;
  return (
    `<header><h1>dma-audit report</h1><p class="subtitle">${escapeHtml(run.target.name)}${scenario} · ` +
    `run <code>${escapeHtml(run.id)}</code> · ${escapeHtml(run.status)} · <a href="#run">details</a></p></header>`
  );
}

/** Verdict, violations and the grid side by side: everything that must be seen without scrolling. */
function firstScreen(view: BundleView): string {
  const { results } = view;
  return (
    `<div class="first-screen"><div class="lead">${verdictBanner(results)}${violationList(results)}</div>` +
    `<div class="side">${verdictGrid(results)}</div></div>`
  );
}

/** Findings by suite (catalogue order, then any other), most urgent first, ties in results.json order. */
function bySuite(findings: readonly Finding[]): Array<[string, Array<[Finding, number]>]> {
  const groups = new Map<string, Array<[Finding, number]>>(SUITES.map((s: Suite) => [s, []]));
  const rank = (finding: Finding): number => VERDICT_ORDER.indexOf(finding.verdict);
  const ordered = findings
    .map((finding, index): [Finding, number] => [finding, index])
    .sort(([a, i], [b, j]) => rank(a) - rank(b) || i - j);
  for (const member of ordered) groups.set(member[0].suite, [...(groups.get(member[0].suite) ?? []), member]);
  return [...groups].filter(([, members]) => members.length > 0);
}

function findingsTable(view: BundleView): string {
  const sections = bySuite(view.results.findings).map(([suite, members]) => {
    const rows = members
      .map(
        ([f, i]) =>
          `<tr><td>${badge(f.verdict)}</td><td><a href="#${findingAnchor(i)}"><code>${escapeHtml(findingName(f))}</code></a></td>` +
          `<td>${escapeHtml(f.title)}</td><td class="summary">${escapeHtml(f.summary)}</td></tr>`,
      )
      .join('');
    return (
      `<h3>${escapeHtml(suite)}</h3><table class="findings"><thead><tr><th scope="col">verdict</th><th scope="col">check</th>` +
      `<th scope="col">title</th><th scope="col">summary</th></tr></thead><tbody>${rows}</tbody></table>`
    );
  });
  return `<section id="findings"><h2>Findings</h2>${sections.join('')}</section>`;
}

function overview(charts: ReportCharts): string {
  if (charts.overview === null) return '';
  return (
    `<section id="latency"><h2>Latency at a glance</h2><figure class="chart overview">${charts.overview}` +
    `<figcaption>Shift of the subject's latency ` +
    `against the reference, with confidence ` +
    `intervals. Right of zero: the subject is ` +
    `slower.</figcaption></figure></section>`
  );
}

function details(view: BundleView, charts: ReportCharts): string {
  const harIds = new Set(view.har.log.entries.map((e) => e._id));
  const repros = new Map(reproductions(view).map((r) => [r.finding, r] as const));
  const cards = bySuite(view.results.findings).flatMap(([, members]) =>
    members.map(([f, i]) => {
      const repro = repros.get(f);
      return findingArticle(f, i, charts.byFinding.get(i) ?? {}, harIds, {
        meaning: checkMeaning(view.results, f.checkId),
        ...(repro === undefined ? {} : { repro: { script: repro.script, fileName: repro.fileName } }),
      });
    }),
  );
  return `<section id="details"><h2>Finding details</h2>${cards.join('')}</section>`;
}

/** Renders report.html from the bundle; the same bundle always gives the same bytes. */
export async function renderHtml(view: BundleView): Promise<string> {
  const charts = await renderReportCharts(view);
  const { run, tool } = view.results;
  const pageTitle = `dma-audit report — ${run.target.name} — ${run.id}`;
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${CSP}"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer"><title>${escapeHtml(pageTitle)}</title><style>${STYLE}</style></head><body>` +
    `<main>` +
    titleBar(view) +
    firstScreen(view) +
    overviewTables(view.results.findings) +
    findingsTable(view) +
    overview(charts) +
    details(view, charts) +
    header(view) +
    appendix(view.results.findings, view.har.log.entries, view.har.recorded) +
    `</main><footer>Recorded by ${escapeHtml(tool.name)} ${escapeHtml(tool.version)} and rendered from its evidence bundle. ` +
    `Every number here can be recomputed offline with <code>dma-audit verify</code>.</footer></body></html>\n`
  );
}

/** One finding's detail card: verdict, summary, legal basis, expected vs observed, tables, charts, evidence. */
import type { Finding, JsonValue, Reference } from '../../core/types.js';
import { anchorId, escapeHtml, safeHttpUrl } from '../escape.js';
import { comparisons, findingName, findingReason, formatValue, otherMeasurements, referenceText } from '../format.js';
import { jsonTable, matrixCellClass } from './tables.js';

/** Pre-rendered SVG charts for one finding. */
export interface FindingCharts {
  ecdf?: string;
  shift?: string;
}

/** The anchor of a finding's card, by its position in results.json. */
export function findingAnchor(index: number): string {
  return `finding-${index}`;
}

/** A verdict badge. */
export function badge(verdict: Finding['verdict']): string {
  return `<span class="badge v-${verdict}">${verdict}</span>`;
}

function referenceItem(reference: Reference): string {
  const text = escapeHtml(referenceText(reference));
  const url = safeHttpUrl(reference.url);
  return url === null
    ? `<li>${text}</li>`
    : `<li><a href="${escapeHtml(url)}" rel="noreferrer noopener">${text}</a></li>`;
}

function references(finding: Finding, meaning: string | null): string {
  const means =
    meaning === null ? '' : `<p class="means"><strong>What this check means:</strong> ${escapeHtml(meaning)}</p>`;
  if (finding.references.length === 0) return means;
  return `${means}<h4>Legal and specification basis</h4><ul class="refs">${finding.references.map(referenceItem).join('')}</ul>`;
}

function reproduction(script: string | undefined, fileName: string | undefined): string {
  if (script === undefined) return '';
  const where = fileName === undefined ? '' : ` (also in the bundle as <code>${escapeHtml(fileName)}</code>)`;
  return `<h4>Reproduce${where}</h4><pre class="repro" tabindex="0"><code>${escapeHtml(script)}</code></pre>`;
}

function expectedVsObserved(finding: Finding): string {
  const rows = comparisons(finding.measurements);
  if (rows.length === 0) return '';
  const expected = `expected (reference${finding.reference === null ? '' : `: ${finding.reference}`})`;
  const observed = `observed (${finding.cohort ?? 'subject'})`;
  const body = rows
    .map(
      (r) =>
        `<tr><th scope="row">${escapeHtml(r.metric)}</th><td class="num">${escapeHtml(formatValue(r.expected))}</td>` +
        `<td class="num">${escapeHtml(formatValue(r.observed))}</td></tr>`,
    )
    .join('');
  return (
    `<h4>Expected vs observed</h4><table class="data"><thead><tr><th scope="col">measure</th>` +
    `<th scope="col">${escapeHtml(expected)}</th><th scope="col">${escapeHtml(observed)}</th></tr></thead><tbody>${body}</tbody></table>`
  );
}

const TABLE_TITLES: Record<string, string> = { matrix: 'Feature matrix', fees: 'Fees' };

function isTabular(value: JsonValue): boolean {
  const items = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? Object.values(value) : [];
  return items.length > 0 && items.every((item) => typeof item === 'object' && item !== null);
}

function measurementTables(finding: Finding): string {
  const rest = otherMeasurements(finding.measurements, []);
  const tables = rest
    .filter(([, value]) => isTabular(value))
    .map(([key, value]) => {
      const options =
        key === 'matrix'
          ? { rowHeader: 'capability', cellClass: matrixCellClass }
          : { rowHeader: key === 'fees' ? 'cohort' : 'item' };
      return `<h4>${escapeHtml(TABLE_TITLES[key] ?? key)}</h4>${jsonTable(value, options)}`;
    });
  const scalars = Object.fromEntries(rest.filter(([, value]) => !isTabular(value)));
  // Every test statistic, for whoever wants to check them; folded, so a card stays short.
  const stats =
    Object.keys(scalars).length === 0
      ? ''
      : `<details class="stats"><summary><h4>Statistics</h4></summary>${jsonTable(scalars)}</details>`;
  return tables.join('') + stats;
}

function charts(found: FindingCharts): string {
  const figures = [
    found.ecdf === undefined
      ? ''
      : `<figure class="chart ecdf">${found.ecdf}<figcaption>Latency ` +
        `ECDF per cohort: the successful, measured ` +
        `samples in samples.ndjson (warm-up excluded); grey band: ` +
        `the reference median ± margin</figcaption></figure>`,
    found.shift === undefined
      ? ''
      : `<figure class="chart shift">${found.shift}<figcaption>Shift estimate with confidence interval; grey band: ±margin</figcaption></figure>`,
  ].join('');
  return figures === '' ? '' : `<div class="charts">${figures}</div>`;
}

function evidence(finding: Finding, harIds: ReadonlySet<string>): string {
  if (finding.evidence.length === 0) return '';
  const items = finding.evidence.map((id) =>
    harIds.has(id)
      ? `<li><a href="#${escapeHtml(anchorId('har', id))}"><code>${escapeHtml(id)}</code></a></li>`
      : `<li class="missing"><code>${escapeHtml(id)}</code> (not in exchanges.har)</li>`,
  );
  return `<h4>Evidence</h4><ul class="evidence">${items.join('')}</ul>`;
}

/** What a card shows besides the finding itself. */
export interface CardExtras {
  /** The catalogue's plain description of the check. */
  meaning?: string | null;
  /** The reproduction script (failing findings) and where it is in the bundle. */
  repro?: { script: string; fileName: string };
}

/**
 * The detail card of one finding; `harIds` are the exchange ids present in the HAR. Passing
 * findings start collapsed: what needs attention stays open.
 */
export function findingArticle(
  finding: Finding,
  index: number,
  found: FindingCharts,
  harIds: ReadonlySet<string>,
  extras: CardExtras = {},
): string {
  const reason = findingReason(finding);
  const isOpen = finding.verdict !== 'pass';
  return (
    `<article class="finding v-border-${finding.verdict}" id="${findingAnchor(index)}"><details${isOpen ? ' open' : ''}>` +
    `<summary><h3>${badge(finding.verdict)} <code>${escapeHtml(findingName(finding))}</code> ${escapeHtml(finding.title)}</h3></summary>` +
    `<p class="summary-line">${escapeHtml(finding.summary)}</p>` +
    (reason === null ? '' : `<p class="reason">Reason: ${escapeHtml(reason)}</p>`) +
    references(finding, extras.meaning ?? null) +
    expectedVsObserved(finding) +
    measurementTables(finding) +
    charts(found) +
    reproduction(extras.repro?.script, extras.repro?.fileName) +
    evidence(finding, harIds) +
    `</details></article>`
  );
}

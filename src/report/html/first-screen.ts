/**
 * The part of report.html that must fit one 1280×800 screen: the verdict, every violation in plain
 * words (numbers, check id, legal basis) and a cohort × check grid of verdicts, like Autobahn's
 * implementation grid.
 */
import type { Finding, Results, Verdict } from '../../core/types.js';
import { checkMeaning } from '../catalogue.js';
import { escapeHtml } from '../escape.js';
import { VERDICT_ORDER } from '../format.js';
import { cohortNamer, legalBasis, plainSentence, citation, violations } from '../plain.js';
import { badge, findingAnchor } from './finding.js';

const OVERALL: Record<0 | 1 | 3, string> = {
  0: 'No violation found: every selected check passed (warnings allowed).',
  1: 'Violations found: at least one check failed.',
  3: 'No violation found, but the run was interrupted or some verdicts are inconclusive.',
};

const SHORT: Record<Verdict, string> = {
  fail: 'fail',
  error: 'error',
  warn: 'warn',
  inconclusive: 'open',
  skip: 'skip',
  pass: 'pass',
};

/** The verdict banner and the count of findings per verdict. */
export function verdictBanner(results: Results): string {
  const s = results.summary;
  const counts = VERDICT_ORDER.map((v) => `<li>${badge(v)} ${escapeHtml(s.byVerdict[v] ?? 0)}</li>`).join('');
  return (
    `<section id="summary" aria-label="Verdict"><p class="overall exit-${escapeHtml(s.exitCode)}">${escapeHtml(OVERALL[s.exitCode] ?? '')}</p>` +
    `<ul class="counts">${counts}<li class="total">${escapeHtml(s.total)} findings · exit code ${escapeHtml(s.exitCode)}</li></ul></section>`
  );
}

function violationItem(finding: Finding, index: number, results: Results): string {
  const basis = legalBasis(finding.references);
  return (
    `<li><span class="plain">${escapeHtml(plainSentence(finding, results.run.cohorts))}</span> — ` +
    `<a href="#${findingAnchor(index)}"><code>${escapeHtml(citation(finding))}</code></a>` +
    (basis === '' ? '' : ` <span class="basis">(${escapeHtml(basis)})</span>`) +
    `</li>`
  );
}

/** Every violation, one plain line each, linking to its detail card. */
export function violationList(results: Results): string {
  const failed = new Set(violations(results.findings));
  const items = results.findings.flatMap((f, i) => (failed.has(f) ? [violationItem(f, i, results)] : []));
  if (items.length === 0) return `<section id="violations"><h2>Violations</h2><p>None found.</p></section>`;
  return `<section id="violations"><h2>Violations</h2><ol class="violations">${items.join('')}</ol></section>`;
}

/** The findings of one check × cohort cell, counted per verdict, most urgent first. */
function cell(findings: readonly Finding[]): string {
  if (findings.length === 0) return '<td class="none">—</td>';
  const parts = VERDICT_ORDER.flatMap((v) => {
    const n = findings.filter((f) => f.verdict === v).length;
    if (n === 0) return [];
    const label = findings.length === 1 ? SHORT[v] : `${n} ${SHORT[v]}`;
    return [`<span class="chip v-${v}" title="${escapeHtml(`${n} ${v}`)}">${escapeHtml(label)}</span>`];
  });
  return `<td>${parts.join(' ')}</td>`;
}

/** Rows = checks in results order, columns = cohorts (plus one for findings about no cohort). */
export function verdictGrid(results: Results): string {
  const name = cohortNamer(results.run.cohorts);
  const ids = [...new Set(results.findings.map((f) => f.checkId))];
  const cohorts: Array<string | null> = results.run.cohorts.map((c) => c.id);
  if (results.findings.some((f) => f.cohort === null || !cohorts.includes(f.cohort))) cohorts.push(null);
  const head = cohorts
    .map(
      (c) =>
        `<th scope="col">${escapeHtml(c === null ? 'all' : name(c))}${c === null ? '' : `<br><code>${escapeHtml(c)}</code>`}</th>`,
    )
    .join('');
  const rows = ids.map((id) => {
    const mine = results.findings.filter((f) => f.checkId === id);
    const cells = cohorts.map((c) =>
      cell(mine.filter((f) => (c === null ? f.cohort === null || !cohorts.includes(f.cohort) : f.cohort === c))),
    );
    const meaning = checkMeaning(results, id);
    const title = meaning === null ? '' : ` title="${escapeHtml(meaning)}"`;
    return `<tr><th scope="row"${title}><code>${escapeHtml(id)}</code></th>${cells.join('')}</tr>`;
  });
  return (
    `<section id="grid"><h2>Verdicts by check and cohort</h2><table class="grid"><thead><tr><th scope="col">check</th>${head}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table><p class="legend">“open” = inconclusive: neither a difference nor equality shown yet.</p></section>`
  );
}

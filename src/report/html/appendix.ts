/** The exchanges appendix: every HAR entry a finding cites, as recorded (already redacted) in exchanges.har. */
import type { Finding } from '../../core/types.js';
import { anchorId, escapeHtml } from '../escape.js';
import { findingName, formatNumber } from '../format.js';
import type { HarEntryView } from '../types.js';
import { findingAnchor } from './finding.js';

const PHASES = ['blocked', 'dns', 'connect', 'ssl', 'send', 'wait', 'receive'] as const;

function timings(entry: HarEntryView): string {
  const parts = PHASES.flatMap((phase) => {
    const value = entry.timings?.[phase];
    return typeof value === 'number' && value >= 0 ? [`${phase} ${formatNumber(value)}`] : [];
  });
  return parts.join(' · ');
}

/** Which findings cite each exchange id, as links. */
function citations(findings: readonly Finding[]): Map<string, string[]> {
  const cited = new Map<string, string[]>();
  findings.forEach((finding, index) => {
    for (const id of new Set(finding.evidence)) {
      const link = `<a href="#${findingAnchor(index)}">${escapeHtml(findingName(finding))}</a>`;
      cited.set(id, [...(cited.get(id) ?? []), link]);
    }
  });
  return cited;
}

function row(entry: HarEntryView, citedBy: readonly string[]): string {
  const time = typeof entry.time === 'number' ? formatNumber(entry.time) : '—';
  return (
    `<tr id="${escapeHtml(anchorId('har', entry._id))}"><td><code>${escapeHtml(entry._id)}</code></td>` +
    `<td>${escapeHtml(entry._cohort ?? '')}</td><td>${escapeHtml(entry.request.method)}</td>` +
    `<td class="url mono">${escapeHtml(entry.request.url)}</td><td class="num">${escapeHtml(entry.response.status)}</td>` +
    `<td class="num">${escapeHtml(time)}</td><td class="mono">${escapeHtml(timings(entry))}</td><td>${citedBy.join('<br>')}</td></tr>`
  );
}

/** The appendix table, in HAR order, of the `recorded` exchanges; those no finding cites stay in exchanges.har only. */
export function appendix(findings: readonly Finding[], entries: readonly HarEntryView[], recorded: number): string {
  const cited = citations(findings);
  const rows = entries.filter((entry) => cited.has(entry._id)).map((entry) => row(entry, cited.get(entry._id) ?? []));
  const intro =
    `<p>${rows.length} of ${recorded} recorded exchanges are cited by findings; all of them are in <code>exchanges.har</code>. ` +
    `Credentials were redacted before recording. Times in ms.</p>`;
  if (rows.length === 0) return `<section id="exchanges"><h2>Appendix: exchanges</h2>${intro}</section>`;
  return (
    `<section id="exchanges"><h2>Appendix: exchanges</h2>${intro}<details><summary>The ${rows.length} cited exchanges</summary>` +
    `<table class="data exchanges"><thead><tr>` +
    ['id', 'cohort', 'method', 'URL', 'status', 'time', 'timings', 'cited by']
      .map((h) => `<th scope="col">${h}</th>`)
      .join('') +
    `</tr></thead><tbody>${rows.join('')}</tbody></table></details></section>`
  );
}

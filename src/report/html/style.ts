/**
 * The report's only stylesheet, inlined so report.html loads nothing. Colours meet WCAG AA contrast
 * (checked with axe-core in test/report-browser.test.ts); `@media print` makes "Save as PDF" usable.
 */
export const STYLE = `
:root { color-scheme: light; --fg: #212529; --muted: #596066; --line: #dee2e6; --bg-soft: #f8f9fa; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0 auto; max-width: 1240px; padding: 12px 20px; }
h1 { font-size: 1.35em; margin: 0; display: inline; } h2 { margin: 36px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; font-size: 1.3em; }
h3 { margin: 20px 0 8px; font-size: 1.1em; } h4 { margin: 14px 0 6px; font-size: 1em; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 14px; margin-bottom: 6px; }
.subtitle { margin: 0; color: var(--muted); }
a { color: #1c5fc8; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
.first-screen { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0 24px; }
@media (min-width: 1100px) { .first-screen { grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr); } }
.first-screen h2 { margin: 10px 0 6px; font-size: 1.1em; }
ol.violations { margin: 0; padding-left: 1.4em; } ol.violations li { margin: 0 0 6px; }
ol.violations .plain { font-weight: 600; } .basis { color: var(--muted); }
table.grid { border-collapse: collapse; font-size: 12.5px; line-height: 1.25; margin: 0; }
table.grid th, table.grid td { padding: 1px 6px; border: 1px solid var(--line); }
table.grid tbody th { white-space: nowrap; } table.grid tbody th code { font-size: 1em; }
table.grid thead th { font-weight: 600; vertical-align: bottom; }
table.grid td.none { color: var(--muted); text-align: center; }
.chip { display: inline-block; padding: 0 5px; border-radius: 4px; color: #fff; font-weight: 600; white-space: nowrap; line-height: 1.35; }
.legend { color: var(--muted); font-size: 0.8em; margin: 4px 0 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; }
.overall { font-size: 1.1em; font-weight: 700; padding: 8px 12px; border-radius: 6px; margin: 4px 0 6px; }
.overall.exit-0 { background: #d3f9d8; } .overall.exit-1 { background: #ffe3e3; } .overall.exit-3 { background: #fff3bf; }
.counts { display: flex; flex-wrap: wrap; gap: 4px 10px; list-style: none; padding: 0; margin: 0 0 4px; font-size: 0.9em; }
.counts .total { color: var(--muted); }
.badge { display: inline-block; min-width: 5.5em; text-align: center; padding: 1px 8px; border-radius: 10px;
  font-size: 0.85em; font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; color: #fff; }
.v-pass { background: #2b7a38; } .v-fail { background: #c92a2a; } .v-warn { background: #9c4500; }
.v-inconclusive { background: #6741d9; } .v-skip { background: #5c636a; } .v-error { background: #212529; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--bg-soft); }
table.findings { width: 100%; } table.findings td.summary { width: 55%; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.url { word-break: break-all; }
.cell-ok { background: #ebfbee; } .cell-bad { background: #ffe3e3; font-weight: 600; }
article.finding { border: 1px solid var(--line); border-radius: 8px; padding: 2px 16px 10px; margin: 12px 0; }
article.finding summary { cursor: pointer; } article.finding summary h3, details.stats summary h4 { display: inline; }
details.stats { margin: 14px 0 6px; } #exchanges summary { cursor: pointer; font-weight: 600; }
article.finding.v-border-fail { border-left: 6px solid #c92a2a; } article.finding.v-border-error { border-left: 6px solid #212529; }
article.finding.v-border-warn { border-left: 6px solid #9c4500; } article.finding.v-border-inconclusive { border-left: 6px solid #6741d9; }
article.finding.v-border-pass { border-left: 6px solid #2b7a38; } article.finding.v-border-skip { border-left: 6px solid #5c636a; }
.summary-line { font-size: 1.05em; } .reason, .means { color: var(--muted); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
figure { margin: 0; } figcaption { color: var(--muted); font-size: 0.85em; max-width: 480px; }
pre.repro { background: var(--bg-soft); border: 1px solid var(--line); padding: 8px; overflow-x: auto; font-size: 0.85em; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.85em; border-top: 1px solid var(--line); padding-top: 8px; }
.missing { color: #c92a2a; }
.table-wrap { max-width: 100%; overflow-x: auto; }
ul.evidence { display: flex; flex-wrap: wrap; gap: 2px 14px; list-style: none; padding: 0; }
@media print {
  @page { margin: 14mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .first-screen { grid-template-columns: 1fr; }
  a { color: inherit; text-decoration: none; }
  .badge, .chip, .overall, .cell-ok, .cell-bad { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  details > summary { list-style: none; }
  details::details-content { content-visibility: visible; display: contents; }
  details:not([open]) > :not(summary) { display: block; }
  article.finding, figure, tr, pre.repro { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .table-wrap, pre.repro { overflow: visible; white-space: pre-wrap; word-break: break-all; }
}
`;

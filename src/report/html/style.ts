/** The report's only stylesheet, inlined so report.html loads nothing. */
export const STYLE = `
:root { color-scheme: light; --fg: #212529; --muted: #6c757d; --line: #dee2e6; --bg-soft: #f8f9fa; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 1.6em; margin: 0 0 8px; } h2 { margin-top: 40px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { margin: 24px 0 8px; } h4 { margin: 16px 0 6px; font-size: 1em; }
a { color: #1c64d8; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; }
.overall { font-size: 1.15em; font-weight: 600; padding: 10px 14px; border-radius: 6px; margin: 12px 0; }
.overall.exit-0 { background: #d3f9d8; } .overall.exit-1 { background: #ffe3e3; } .overall.exit-3 { background: #fff3bf; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; }
.badge { display: inline-block; min-width: 5.5em; text-align: center; padding: 1px 8px; border-radius: 10px; font-size: 0.85em; font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; color: #fff; }
.v-pass { background: #2b8a3e; } .v-fail { background: #c92a2a; } .v-warn { background: #e67700; }
.v-inconclusive { background: #7048e8; } .v-skip { background: #868e96; } .v-error { background: #212529; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--bg-soft); }
table.findings { width: 100%; } table.findings td.summary { width: 55%; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.url { word-break: break-all; }
.cell-ok { background: #ebfbee; } .cell-bad { background: #ffe3e3; font-weight: 600; }
article.finding { border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 12px; margin: 16px 0; }
article.finding.v-border-fail { border-left: 6px solid #c92a2a; } article.finding.v-border-error { border-left: 6px solid #212529; }
article.finding.v-border-warn { border-left: 6px solid #e67700; } article.finding.v-border-inconclusive { border-left: 6px solid #7048e8; }
article.finding.v-border-pass { border-left: 6px solid #2b8a3e; } article.finding.v-border-skip { border-left: 6px solid #868e96; }
.summary-line { font-size: 1.05em; } .reason { color: var(--muted); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
figure { margin: 0; } figcaption { color: var(--muted); font-size: 0.85em; }
footer { margin-top: 48px; color: var(--muted); font-size: 0.85em; border-top: 1px solid var(--line); padding-top: 8px; }
.missing { color: #c92a2a; }
.table-wrap { max-width: 100%; overflow-x: auto; }
ul.evidence { display: flex; flex-wrap: wrap; gap: 2px 14px; list-style: none; padding: 0; }
`;

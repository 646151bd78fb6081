/**
 * junit.xml: one testcase per finding, one testsuite per suite, in the de-facto JUnit XML format CI
 * systems read (https://github.com/testmoapp/junitxml). fail → <failure>, error → <error>,
 * skip and inconclusive → <skipped>; warn passes and says so in a property.
 */
import type { Finding } from '../core/types.js';
import { escapeXml as x } from './escape.js';
import { comparisons, findingName, findingReason, formatValue, referenceText } from './format.js';
import type { BundleView } from './types.js';

function seconds(from: string, to: string): string {
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? (ms / 1000).toFixed(3) : '0';
}

/** The plain-text body of a failure or error: what was measured and on what legal basis. */
function body(finding: Finding): string {
  const reason = findingReason(finding);
  return [
    finding.summary,
    ...(reason === null ? [] : [`reason: ${reason}`]),
    ...comparisons(finding.measurements).map(
      (c) => `${c.metric}: expected ${formatValue(c.expected)}, observed ${formatValue(c.observed)}`,
    ),
    ...finding.references.map((r) => `basis: ${referenceText(r)}`),
    ...(finding.evidence.length === 0 ? [] : [`evidence: ${finding.evidence.join(', ')}`]),
  ].join('\n');
}

function outcome(finding: Finding): string {
  switch (finding.verdict) {
    case 'fail':
      return `<failure message="${x(finding.summary)}" type="fail">${x(body(finding))}</failure>`;
    case 'error':
      return `<error message="${x(finding.reason)}" type="error">${x(body(finding))}</error>`;
    case 'skip':
      return `<skipped message="${x(finding.reason)}"/>`;
    case 'inconclusive':
      return `<skipped message="${x(`inconclusive: ${finding.summary}`)}"/>`;
    default:
      return '';
  }
}

function testcase(finding: Finding): string {
  const pairs: Array<[string, string]> = [
    ['verdict', finding.verdict],
    ...finding.references.map((r): [string, string] => ['reference', referenceText(r)]),
  ];
  const properties = pairs
    .map(([name, value]) => `        <property name="${x(name)}" value="${x(value)}"/>`)
    .join('\n');
  const result = outcome(finding);
  const out =
    finding.verdict === 'pass' || finding.verdict === 'warn'
      ? `\n      <system-out>${x(body(finding))}</system-out>`
      : '';
  return (
    `    <testcase classname="${x(finding.suite)}" name="${x(findingName(finding))}" time="0">\n` +
    `      <properties>\n${properties}\n      </properties>${result === '' ? '' : `\n      ${result}`}${out}\n    </testcase>`
  );
}

function counts(findings: readonly Finding[]): string {
  const count = (test: (f: Finding) => boolean): number => findings.filter(test).length;
  return (
    `tests="${findings.length}" failures="${count((f) => f.verdict === 'fail')}" errors="${count((f) => f.verdict === 'error')}" ` +
    `skipped="${count((f) => f.verdict === 'skip' || f.verdict === 'inconclusive')}"`
  );
}

/** Renders junit.xml from the bundle: well-formed, every bundle string escaped. */
export function renderJunit(view: BundleView): string {
  const { run, findings } = view.results;
  const suites = [...new Set(findings.map((f) => f.suite))].map((suite) => {
    const members = findings.filter((f) => f.suite === suite);
    return (
      `  <testsuite name="${x(suite)}" ${counts(members)} time="0" timestamp="${x(run.startedAt)}">\n` +
      `${members.map(testcase).join('\n')}\n  </testsuite>`
    );
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${x(`dma-audit ${run.target.name} ${run.id}`)}" ${counts(findings)} time="${seconds(run.startedAt, run.finishedAt)}">\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}

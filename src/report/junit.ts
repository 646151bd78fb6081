/**
 * junit.xml: one testcase per finding, one testsuite per suite, valid against the Jenkins xunit
 * plugin's JUnit schema (vendored as fixtures/junit/jenkins-xunit-junit-10.xsd; see also
 * https://github.com/testmoapp/junitxml). fail → <failure>, error → <error>, skip → <skipped>,
 * inconclusive → <failure> by default (CI honesty) or <skipped>; warn passes and says so in
 * <system-out>. Properties live on <testsuite> only: the schema allows none on <testcase>.
 */
import type { Finding } from '../core/types.js';
import { escapeXml as x } from './escape.js';
import { comparisons, findingName, findingReason, formatValue, referenceText } from './format.js';
import type { BundleView } from './types.js';

/** How an inconclusive verdict shows in CI: as a failure (default) or as a skipped test. */
export type JunitInconclusive = 'failure' | 'skipped';

/** The choices of `--junit-inconclusive`. */
export const JUNIT_INCONCLUSIVE: readonly JunitInconclusive[] = ['failure', 'skipped'];

/** Options of the JUnit reporter. */
export interface JunitOptions {
  /** How `inconclusive` maps; `failure` unless told, so a dashboard never shows it green. */
  inconclusive?: JunitInconclusive;
}

function seconds(from: string, to: string): string {
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? (ms / 1000).toFixed(3) : '0';
}

/** The plain-text body of a testcase: what was measured and on what legal basis. */
function body(finding: Finding): string {
  const reason = findingReason(finding);
  return [
    `verdict: ${finding.verdict}`,
    finding.summary,
    ...(reason === null ? [] : [`reason: ${reason}`]),
    ...comparisons(finding.measurements).map(
      (c) => `${c.metric}: expected ${formatValue(c.expected)}, observed ${formatValue(c.observed)}`,
    ),
    ...finding.references.map((r) => `basis: ${referenceText(r)}`),
    ...(finding.evidence.length === 0 ? [] : [`evidence: ${finding.evidence.join(', ')}`]),
  ].join('\n');
}

function outcome(finding: Finding, inconclusive: JunitInconclusive): string {
  switch (finding.verdict) {
    case 'fail':
      return `<failure message="${x(finding.summary)}" type="fail">${x(body(finding))}</failure>`;
    case 'error':
      return `<error message="${x(finding.reason)}" type="error">${x(body(finding))}</error>`;
    case 'skip':
      return `<skipped message="${x(finding.reason)}"/>`;
    case 'inconclusive': {
      const message = x(`inconclusive: ${finding.summary}`);
      return inconclusive === 'skipped'
        ? `<skipped message="${message}" type="inconclusive"/>`
        : `<failure message="${message}" type="inconclusive">${x(body(finding))}</failure>`;
    }
    default:
      return '';
  }
}

function testcase(finding: Finding, inconclusive: JunitInconclusive): string {
  const result = outcome(finding, inconclusive);
  const isPassing = finding.verdict === 'pass' || finding.verdict === 'warn';
  const children = [result, isPassing ? `<system-out>${x(body(finding))}</system-out>` : ''].filter((c) => c !== '');
  const open = `    <testcase classname="${x(finding.suite)}" name="${x(findingName(finding))}" time="0"`;
  return children.length === 0
    ? `${open}/>`
    : `${open}>\n${children.map((c) => `      ${c}`).join('\n')}\n    </testcase>`;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function counts(findings: readonly Finding[], inconclusive: JunitInconclusive): Counts {
  const count = (test: (f: Finding) => boolean): number => findings.filter(test).length;
  const isSkipped = (f: Finding): boolean =>
    f.verdict === 'skip' || (f.verdict === 'inconclusive' && inconclusive === 'skipped');
  return {
    tests: findings.length,
    failures: count((f) => f.verdict === 'fail' || (f.verdict === 'inconclusive' && inconclusive === 'failure')),
    errors: count((f) => f.verdict === 'error'),
    skipped: count(isSkipped),
  };
}

/** The verdict counts and legal bases of a suite, as the <testsuite> properties CI systems show. */
function properties(findings: readonly Finding[]): string {
  const bases = [...new Set(findings.flatMap((f) => f.references.map(referenceText)))];
  const pairs: Array<[string, string]> = [
    ...[...new Set(findings.map((f) => f.verdict))].map((v): [string, string] => [
      `verdict.${v}`,
      String(findings.filter((f) => f.verdict === v).length),
    ]),
    ...bases.map((basis): [string, string] => ['basis', basis]),
  ];
  return `    <properties>\n${pairs.map(([n, v]) => `      <property name="${x(n)}" value="${x(v)}"/>`).join('\n')}\n    </properties>`;
}

/** Renders junit.xml from the bundle: schema-valid, every bundle string escaped. */
export function renderJunit(view: BundleView, options: JunitOptions = {}): string {
  const inconclusive = options.inconclusive ?? 'failure';
  const { run, findings } = view.results;
  const suites = [...new Set(findings.map((f) => f.suite))].map((suite) => {
    const members = findings.filter((f) => f.suite === suite);
    const c = counts(members, inconclusive);
    return (
      `  <testsuite name="${x(suite)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" ` +
      `time="0" timestamp="${x(run.startedAt)}">\n${properties(members)}\n` +
      `${members.map((f) => testcase(f, inconclusive)).join('\n')}\n  </testsuite>`
    );
  });
  const total = counts(findings, inconclusive);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${x(`dma-audit ${run.target.name} ${run.id}`)}" tests="${total.tests}" failures="${total.failures}" ` +
    `errors="${total.errors}" time="${seconds(run.startedAt, run.finishedAt)}">\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}

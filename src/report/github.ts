/**
 * GitHub Actions output: workflow-command annotations and the job summary
 * (https://docs.github.com/actions/reference/workflow-commands-for-github-actions).
 */
import { appendFile } from 'node:fs/promises';
import { OutputError } from '../core/errors.js';
import type { Finding } from '../core/types.js';
import { byUrgency, findingName, findingReason, referenceText } from './format.js';
import { renderMarkdown } from './markdown.js';
import type { BundleView } from './types.js';

const LEVEL: Partial<Record<Finding['verdict'], 'error' | 'warning'>> = {
  fail: 'error',
  error: 'error',
  warn: 'warning',
  inconclusive: 'warning',
};

/** Escapes a command's message, so a hostile string cannot end the command or start another one. */
function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a command property value, which additionally ends at `:` and `,`. */
function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function message(finding: Finding): string {
  const reason = findingReason(finding);
  const basis = finding.references.map(referenceText).join('; ');
  return [finding.summary, reason === null ? '' : `Reason: ${reason}`, basis === '' ? '' : `Basis: ${basis}`]
    .filter((s) => s !== '')
    .join('\n');
}

/** `::error` lines for fail and error, `::warning` for warn and inconclusive, most urgent first. */
export function githubAnnotations(view: BundleView): string[] {
  return byUrgency(view.results.findings).flatMap((finding) => {
    const level = LEVEL[finding.verdict];
    if (level === undefined) return [];
    const title = `${finding.verdict.toUpperCase()} ${findingName(finding)}: ${finding.title}`;
    return [`::${level} title=${escapeProperty(title)}::${escapeData(message(finding))}`];
  });
}

/** Appends report.md to `$GITHUB_STEP_SUMMARY` when it is set; returns whether it wrote. */
export async function writeGithubSummary(
  view: BundleView,
  env: Readonly<Record<string, string | undefined>>,
): Promise<boolean> {
  const file = env['GITHUB_STEP_SUMMARY'];
  if (file === undefined || file === '') return false;
  try {
    await appendFile(file, renderMarkdown(view));
  } catch (error: unknown) {
    throw new OutputError(
      `cannot append the job summary to ${file}: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
  return true;
}

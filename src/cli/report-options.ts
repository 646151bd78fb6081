/** Options shared by `run` and `report` that change how report files are rendered. */
import { Option } from 'commander';
import { JUNIT_INCONCLUSIVE, type JunitInconclusive } from '../report/junit.js';
import type { ReportOptions } from '../report/types.js';

export type { JunitInconclusive };

/** `--junit-inconclusive skipped|failure`: how junit.xml shows an inconclusive verdict. */
export function junitInconclusiveOption(): Option {
  return new Option(
    '--junit-inconclusive <mapping>',
    'junit.xml: show inconclusive verdicts as a failure (honest in CI) or as skipped; the reason is in the message',
  )
    .choices(JUNIT_INCONCLUSIVE)
    .default('failure');
}

/** The report options a command's parsed flags ask for. */
export function reportOptionsOf(options: { junitInconclusive?: JunitInconclusive }): ReportOptions {
  return options.junitInconclusive === undefined ? {} : { junitInconclusive: options.junitInconclusive };
}

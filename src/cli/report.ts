/** `dma-audit report BUNDLE_DIR`: renders report files from a recorded bundle; exit 0, or 2 when it cannot be read. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { isReportFormat, REPORT_FORMATS, renderBundle, type ReportFormat } from '../report/index.js';
import { collect, reportHarnessError } from './output.js';
import { junitInconclusiveOption, reportOptionsOf, type JunitInconclusive } from './report-options.js';

interface ReportCommandOptions {
  format?: ReportFormat[];
  out?: string;
  junitInconclusive?: JunitInconclusive;
}

const HELP_AFTER = `
Where files go:
  --out DIR   every selected format is written to DIR (created if needed).
  (no --out)  the bundle is signed over its files, so it is never modified: when the
              bundle already holds byte-identical files nothing is written; otherwise
              all selected formats are written to <BUNDLE_DIR>-report/ next to it.

Formats: html → report.html, md → report.md, junit → junit.xml, json → results.json.`;

/** Registers `report` on the program. */
export function addReportCommand(program: Command): void {
  program
    .command('report')
    .description('render reports (HTML, Markdown, JUnit, JSON) from a recorded bundle, offline')
    .argument('<bundle-dir>', 'the run folder to render from')
    .addOption(
      new Option(
        '--format <name>',
        `format to render: ${REPORT_FORMATS.join('|')}; repeat or comma-separate for several (default: all)`,
      ).argParser(formats),
    )
    .option('--out <dir>', 'folder to write the reports to (see below)')
    .addOption(junitInconclusiveOption())
    .addHelpText('after', HELP_AFTER)
    .action(async (dir: string, options: ReportCommandOptions) => {
      process.exitCode = await runReport(dir, options);
    });
}

/** Accumulates `--format` values (repeated or comma-separated), rejecting unknown names before anything is read. */
function formats(value: string, previous: ReportFormat[] | undefined): ReportFormat[] {
  const names = collect(value);
  const unknown = names.find((name) => !isReportFormat(name));
  if (unknown !== undefined) throw new InvalidArgumentError(`expected one of ${REPORT_FORMATS.join(', ')}`);
  return [...(previous ?? []), ...names.filter(isReportFormat)];
}

/** Renders the bundle and says where the files are; returns the exit code. */
export async function runReport(dir: string, options: ReportCommandOptions): Promise<number> {
  try {
    const selected = options.format === undefined ? undefined : [...new Set(options.format)];
    const result = await renderBundle(dir, {
      ...(selected === undefined ? {} : { formats: selected }),
      ...(options.out === undefined ? {} : { outDir: options.out }),
      ...reportOptionsOf(options),
    });
    const verb = result.isUnchanged ? 'unchanged' : 'wrote';
    process.stdout.write(result.files.map((file) => `${verb} ${file}\n`).join(''));
    return 0;
  } catch (error: unknown) {
    return reportHarnessError(error);
  }
}

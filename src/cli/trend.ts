/** `dma-audit trend BUNDLE_DIR|PARENT_DIR...`: verdicts and effects of one target's runs over time. */
import type { Command } from 'commander';
import { trendAudit } from '../index.js';
import { reportHarnessError } from './output.js';

interface TrendCommandOptions {
  out: string;
  json?: boolean;
}

const HELP_AFTER = `
Reads results.json of each bundle (a folder of bundles stands for every bundle in it), orders the
runs by their start time and writes trend.md, trend.html and trend.json into --out.

Exit codes: 0 no new violation · 1 the latest run fails a check the run before did not (for a
daily cron) · 2 an input cannot be read.

Example:
  dma-audit trend reports/ --out reports/trend`;

/** Registers `trend` on the program. */
export function addTrendCommand(program: Command): void {
  program
    .command('trend')
    .description('timeline of verdicts and effects over many runs of one target; exit 1 on a new violation')
    .argument('<bundle-or-parent-dir...>', 'bundle folders, or folders of bundles')
    .option('--out <dir>', 'folder for trend.md, trend.html and trend.json', 'reports')
    .option('--json', 'print the trend as JSON')
    .addHelpText('after', HELP_AFTER)
    .action(async (paths: string[], options: TrendCommandOptions) => {
      process.exitCode = await runTrend(paths, options);
    });
}

/** Runs trend and prints the headline and file paths (or JSON); returns the exit code. */
export async function runTrend(paths: string[], options: TrendCommandOptions): Promise<number> {
  try {
    const { trend, files, exitCode } = await trendAudit(paths, { outDir: options.out });
    if (options.json === true) {
      process.stdout.write(`${JSON.stringify({ ...trend, files }, null, 2)}\n`);
      return exitCode;
    }
    const fresh = trend.series
      .filter((s) => s.isNewViolation)
      .map((s) => `  new violation: ${s.key} — ${s.points.at(-1)?.summary ?? ''}`);
    const lines = [`${trend.runs.length} runs of ${trend.target.name}`, ...fresh, ...files];
    process.stdout.write(`${lines.join('\n')}\n`);
    return exitCode;
  } catch (error: unknown) {
    return reportHarnessError(error, { isJson: options.json === true });
  }
}

/** `dma-audit compare BASELINE_DIR CURRENT_DIR`: exit 1 when any verdict got worse. */
import type { Command } from 'commander';
import { compareBundles, formatComparison } from '../evidence/compare.js';
import { reportHarnessError } from './output.js';

interface CompareCommandOptions {
  json?: boolean;
}

/** Registers `compare` on the program. */
export function addCompareCommand(program: Command): void {
  program
    .command('compare')
    .description('compare two runs: verdicts before and after, and how each measurement moved')
    .argument('<baseline-dir>', 'the earlier run folder')
    .argument('<current-dir>', 'the later run folder')
    .option('--json', 'print the comparison as JSON')
    .action(async (baselineDir: string, currentDir: string, options: CompareCommandOptions) => {
      process.exitCode = await runCompare(baselineDir, currentDir, options);
    });
}

/** Runs compare and prints it; returns the exit code (0, 1 when worse, 2 unreadable). */
export async function runCompare(
  baselineDir: string,
  currentDir: string,
  options: CompareCommandOptions,
): Promise<number> {
  try {
    const comparison = await compareBundles(baselineDir, currentDir);
    process.stdout.write(
      options.json === true ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparison(comparison),
    );
    return comparison.isWorse ? 1 : 0;
  } catch (error: unknown) {
    return reportHarnessError(error, { isJson: options.json === true });
  }
}

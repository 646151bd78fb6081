/** `dma-audit merge BUNDLE_DIR...`: verifies bundles of several vantage points and writes one signed merged bundle. */
import chalk from 'chalk';
import type { Command } from 'commander';
import { mergeAudit, renderConsole } from '../index.js';
import { reportHarnessError } from './output.js';

interface MergeCommandOptions {
  out: string;
  signKey?: string;
  json?: boolean;
}

const HELP_AFTER = `
Every input is verified first (digests, signature, every verdict recomputed); one that fails, or that
comes from another target or another dma-audit version, is refused (exit 2, naming it) before anything
is written. Findings come from the pooled raw samples: one per vantage point (with "vantage") and one
combined (stratified by vantage point: van Elteren for latency), Holm-corrected together.

Exit codes as for run: 0 pass · 1 a violation · 2 refused or unreadable input · 3 inconclusive.

Example:
  dma-audit merge bundles/de-fra/* bundles/fr-par/* bundles/pl-waw/* --out merged`;

/** Registers `merge` on the program. */
export function addMergeCommand(program: Command): void {
  program
    .command('merge')
    .description(
      'merge the bundles of several vantage points into one signed bundle with per-vantage and combined findings',
    )
    .argument('<bundle-dir...>', 'the run folders to merge (one per vantage point)')
    .option('--out <dir>', 'parent folder of the merged bundle', 'reports')
    .option('--sign-key <file>', 'Ed25519 private key (PEM) to sign the merged bundle; default: your per-user key')
    .option('--json', 'print the merged results.json (with bundleDir) instead of the table')
    .addHelpText('after', HELP_AFTER)
    .action(async (dirs: string[], options: MergeCommandOptions) => {
      process.exitCode = await runMerge(dirs, options);
    });
}

/** Runs merge and prints the outcome; returns the exit code. */
export async function runMerge(dirs: string[], options: MergeCommandOptions): Promise<number> {
  try {
    const result = await mergeAudit(dirs, {
      outDir: options.out,
      ...(options.signKey === undefined ? {} : { signKeyFile: options.signKey }),
      onLog: (message) => {
        if (options.json !== true) process.stderr.write(chalk.dim(`${message}\n`));
      },
    });
    process.stdout.write(
      options.json === true
        ? `${JSON.stringify({ ...result.results, bundleDir: result.bundleDir }, null, 2)}\n`
        : renderConsole(result.results, result.bundleDir, { width: process.stdout.columns ?? 120 }),
    );
    return result.exitCode;
  } catch (error: unknown) {
    return reportHarnessError(error, { isJson: options.json === true });
  }
}

/** `dma-audit verify BUNDLE_DIR`: exit 0 intact, 1 differs (and says what), 2 unreadable. */
import { readdir, readFile, stat } from 'node:fs/promises';
import chalk from 'chalk';
import type { Command } from 'commander';
import { BundleReadError, UsageError } from '../core/errors.js';
import { verifyBundle, type VerifyReport } from '../index.js';
import { reportHarnessError } from './output.js';

interface VerifyCommandOptions {
  json?: boolean;
  publicKey?: string;
}

/** Registers `verify` on the program. */
export function addVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description(
      'check a bundle offline: digests, signature, schemas, no secrets, and every verdict recomputed from the raw samples',
    )
    .argument('<bundle-dir>', 'the run folder to verify')
    .option(
      '--public-key <file>',
      'PEM public key the bundle must be signed with (otherwise any intact signature is accepted)',
    )
    .option('--json', 'print the report as JSON')
    .action(async (dir: string, options: VerifyCommandOptions) => {
      process.exitCode = await runVerify(dir, options);
    });
}

/** Runs verify and prints the report; returns the exit code. */
export async function runVerify(dir: string, options: VerifyCommandOptions): Promise<number> {
  try {
    await assertBundleDir(dir);
    const publicKeyPem = options.publicKey === undefined ? undefined : await readPublicKey(options.publicKey);
    const report = await verifyBundle(dir, publicKeyPem === undefined ? {} : { publicKeyPem });
    process.stdout.write(options.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReport(dir, report));
    return report.ok ? 0 : 1;
  } catch (error: unknown) {
    return reportHarnessError(error, { isJson: options.json === true });
  }
}

/** A folder with neither results.json nor manifest.json is not a bundle: exit 2, not "differs". */
async function assertBundleDir(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) return; // verifyBundle says why it cannot be read
  if (!info.isDirectory()) throw new BundleReadError(`${dir} is not a folder`);
  const names = await readdir(dir).catch(() => [] as string[]);
  if (!names.includes('results.json') && !names.includes('manifest.json'))
    throw new BundleReadError(`${dir} is not an evidence bundle (no results.json or manifest.json)`);
}

async function readPublicKey(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error: unknown) {
    throw new UsageError(
      `cannot read public key file ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** One line per check, with its details indented under it. */
export function formatReport(dir: string, report: VerifyReport): string {
  const width = Math.max(...report.checks.map((check) => check.name.length));
  const lines = [`${dir}: ${report.ok ? chalk.green('intact, every verdict reproduced') : chalk.red('DIFFERS')}`];
  for (const check of report.checks) {
    const mark = check.ok ? chalk.green('ok  ') : chalk.red('FAIL');
    const [first, ...rest] = check.details;
    lines.push(`  ${mark}  ${check.name.padEnd(width)}  ${first ?? ''}`.trimEnd());
    if (!check.ok) for (const detail of rest) lines.push(`        ${' '.repeat(width)}  ${detail}`);
  }
  return `${lines.join('\n')}\n`;
}

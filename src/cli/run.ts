/** `dma-audit run`: audits a target (or the built-in platform) and writes a signed evidence bundle. */
import chalk from 'chalk';
import { Option, type Command } from 'commander';
import {
  isStdoutReporterName,
  loadConfigFile,
  printWithReporters,
  readBundleView,
  runAudit,
  scenarioNames,
  STDOUT_REPORTER_NAMES,
  UsageError,
  type RunOptions,
  type RunResult,
  type StdoutReporterName,
} from '../index.js';
import { junitInconclusiveOption, reportOptionsOf, type JunitInconclusive } from './report-options.js';
import { collect, positiveNumber, reportHarnessError } from './output.js';
import { keyValue, roleDelay, vantageOf } from './vantage-options.js';
import { consolePaint } from './paint.js';
import { createProgress, type Progress } from '../report/progress.js';

interface RunCommandOptions {
  config?: string;
  scenario?: string;
  check?: string[];
  suite?: string[];
  out: string;
  seed?: number;
  samples?: number;
  maxRps?: number;
  maxRequests?: number;
  reporter?: string[];
  signKey?: string;
  quick?: boolean;
  json?: boolean;
  vantage?: string;
  vantageMeta?: Record<string, string>;
  simExtraDelay?: Partial<Record<'reference' | 'subject', number>>;
  verbose?: boolean;
  junitInconclusive?: JunitInconclusive;
}

const HELP_AFTER = `
Without --config, the built-in reference platform is started on loopback with --scenario
(default self-preferencing) and audited: the zero-set-up demo and the way to reproduce a
published bundle.

Exit codes: 0 every check passed (warnings allowed) · 1 a violation was found ·
2 usage, config or harness error (nothing audited) · 3 no failure, but interrupted or
some verdicts inconclusive or errored.

Examples:
  dma-audit run                                   audit the built-in platform
  dma-audit run --scenario compliant --quick      a fast run that should pass
  dma-audit run --config audit.json --suite parity --check 'PAR-LAT-*'
  dma-audit verify reports/<run-id>               re-check a bundle offline`;

/** Registers `run` on the program. */
export function addRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the conformance, parity and E2EE suites and write a signed evidence bundle')
    .option(
      '--config <file>',
      'audit config (JSON, see schemas/config.schema.json); omit to audit the built-in platform',
    )
    .option('--scenario <name>', `scenario of the built-in platform: ${scenarioNames().join(', ')}`)
    .option('--check <id-or-glob>', 'only these checks (repeatable, e.g. PAR-LAT-*)', collect)
    .option('--suite <name>', 'only these suites: conformance, parity, e2ee (repeatable)', collect)
    .option('--out <dir>', 'parent folder of the bundle', 'reports')
    .option('--seed <n>', 'seed for interleaving, bootstrap and the built-in platform', positiveNumber('--seed'))
    .option('--samples <n>', 'latency samples per cohort', positiveNumber('--samples'))
    .option('--max-rps <n>', 'never send more than N requests in any second', positiveNumber('--max-rps'))
    .option('--max-requests <n>', 'never send more than N requests in all', positiveNumber('--max-requests'))
    .addOption(
      new Option(
        '--reporter <name>',
        `what to print: ${STDOUT_REPORTER_NAMES.join(', ')} (repeatable; the bundle always gets every report)`,
      ).argParser(collect),
    )
    .option('--sign-key <file>', 'Ed25519 private key (PEM) to sign the bundle; default: your per-user key')
    .option('--quick', 'a smoke run for CI: 100 latency samples per cohort, text messages only')
    .option('--json', 'print results.json instead of the table (same as --reporter json)')
    .option('--vantage <name>', 'name of the vantage point this run measures from (recorded in the bundle)')
    .option(
      '--vantage-meta <key=value>',
      'what you state about the vantage point: country, network, asn… (repeatable)',
      keyValue('--vantage-meta'),
    )
    .option(
      '--sim-extra-delay <role=ms>',
      'built-in platform only: extra ms on every send of a role (repeatable)',
      roleDelay('--sim-extra-delay'),
    )
    .option('--verbose', 'print every finding with its full summary, the feature matrix and the fee table')
    .addOption(junitInconclusiveOption())
    .addHelpText('after', HELP_AFTER)
    .action(async (options: RunCommandOptions) => {
      process.exitCode = await runCommand(options);
    });
}

/** Runs the command and returns its exit code. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    process.stderr.write(
      chalk.yellow(
        '\ninterrupted: finishing in-flight requests and writing the bundle (Ctrl-C again to quit at once)\n',
      ),
    );
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onInterrupt);
  const progress = stderrProgress();
  try {
    const reporters = stdoutReporters(options);
    const runOptions = await toRunOptions(options, controller.signal, reporters, progress);
    const result = await runAudit(runOptions);
    progress.done();
    await print(result, reporters, options);
    return result.exitCode;
  } catch (error: unknown) {
    return reportHarnessError(error, { isJson: options.json === true });
  } finally {
    progress.done();
    process.removeListener('SIGINT', onInterrupt);
  }
}

/** Progress on stderr: a status line on a terminal, groups under GitHub Actions, plain lines otherwise. */
function stderrProgress(): Progress {
  return createProgress({
    write: (text) => process.stderr.write(text),
    isTty: process.stderr.isTTY === true,
    isGithub: process.env.GITHUB_ACTIONS === 'true',
    dim: consolePaint().dim,
  });
}

async function toRunOptions(
  options: RunCommandOptions,
  signal: AbortSignal,
  reporters: StdoutReporterName[],
  progress: Progress,
): Promise<RunOptions> {
  if (options.config !== undefined && options.scenario !== undefined)
    throw new UsageError('--scenario applies to the built-in platform only; drop it or drop --config');
  const loaded = options.config === undefined ? undefined : await loadConfigFile(options.config);
  const isQuiet = !reporters.includes('console');
  const vantage = vantageOf(options.vantage, options.vantageMeta);
  if (options.config !== undefined && options.simExtraDelay !== undefined)
    throw new UsageError('--sim-extra-delay applies to the built-in platform only; drop it or drop --config');
  for (const warning of loaded?.warnings ?? []) process.stderr.write(`${chalk.yellow('warning:')} ${warning}\n`);
  return {
    ...(loaded === undefined ? {} : { config: loaded }),
    ...(options.scenario === undefined ? {} : { scenario: options.scenario }),
    checks: options.check ?? [],
    suites: options.suite ?? [],
    outDir: options.out,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.samples === undefined ? {} : { samples: options.samples }),
    ...(options.maxRps === undefined ? {} : { maxRps: options.maxRps }),
    ...(options.maxRequests === undefined ? {} : { maxRequests: options.maxRequests }),
    ...(options.signKey === undefined ? {} : { signKeyFile: options.signKey }),
    isQuick: options.quick === true,
    ...(vantage === undefined ? {} : { vantage }),
    ...(options.simExtraDelay === undefined ? {} : { simExtraDelayMs: options.simExtraDelay }),
    signal,
    onLog: (message) => {
      if (!isQuiet) progress.log(message);
    },
    reportOptions: reportOptionsOf(options),
  };
}

function stdoutReporters(options: RunCommandOptions): StdoutReporterName[] {
  const names = [...(options.reporter ?? []), ...(options.json === true ? ['json'] : [])];
  const chosen: StdoutReporterName[] = [];
  for (const name of names) {
    if (!isStdoutReporterName(name))
      throw new UsageError(`unknown reporter "${name}"`, `reporters are ${STDOUT_REPORTER_NAMES.join(', ')}`);
    chosen.push(name);
  }
  if (chosen.length === 0) chosen.push('console');
  if (process.env.GITHUB_ACTIONS === 'true' && !chosen.includes('github')) chosen.push('github');
  return chosen;
}

async function print(result: RunResult, reporters: StdoutReporterName[], options: RunCommandOptions): Promise<void> {
  if (result.signingKey.isNew) {
    process.stderr.write(
      `created a signing key (key id ${result.signingKey.keyId}); its public key is in every bundle's attestation:\n${result.signingKey.publicKeyPem}`,
    );
  }
  const input = { results: result.results, bundleDir: result.bundleDir, view: await readBundleView(result.bundleDir) };
  const stdoutOptions = {
    ...reportOptionsOf(options),
    width: process.stdout.columns ?? 100,
    isVerbose: options.verbose === true,
    paint: consolePaint(),
    env: process.env,
  };
  const failures = await printWithReporters(reporters, input, stdoutOptions, (text) => process.stdout.write(text));
  for (const { name, message } of failures) process.stderr.write(`warning: the ${name} reporter failed: ${message}\n`);
}

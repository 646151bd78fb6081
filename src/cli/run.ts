/** `dma-audit run`: audits a target (or the built-in platform) and writes a signed evidence bundle. */
import chalk from 'chalk';
import { Option, type Command } from 'commander';
import {
  loadConfigFile,
  planAudit,
  readBundleView,
  renderConsole,
  runAudit,
  scenarioNames,
  UsageError,
  writeReports,
  type RunOptions,
  type RunResult,
} from '../index.js';
import { githubAnnotations, renderReports, writeGithubSummary } from '../report/index.js';
import { collect, positiveNumber, reportHarnessError } from './output.js';

const STDOUT_REPORTERS = ['console', 'json', 'md', 'junit', 'github'] as const;
type StdoutReporter = (typeof STDOUT_REPORTERS)[number];

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
  design?: 'sequential' | 'fixed';
  dryRun?: boolean;
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
        `what to print: ${STDOUT_REPORTERS.join(', ')} (repeatable; the bundle always gets every report)`,
      ).argParser(collect),
    )
    .option('--sign-key <file>', 'Ed25519 private key (PEM) to sign the bundle; default: your per-user key')
    .option('--quick', 'a smoke run for CI: text messages only, at most 200 rounds per cohort')
    .addOption(
      new Option(
        '--design <name>',
        'sequential (stop each comparison when decided) or fixed (today’s fixed N)',
      ).choices(['sequential', 'fixed']),
    )
    .option('--dry-run', 'print the load plan (requests, rates, longest time, detectable effects) and send nothing')
    .option('--json', 'print results.json instead of the table (same as --reporter json)')
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
  try {
    const reporters = stdoutReporters(options);
    const runOptions = await toRunOptions(options, controller.signal, reporters);
    if (options.dryRun === true) {
      const { plan, text } = await planAudit(runOptions);
      process.stdout.write(options.json === true ? `${JSON.stringify(plan, null, 2)}\n` : text);
      return 0;
    }
    const result = await runAudit(runOptions);
    await print(result, reporters);
    return result.exitCode;
  } catch (error: unknown) {
    return reportHarnessError(error, { isJson: options.json === true });
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

async function toRunOptions(
  options: RunCommandOptions,
  signal: AbortSignal,
  reporters: StdoutReporter[],
): Promise<RunOptions> {
  if (options.config !== undefined && options.scenario !== undefined)
    throw new UsageError('--scenario applies to the built-in platform only; drop it or drop --config');
  const loaded = options.config === undefined ? undefined : await loadConfigFile(options.config);
  const isQuiet = !reporters.includes('console');
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
    ...(options.design === undefined ? {} : { design: options.design }),
    signal,
    onLog: (message) => {
      if (!isQuiet) process.stderr.write(chalk.dim(`${message}\n`));
    },
    renderReports: async (dir) => {
      await writeReports(dir, await readBundleView(dir), ['html', 'md', 'junit']);
    },
  };
}

function stdoutReporters(options: RunCommandOptions): StdoutReporter[] {
  const names = [...(options.reporter ?? []), ...(options.json === true ? ['json'] : [])];
  for (const name of names) {
    if (!(STDOUT_REPORTERS as readonly string[]).includes(name))
      throw new UsageError(`unknown reporter "${name}"`, `reporters are ${STDOUT_REPORTERS.join(', ')}`);
  }
  const chosen = names.length === 0 ? ['console'] : names;
  if (process.env.GITHUB_ACTIONS === 'true' && !chosen.includes('github')) chosen.push('github');
  return chosen as StdoutReporter[];
}

async function print(result: RunResult, reporters: StdoutReporter[]): Promise<void> {
  if (result.signingKey.isNew) {
    process.stderr.write(
      `created a signing key (key id ${result.signingKey.keyId}); its public key is in every bundle's attestation:\n${result.signingKey.publicKeyPem}`,
    );
  }
  const view = await readBundleView(result.bundleDir);
  for (const reporter of reporters) {
    if (reporter === 'console')
      process.stdout.write(renderConsole(result.results, result.bundleDir, { width: process.stdout.columns ?? 120 }));
    if (reporter === 'json') process.stdout.write(`${JSON.stringify(result.results, null, 2)}\n`);
    if (reporter === 'md' || reporter === 'junit') {
      const [report] = await renderReports(view, [reporter]);
      process.stdout.write(report?.content ?? '');
    }
    if (reporter === 'github') {
      for (const line of githubAnnotations(view)) process.stdout.write(`${line}\n`);
      await writeGithubSummary(view, process.env);
    }
  }
}

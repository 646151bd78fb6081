/** `dma-audit run`: audits a target (or the built-in platform) and writes a signed evidence bundle. */
import chalk from 'chalk';
import { Option, type Command } from 'commander';
import {
  isStdoutReporterName,
  loadConfigFile,
  planAudit,
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
import { parseDuration } from './duration.js';
import { collect, integerOption, positiveNumber, reportHarnessError } from './output.js';
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
  resume?: string;
  duration?: number;
  design?: 'sequential' | 'fixed';
  dryRun?: boolean;
}

/** Options that define the plan: a resumed run takes them from its bundle, so they may not be given again. */
const PLAN_OPTIONS = [
  'scenario',
  'check',
  'suite',
  'seed',
  'samples',
  'maxRps',
  'maxRequests',
  'quick',
  'duration',
] as const;

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
    .option(
      '--seed <n>',
      'seed for interleaving, bootstrap and the built-in platform',
      integerOption('--seed', 0, 2 ** 31 - 1),
    )
    .option('--samples <n>', 'latency samples per cohort', integerOption('--samples', 10, 100_000))
    .option('--max-rps <n>', 'never send more than N requests in any second', positiveNumber('--max-rps', 10_000))
    .option('--max-requests <n>', 'never send more than N requests in all', integerOption('--max-requests', 1))
    .addOption(
      new Option(
        '--reporter <name>',
        `what to print: ${STDOUT_REPORTER_NAMES.join(', ')} (repeatable; the bundle always gets every report)`,
      ).argParser(collect),
    )
    .option('--sign-key <file>', 'Ed25519 private key (PEM) to sign the bundle; default: your per-user key')
    .option('--quick', 'a smoke run for CI: text messages only, 60 rounds per cohort, fixed design unless --design')
    .addOption(
      new Option(
        '--design <name>',
        'sequential (stop each comparison when decided) or fixed (today’s fixed N)',
      ).choices(['sequential', 'fixed']),
    )
    .option('--dry-run', 'print the load plan (requests, rates, longest time, detectable effects) and send nothing')
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
    .option(
      '--duration <time>',
      'run the text latency stream for this wall-clock time (24h, 90m, 3600s) at the configured rate',
      parseDuration,
    )
    .option('--resume <dir>', 'continue an interrupted or killed run from its last checkpoint, into the same bundle')
    .addHelpText('after', HELP_AFTER)
    .action(async (options: RunCommandOptions) => {
      process.exitCode = await runCommand(options);
    });
}

/** Runs the command and returns its exit code. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const interrupts = interruptHandling();
  const progress = stderrProgress();
  try {
    const reporters = stdoutReporters(options);
    const runOptions = await toRunOptions(options, interrupts.signal, reporters, progress);
    if (options.dryRun === true) {
      const { plan, text } = await planAudit(runOptions);
      process.stdout.write(options.json === true ? `${JSON.stringify(plan, null, 2)}\n` : text);
      return 0;
    }
    const result = await runAudit({ ...runOptions, drainSignal: interrupts.drainSignal });
    interrupts.onWritten(result.bundleDir);
    progress.done();
    await print(result, reporters, options);
    return result.exitCode;
  } catch (error: unknown) {
    return reportHarnessError(error, { isJson: options.json === true });
  } finally {
    progress.done();
    interrupts.dispose();
  }
}

/**
 * Progress on stderr: on a terminal a status line (check, samples so far of planned, elapsed, ETA), groups
 * under GitHub Actions, plain lines otherwise.
 */
function stderrProgress(): Progress {
  return createProgress({
    write: (text) => process.stderr.write(text),
    isTty: process.stderr.isTTY === true,
    ...(process.stderr.columns === undefined ? {} : { width: process.stderr.columns }),
    isGithub: process.env.GITHUB_ACTIONS === 'true',
    dim: consolePaint().dim,
  });
}

/**
 * Ctrl-C once: stop scheduling, drain in-flight requests, write the bundle marked interrupted.
 * Twice: stop draining (in-flight requests are cut off) and write what was recorded. Three times:
 * quit at once, saying plainly whether a bundle was written.
 */
function interruptHandling(): {
  signal: AbortSignal;
  drainSignal: AbortSignal;
  onWritten(dir: string): void;
  dispose(): void;
} {
  const stop = new AbortController();
  const drain = new AbortController();
  let written: string | null = null;
  let count = 0;
  const say = (text: string): void => void process.stderr.write(chalk.yellow(`\n${text}\n`));
  const onInterrupt = (): void => {
    count += 1;
    if (count === 1) {
      say('interrupted: finishing in-flight requests and writing the bundle (Ctrl-C again to stop waiting for them)');
      stop.abort();
    } else if (count === 2) {
      say(
        'interrupted again: cutting off in-flight requests and writing what was recorded (Ctrl-C again to quit without a bundle)',
      );
      drain.abort();
    } else {
      say(written === null ? 'quit: no bundle was written' : `quit: the bundle was written to ${written}`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  return {
    signal: stop.signal,
    drainSignal: drain.signal,
    onWritten: (dir) => {
      written = dir;
    },
    dispose: () => {
      process.removeListener('SIGINT', onInterrupt);
      process.removeListener('SIGTERM', onInterrupt);
    },
  };
}

async function toRunOptions(
  options: RunCommandOptions,
  signal: AbortSignal,
  reporters: StdoutReporterName[],
  progress: Progress,
): Promise<RunOptions> {
  if (options.config !== undefined && options.scenario !== undefined)
    throw new UsageError('--scenario applies to the built-in platform only; drop it or drop --config');
  const replanned = PLAN_OPTIONS.filter((name) => options.resume !== undefined && options[name] !== undefined);
  if (replanned.length > 0)
    throw new UsageError(`--resume continues the recorded plan; drop --${replanned.map(kebab).join(', --')}`);
  if (options.duration !== undefined && options.quick === true)
    throw new UsageError('--duration and --quick both set how long the latency stream runs; give one');
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
    ...(options.resume === undefined ? {} : { resumeDir: options.resume }),
    ...(options.duration === undefined ? {} : { durationMs: options.duration }),
    ...checkpointInterval(),
    isQuick: options.quick === true,
    ...(options.design === undefined ? {} : { design: options.design }),
    ...(vantage === undefined ? {} : { vantage }),
    ...(options.simExtraDelay === undefined ? {} : { simExtraDelayMs: options.simExtraDelay }),
    signal,
    onLog: (message) => {
      if (!isQuiet) progress.log(message);
    },
    onProgress: (update) => {
      if (!isQuiet) progress.update(update);
    },
    reportOptions: reportOptionsOf(options),
  };
}

/** DMA_AUDIT_CHECKPOINT_MS shortens the checkpoint interval (tests that kill a run need one soon). */
function checkpointInterval(): { checkpointMs?: number } {
  const raw = process.env.DMA_AUDIT_CHECKPOINT_MS;
  const value = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? { checkpointMs: value } : {};
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
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

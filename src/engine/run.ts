/**
 * runChecks(): the engine. Given the checks to run and a validated config, it drives them through one
 * client, budget, scheduler and recorder, analyses the observations and writes the evidence bundle.
 * It knows no check and no platform by name: the composition root (src/app/) supplies both.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AnalysisContext } from '../core/analysis.js';
import { createClock, type Clock } from '../core/clock.js';
import { createRng } from '../core/rng.js';
import type { Finding, Observation, Results, Summary, Vantage, Verdict } from '../core/types.js';
import { VERDICTS } from '../core/types.js';
import { TOOL } from '../core/version.js';
import type { LoadedConfig } from '../config/types.js';
import { writeBundle } from '../evidence/bundle.js';
import type { SigningKey } from '../evidence/keys.js';
import { Recorder } from '../evidence/recorder.js';
import { Budget } from '../http/budget.js';
import { HttpClient } from '../http/client.js';
import { analyseRun, ERRORED, SKIPPED } from './analyse.js';
import type { CheckDefinition } from './check.js';
import { createCheckContext, createRunState, missingRequirement, type ContextParts } from './context.js';
import { Scheduler } from './scheduler.js';
import { openWebhookHub, type WebhookObserver } from './webhooks.js';

/** How the engine runs a set of checks; the composition root fills it from the user's options. */
export interface EngineOptions {
  seed: number;
  signingKey: SigningKey;
  /** Parent folder of the bundle (default ./reports); the bundle is <outDir>/<run id>. */
  outDir?: string;
  /** The built-in platform's scenario, when that is the target (recorded in results and the run id). */
  scenario?: string | undefined;
  isQuick?: boolean;
  /** Aborting stops scheduling, drains in-flight requests and still writes a bundle marked interrupted. */
  signal?: AbortSignal;
  /** Progress lines for humans (stderr in the CLI). */
  onLog?: (message: string) => void;
  /** Renders report files into the bundle folder before it is signed. */
  renderReports?: (dir: string) => Promise<void>;
  /** Records what webhook set-up and deliveries show (the conformance suite's observer). */
  webhookObserver?: WebhookObserver;
  /** Where this run measures from (`--vantage`): recorded in results, manifest and on every sample. */
  vantage?: Vantage;
}

/** What a finished run left behind. */
export interface RunResult {
  results: Results;
  bundleDir: string;
  exitCode: 0 | 1 | 3;
  signingKey: SigningKey;
}

/** Runs `checks` against the target in `loaded`, analyses them and writes the evidence bundle. */
export async function runChecks(
  checks: readonly CheckDefinition[],
  loaded: LoadedConfig,
  options: EngineOptions,
): Promise<RunResult> {
  const { config } = loaded;
  const { seed, signingKey } = options;
  const log = options.onLog ?? (() => undefined);
  const clock = createClock();
  const signal = options.signal ?? new AbortController().signal;
  const recorder = new Recorder(clock, loaded.secrets);
  const budget = new Budget(config.limits, clock);
  const http = new HttpClient({
    budget,
    recorder,
    clock,
    signal,
    timeoutMs: config.limits.timeoutMs,
    maxBodyBytes: config.limits.maxBodyBytes,
  });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const needsWebhook = checks.some((check) => check.requires.includes('webhook'));
  const webhooks = needsWebhook
    ? await openWebhookHub(config, { recorder, clock, http, observer: options.webhookObserver })
    : undefined;
  const parts: ContextParts = {
    config,
    http,
    recorder,
    scheduler: new Scheduler(clock, signal),
    rng: createRng(seed),
    signal,
    isQuick: options.isQuick === true,
    webhooks,
    log,
    runState: createRunState(),
  };
  try {
    for (const check of checks) {
      if (signal.aborted) break;
      await runCheck(check, parts, recorder);
    }
  } finally {
    loopDelay.disable();
    http.close();
    await webhooks?.close();
  }
  const analysisContext = analysisContextOf(loaded, seed);
  const findings = analyseRun(checks, recorder.observations, analysisContext);
  const results = buildResults({
    loaded,
    seed,
    clock,
    findings,
    analysisContext,
    checks,
    isInterrupted: signal.aborted,
    scenario: options.scenario,
    loopDelay,
    budget,
    vantage: options.vantage,
  });
  const bundleDir = join(options.outDir ?? 'reports', results.run.id);
  await writeBundle(
    bundleDir,
    {
      results,
      observations: withVantage(recorder.observations, options.vantage),
      exchanges: recorder.exchanges,
      configDigest: loaded.digest,
    },
    { key: signingKey, ...(options.renderReports === undefined ? {} : { renderReports: options.renderReports }) },
  );
  return { results, bundleDir, exitCode: results.summary.exitCode, signingKey };
}

/** Runs one check; a missing surface is a recorded skip, a thrown error a recorded error (never a pass). */
async function runCheck(check: CheckDefinition, parts: ContextParts, recorder: Recorder): Promise<void> {
  const missing = check.requires.map((r) => missingRequirement(r, parts)).find((reason) => reason !== null);
  if (missing !== undefined && missing !== null) {
    recorder.record({ check: check.id, cohort: '*', kind: SKIPPED, data: { reason: missing } });
    return;
  }
  parts.log(`${check.id} ${check.title}`);
  try {
    await check.run(createCheckContext(parts));
  } catch (error: unknown) {
    recorder.record({
      check: check.id,
      cohort: '*',
      kind: ERRORED,
      data: { reason: error instanceof Error ? error.message : String(error) },
    });
  }
}

function analysisContextOf(loaded: LoadedConfig, seed: number): AnalysisContext {
  const { config } = loaded;
  const asRef = (c: { id: string; label: string }): { id: string; label: string } => ({ id: c.id, label: c.label });
  const reference = config.cohorts.find((c) => c.role === 'reference');
  return {
    analysis: config.analysis,
    reference: asRef(reference ?? { id: 'reference', label: 'reference' }),
    subjects: config.cohorts.filter((c) => c.role === 'subject').map(asRef),
    seed,
    target: {
      feeHeaders: config.target.businessApi?.feeHeaders ?? [],
      pinnedIdentityKey: config.target.interop?.pinnedIdentityKey ?? null,
    },
  };
}

interface ResultsInput {
  loaded: LoadedConfig;
  seed: number;
  clock: Clock;
  findings: Finding[];
  analysisContext: AnalysisContext;
  checks: readonly CheckDefinition[];
  isInterrupted: boolean;
  scenario: string | undefined;
  loopDelay: ReturnType<typeof monitorEventLoopDelay>;
  budget: Budget;
  vantage: Vantage | undefined;
}

function buildResults(input: ResultsInput): Results {
  const { loaded, clock, findings } = input;
  const startedAt = clock.startedAt.toISOString();
  const ms = (ns: number): number => Math.round((Number.isFinite(ns) ? ns : 0) / 1e4) / 100;
  return {
    schemaVersion: 1,
    tool: { name: TOOL.name, version: TOOL.version },
    run: {
      id: runId(clock.startedAt, input.scenario ?? loaded.config.target.name),
      startedAt,
      finishedAt: new Date().toISOString(),
      status: input.isInterrupted ? 'interrupted' : 'complete',
      seed: input.seed,
      target: {
        name: loaded.config.target.name,
        ...(input.scenario === undefined ? {} : { scenario: input.scenario }),
      },
      cohorts: loaded.config.cohorts.map((c) => ({ id: c.id, label: c.label, role: c.role })),
      analysis: input.analysisContext,
      selection: {
        checks: input.checks.map((c) => c.id),
        descriptions: Object.fromEntries(input.checks.map((c) => [c.id, c.description])),
      },
      eventLoopDelayMs: {
        p50: ms(input.loopDelay.percentile(50)),
        p99: ms(input.loopDelay.percentile(99)),
        max: ms(input.loopDelay.max),
      },
      ...(input.vantage === undefined ? {} : { vantage: input.vantage }),
    },
    summary: summarise(findings, input.isInterrupted),
    findings,
  };
}

/** Samples carry the vantage point they were measured from, so pooled samples stay stratified. */
function withVantage(observations: readonly Observation[], vantage: Vantage | undefined): readonly Observation[] {
  return vantage === undefined ? observations : observations.map((o) => ({ ...o, vantage: vantage.name }));
}

/** Counts verdicts and derives the exit code of the CLI contract (README, "Exit codes"). */
export function summarise(findings: readonly Finding[], isInterrupted: boolean): Summary {
  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const finding of findings) byVerdict[finding.verdict] += 1;
  const isUnsettled = isInterrupted || byVerdict.inconclusive > 0 || byVerdict.error > 0;
  return { total: findings.length, byVerdict, exitCode: byVerdict.fail > 0 ? 1 : isUnsettled ? 3 : 0 };
}

function runId(startedAt: Date, label: string): string {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const slug =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 32) || 'run';
  return `${stamp}-${slug}-${randomBytes(2).toString('hex')}`;
}

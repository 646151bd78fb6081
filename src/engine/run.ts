/**
 * runAudit(): config → plan → engine → observations → analysis → findings → bundle. The CLI's `run`
 * calls this and nothing else; tests call it directly.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CATALOGUE } from '../../suites/index.js';
import { loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { loadSigningKey, type SigningKey } from '../evidence/keys.js';
import type { Recorder } from '../evidence/recorder.js';
import { HttpClient } from '../http/client.js';
import { simAuditConfig } from '../sim/audit-config.js';
import { startSim, type RunningSim } from '../sim/server.js';
import { TOOL } from '../core/version.js';
import type { Finding, ResumeInfo, Results, RunCheckpoint, Summary, Verdict } from '../core/types.js';
import { VERDICTS } from '../core/types.js';
import { analyseRun, ERRORED, RESTARTED, SKIPPED } from './analyse.js';
import { UsageError } from '../core/errors.js';
import { openRecording, readResumePoint, recordedObservations, type ResumePoint } from './recording.js';
import { Budget } from '../http/budget.js';
import type { AnalysisContext, CheckDefinition } from './check.js';
import { createClock, type Clock } from '../core/clock.js';
import { createCheckContext, createRunState, missingRequirement, type ContextParts } from './context.js';
import { selectChecks } from './plan.js';
import { createRng } from '../core/rng.js';
import { Scheduler } from './scheduler.js';
import { openWebhookHub } from './webhooks.js';

export interface RunOptions {
  /** A validated config; without one the built-in reference platform is started and audited. */
  config?: LoadedConfig;
  /** Scenario for the built-in platform (default self-preferencing). */
  scenario?: string;
  checks?: string[];
  suites?: string[];
  /** Parent folder of the bundle (default ./reports); the bundle is <outDir>/<run id>. */
  outDir?: string;
  seed?: number;
  samples?: number;
  maxRps?: number;
  maxRequests?: number;
  isQuick?: boolean;
  /** PEM file of an Ed25519 private key; default: the per-user key. */
  signKeyFile?: string;
  /** A ready key (tests); wins over signKeyFile. */
  signingKey?: SigningKey;
  /** Aborting stops scheduling, drains in-flight requests and still writes a bundle marked interrupted. */
  signal?: AbortSignal;
  /** Progress lines for humans (stderr in the CLI). */
  onLog?: (message: string) => void;
  /** Renders report files into the bundle folder (the CLI passes src/report's writer). */
  renderReports?: (dir: string) => Promise<void>;
  /** Continue the interrupted run whose bundle is this folder (same seed, plan and cohorts) into the same bundle. */
  resumeDir?: string;
  /** Run the text latency stream for this long (ms) at the configured rate, instead of to `samples`. */
  durationMs?: number;
  /** Seal the bundle at least this often (ms, default 60 000). */
  checkpointMs?: number;
}

export interface RunResult {
  results: Results;
  bundleDir: string;
  exitCode: 0 | 1 | 3;
  signingKey: SigningKey;
}

/** Runs an audit end to end and writes its evidence bundle. */
export async function runAudit(given: RunOptions = {}): Promise<RunResult> {
  const resume = given.resumeDir === undefined ? undefined : await readResumePoint(given.resumeDir);
  const options = resume === undefined ? given : resumedOptions(given, resume);
  const seed = options.seed ?? randomBytes(4).readUInt32BE() >>> 1;
  const checks = selectChecks(CATALOGUE, { checks: options.checks ?? [], suites: options.suites ?? [] });
  const signingKey = options.signingKey ?? (await loadSigningKey(options.signKeyFile));
  const sim =
    options.config === undefined
      ? await startSim({ scenario: options.scenario ?? 'self-preferencing', seed })
      : undefined;
  try {
    const loaded = withOverrides(options.config ?? loadConfig(simAuditConfig(sim as RunningSim), {}), options);
    if (resume !== undefined && resume.info.configDigest !== (options.config === undefined ? null : loaded.digest))
      throw new UsageError(
        `--resume ${resume.dir}: give the same --config the run was started with (or none if it had none)`,
      );
    return await audit({ options, loaded, checks, seed, signingKey, sim, resume });
  } finally {
    await sim?.close();
  }
}

/** The options a resumed run continues with: the recorded ones, plus what only the caller can give (key, output, signal). */
function resumedOptions(given: RunOptions, { previous, info }: ResumePoint): RunOptions {
  const pick = <K extends keyof ResumeInfo>(key: K): Partial<Record<K, NonNullable<ResumeInfo[K]>>> =>
    info[key] === undefined ? {} : ({ [key]: info[key] } as Record<K, NonNullable<ResumeInfo[K]>>);
  return {
    ...given,
    ...pick('scenario'),
    checks: info.checks,
    suites: [],
    seed: previous.run.seed,
    ...pick('samples'),
    ...pick('maxRps'),
    ...pick('maxRequests'),
    ...pick('durationMs'),
    isQuick: info.isQuick,
  };
}

interface AuditInput {
  options: RunOptions;
  loaded: LoadedConfig;
  checks: CheckDefinition[];
  seed: number;
  signingKey: SigningKey;
  sim: RunningSim | undefined;
  resume: ResumePoint | undefined;
}

async function audit(input: AuditInput): Promise<RunResult> {
  const { options, loaded, checks, seed, signingKey, sim, resume } = input;
  const { config } = loaded;
  const log = options.onLog ?? (() => undefined);
  const clock = createClock();
  const signal = options.signal ?? new AbortController().signal;
  const budget = new Budget(config.limits, clock);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const analysisContext = analysisContextOf(loaded, seed);
  const scenario = sim?.scenario.name;
  const id = resume?.previous.run.id ?? runId(clock.startedAt, scenario ?? config.target.name);
  const startedAt = resume?.previous.run.startedAt ?? clock.startedAt.toISOString();
  const completed = new Set(resume?.info.completedChecks ?? []);
  const base = { loaded, seed, id, startedAt, analysisContext, checks, scenario, loopDelay, budget };
  const resumeInfo = (): ResumeInfo => resumeInfoOf(options, loaded, checks, completed, resume);
  const recording = await openRecording({
    dir: resume?.dir ?? join(options.outDir ?? 'reports', id),
    key: signingKey,
    runId: id,
    startedAt,
    seed,
    configDigest: loaded.digest,
    secrets: loaded.secrets,
    clock,
    ...(options.checkpointMs === undefined ? {} : { checkpointMs: options.checkpointMs }),
    checkpointResults: (counts) =>
      buildResults({ ...base, findings: [], isInterrupted: true, resume: resumeInfo(), checkpoint: counts }),
    isResume: resume !== undefined,
  });
  const { recorder, writer } = recording;
  try {
    const http = new HttpClient({
      budget,
      recorder,
      clock,
      signal,
      timeoutMs: config.limits.timeoutMs,
      maxBodyBytes: config.limits.maxBodyBytes,
    });
    loopDelay.enable();
    const needsWebhook = checks.some((check) => check.requires.includes('webhook'));
    const webhooks = needsWebhook ? await openWebhookHub(config, recorder, clock, http) : undefined;
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
        if (completed.has(check.id)) continue;
        if (resume !== undefined) recorder.record({ check: check.id, cohort: '*', kind: RESTARTED });
        await runCheck(check, parts, recorder);
        if (!signal.aborted) completed.add(check.id);
      }
    } finally {
      loopDelay.disable();
      http.close();
      await webhooks?.close();
    }
    const findings = analyseRun(checks, await recordedObservations(recording), analysisContext);
    const results = buildResults({ ...base, findings, isInterrupted: signal.aborted, resume: resumeInfo() });
    await writer.finish(results, options.renderReports);
    return { results, bundleDir: writer.dir, exitCode: results.summary.exitCode, signingKey };
  } finally {
    await writer.close();
  }
}

/** What `run --resume` needs to continue this run the same way. */
function resumeInfoOf(
  options: RunOptions,
  loaded: LoadedConfig,
  checks: readonly CheckDefinition[],
  completed: ReadonlySet<string>,
  resume: ResumePoint | undefined,
): ResumeInfo {
  return {
    ...(options.scenario === undefined || options.config !== undefined ? {} : { scenario: options.scenario }),
    checks: checks.map((check) => check.id),
    ...(options.samples === undefined ? {} : { samples: options.samples }),
    ...(options.maxRps === undefined ? {} : { maxRps: options.maxRps }),
    ...(options.maxRequests === undefined ? {} : { maxRequests: options.maxRequests }),
    isQuick: options.isQuick === true,
    ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
    configDigest: options.config === undefined ? null : loaded.digest,
    resumes: resume === undefined ? 0 : resume.info.resumes + 1,
    completedChecks: checks.filter((check) => completed.has(check.id)).map((check) => check.id),
  };
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

function withOverrides(loaded: LoadedConfig, options: RunOptions): LoadedConfig {
  const { config } = loaded;
  const limits = {
    ...config.limits,
    ...(options.maxRps === undefined ? {} : { maxRps: options.maxRps }),
    ...(options.maxRequests === undefined ? {} : { maxRequests: options.maxRequests }),
  };
  const samples =
    options.durationMs === undefined
      ? options.samples
      : samplesForDuration(
          options.durationMs,
          Math.min(config.analysis.latencyRps, limits.maxRps / 2),
          config.cohorts.length,
        );
  return {
    ...loaded,
    config: {
      ...config,
      limits,
      analysis: { ...config.analysis, ...(samples === undefined ? {} : { samples }) },
    },
  };
}

/**
 * Samples per cohort that keep the open-loop, interleaved text latency stream going for `durationMs`
 * at `rate` requests a second over all cohorts (suites/shared/probe-rounds.ts paces it so).
 */
export function samplesForDuration(durationMs: number, rate: number, cohorts: number): number {
  return Math.max(1, Math.ceil(((durationMs / 1000) * rate) / Math.max(1, cohorts)));
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
  id: string;
  startedAt: string;
  findings: Finding[];
  analysisContext: AnalysisContext;
  checks: CheckDefinition[];
  isInterrupted: boolean;
  scenario: string | undefined;
  loopDelay: ReturnType<typeof monitorEventLoopDelay>;
  budget: Budget;
  resume: ResumeInfo;
  /** Set for a checkpoint's results (no findings yet). */
  checkpoint?: RunCheckpoint;
}

function buildResults(input: ResultsInput): Results {
  const { loaded, findings, startedAt } = input;
  const ms = (ns: number): number => Math.round((Number.isFinite(ns) ? ns : 0) / 1e4) / 100;
  return {
    schemaVersion: 1,
    tool: { name: TOOL.name, version: TOOL.version },
    run: {
      id: input.id,
      startedAt,
      finishedAt: new Date().toISOString(),
      status: input.isInterrupted ? 'interrupted' : 'complete',
      seed: input.seed,
      target: {
        name: loaded.config.target.name,
        ...(input.scenario === undefined ? {} : { scenario: input.scenario }),
      },
      cohorts: loaded.config.cohorts.map((c) => ({ id: c.id, label: c.label, role: c.role })),
      analysis: input.analysisContext as unknown as Results['run']['analysis'],
      selection: { checks: input.checks.map((c) => c.id) },
      eventLoopDelayMs: {
        p50: ms(input.loopDelay.percentile(50)),
        p99: ms(input.loopDelay.percentile(99)),
        max: ms(input.loopDelay.max),
      },
      ...(input.checkpoint === undefined ? {} : { checkpoint: input.checkpoint }),
      resume: input.resume,
    },
    summary: summarise(findings, input.isInterrupted),
    findings,
  };
}

/** Counts verdicts and derives the exit code of DESIGN.md's CLI contract. */
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

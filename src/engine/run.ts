/**
 * runChecks(): the engine. Given the checks to run and a validated config, it drives them through one
 * client, budget, scheduler and recorder, analyses the observations and writes the evidence bundle.
 * It knows no check and no platform by name: the composition root (src/app/) supplies both.
 * The bundle is written as the run goes and sealed at every checkpoint (src/engine/recording.ts);
 * a resumed run continues it, skipping the checks that had ended.
 */
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AnalysisContext } from '../core/analysis.js';
import { createClock } from '../core/clock.js';
import { createRng } from '../core/rng.js';
import type { RunProgress } from '../core/progress.js';
import type { Finding, ResumeInfo, Results, RunCheckpoint, Summary, Vantage, Verdict } from '../core/types.js';
import { VERDICTS } from '../core/types.js';
import { TOOL } from '../core/version.js';
import type { LoadedConfig } from '../config/types.js';
import type { SigningKey } from '../evidence/keys.js';
import type { Recorder } from '../evidence/recorder.js';
import { Budget } from '../http/budget.js';
import { HttpClient } from '../http/client.js';
import { analyseRun, ERRORED, RESTARTED, SKIPPED } from './analyse.js';
import type { CheckDefinition } from './check.js';
import {
  createCheckContext,
  createRunState,
  missingRequirement,
  type ContextParts,
  type ProgressSink,
} from './context.js';
import { Scheduler } from './scheduler.js';
import { earlierObservations, openRecording, recordedObservations, type ResumePoint } from './recording.js';
import { openWebhookHub, type WebhookObserver } from './webhooks.js';
import { runId } from '../core/run-id.js';

/** The options a run was started with, recorded so `run --resume` continues it the same way. */
export type ResumePlan = Omit<ResumeInfo, 'resumes' | 'completedChecks'>;

/** Timer interval of the event-loop delay monitor, in ms. */
const LOOP_RESOLUTION_MS = 10;

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
  /** Aborted after `signal` (a second Ctrl-C): stops waiting for in-flight requests; the bundle is still written. */
  drainSignal?: AbortSignal;
  /** Progress lines for humans (stderr in the CLI). */
  onLog?: (message: string) => void;
  /** How far the run has got: each check as it starts, then its work so far (often; a display should throttle). */
  onProgress?: (progress: RunProgress) => void;
  /** Renders report files into the bundle folder before it is signed. */
  renderReports?: (dir: string) => Promise<void>;
  /** Records what webhook set-up and deliveries show (the conformance suite's observer). */
  webhookObserver?: WebhookObserver;
  /** How this run was planned (recorded in results.json for `run --resume`). */
  plan: ResumePlan;
  /** Continue this interrupted run's bundle instead of starting one. */
  resume?: ResumePoint;
  /** Seal the bundle at least this often (ms, default 60 000). */
  checkpointMs?: number;
  /** Where this run measures from (`--vantage`): recorded in results, manifest and on every sample. */
  vantage?: Vantage;
  /** Requests the reachability preflight already sent: the budget counts them from the start. */
  preflightRequests?: number;
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
  const { seed, signingKey, resume } = options;
  const rawLog = options.onLog ?? (() => undefined);
  const clock = createClock();
  const signal = options.signal ?? new AbortController().signal;
  const budget = new Budget(config.limits, clock, options.preflightRequests ?? 0);
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  const analysisContext = analysisContextOf(loaded, seed);
  const id = resume?.previous.run.id ?? runId(clock.startedAt, options.scenario ?? config.target.name);
  const startedAt = resume?.previous.run.startedAt ?? clock.startedAt.toISOString();
  const completed = new Set(resume?.info.completedChecks ?? []);
  const resumeInfo = (): ResumeInfo => ({
    ...options.plan,
    resumes: resume === undefined ? 0 : resume.info.resumes + 1,
    completedChecks: checks.filter((check) => completed.has(check.id)).map((check) => check.id),
  });
  const base = {
    loaded,
    seed,
    id,
    startedAt,
    analysisContext,
    checks,
    scenario: options.scenario,
    loopDelay,
    budget,
    vantage: options.vantage,
  };
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
    ...(options.vantage === undefined ? {} : { vantage: options.vantage.name }),
  });
  const { recorder, writer } = recording;
  const log = (message: string): void => rawLog(recorder.redactor.text(message));
  try {
    const http = new HttpClient({
      budget,
      recorder,
      clock,
      signal,
      timeoutMs: config.limits.timeoutMs,
      maxBodyBytes: config.limits.maxBodyBytes,
      maxTotalBodyBytes: config.limits.maxTotalBodyBytes,
    });
    loopDelay.enable();
    const needsWebhook = checks.some((check) => check.requires.includes('webhook'));
    const webhooks = needsWebhook
      ? await openWebhookHub(config, { recorder, clock, http, observer: options.webhookObserver })
      : undefined;
    // A second interrupt stops the drain: in-flight requests end now (recorded as resets), waits end empty.
    options.drainSignal?.addEventListener(
      'abort',
      () => {
        http.close();
        void webhooks?.close();
      },
      { once: true },
    );
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
      progress: progressSink(options.onProgress),
      runState: createRunState(),
      selection: checks.map((check) => check.id),
      earlier: earlierObservations(recording),
    };
    try {
      for (const [index, check] of checks.entries()) {
        if (completed.has(check.id)) continue;
        if (signal.aborted) {
          recordNotRun(check, recorder, 'not run: the run was interrupted before this check started');
          continue;
        }
        if (resume !== undefined) recorder.record({ check: check.id, cohort: '*', kind: RESTARTED });
        await runCheck(check, parts, recorder, { index: index + 1, total: checks.length });
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
    // An interrupt that arrived while the bundle was being written: the same bundle, marked interrupted.
    const final = signal.aborted && results.run.status === 'complete' ? asInterrupted(results) : results;
    if (final !== results) await writer.amend(final, options.renderReports);
    return { results: final, bundleDir: writer.dir, exitCode: final.summary.exitCode, signingKey };
  } finally {
    await writer.close();
  }
}

/**
 * Progress as the caller sees it. Work is credited to the check running now: a shared stream that an
 * earlier check started goes on counting under the check that awaits it.
 */
function progressSink(onProgress: EngineOptions['onProgress']): ProgressSink {
  let running = '';
  return {
    start(check, index, total) {
      running = check;
      onProgress?.({ kind: 'check', check, index, total });
    },
    work: (update) => onProgress?.({ kind: 'work', check: running, ...update }),
  };
}

/** Runs one check; a missing surface is a recorded skip, a thrown error a recorded error (never a pass). */
async function runCheck(
  check: CheckDefinition,
  parts: ContextParts,
  recorder: Recorder,
  position: { index: number; total: number },
): Promise<void> {
  const missing = check.requires.map((r) => missingRequirement(r, parts)).find((reason) => reason !== null);
  if (missing !== undefined && missing !== null) {
    recorder.record({ check: check.id, cohort: '*', kind: SKIPPED, data: { reason: missing } });
    return;
  }
  parts.progress.start(check.id, position.index, position.total);
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

/** The results of a run marked interrupted (its findings stay as they were analysed). */
function asInterrupted(results: Results): Results {
  return {
    ...results,
    run: { ...results.run, status: 'interrupted' },
    summary: summarise(results.findings, true),
  };
}

/** A check the run never started is a skip with the reason, never a pass. */
function recordNotRun(check: CheckDefinition, recorder: Recorder, reason: string): void {
  recorder.record({ check: check.id, cohort: '*', kind: SKIPPED, data: { reason } });
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
  checks: readonly CheckDefinition[];
  isInterrupted: boolean;
  scenario: string | undefined;
  loopDelay: ReturnType<typeof monitorEventLoopDelay>;
  budget: Budget;
  resume: ResumeInfo;
  /** Set for a checkpoint's results (no findings yet). */
  checkpoint?: RunCheckpoint;
  vantage: Vantage | undefined;
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
      analysis: input.analysisContext,
      selection: {
        checks: input.checks.map((c) => c.id),
        descriptions: Object.fromEntries(input.checks.map((c) => [c.id, c.description])),
      },
      eventLoopDelayMs: {
        // The histogram holds whole timer intervals; the delay is what exceeds the resolution.
        p50: ms(Math.max(0, input.loopDelay.percentile(50) - LOOP_RESOLUTION_MS * 1e6)),
        p99: ms(Math.max(0, input.loopDelay.percentile(99) - LOOP_RESOLUTION_MS * 1e6)),
        max: ms(Math.max(0, input.loopDelay.max - LOOP_RESOLUTION_MS * 1e6)),
      },
      ...(input.checkpoint === undefined ? {} : { checkpoint: input.checkpoint }),
      resume: input.resume,
      ...(input.vantage === undefined ? {} : { vantage: input.vantage }),
    },
    summary: summarise(findings, input.isInterrupted),
    findings,
  };
}

/** Counts verdicts and derives the exit code of the CLI contract (README, "Exit codes"). */
export function summarise(findings: readonly Finding[], isInterrupted: boolean): Summary {
  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const finding of findings) byVerdict[finding.verdict] += 1;
  const isAllSkipped = findings.length > 0 && byVerdict.skip === findings.length;
  const isUnsettled = isInterrupted || isAllSkipped || byVerdict.inconclusive > 0 || byVerdict.error > 0;
  return { total: findings.length, byVerdict, exitCode: byVerdict.fail > 0 ? 1 : isUnsettled ? 3 : 0 };
}

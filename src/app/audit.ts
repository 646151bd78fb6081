/**
 * The composition root: it wires the check catalogue, the built-in reference platform, the report
 * writers and the recompute step into the engine. Everything above (the CLI, library callers) goes
 * through here; nothing below imports it (docs/architecture.md, "Layers").
 */
import { randomBytes } from 'node:crypto';
import { CATALOGUE } from '../../suites/index.js';
import { conformanceWebhookObserver } from '../../suites/conformance/webhooks/observer.js';
import { loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import type { Finding, Observation, ResumeInfo, Results, Vantage } from '../core/types.js';
import type { RunProgress } from '../core/progress.js';
import type { CheckDefinition } from '../engine/check.js';
import { selectChecks } from '../engine/plan.js';
import { configuredSurfaces, ensureWritableDir, preflight } from '../engine/preflight.js';
import { recomputeFindings } from '../engine/analyse.js';
import { readResumePoint, type ResumePoint } from '../engine/recording.js';
import { runChecks, type ResumePlan, type RunResult } from '../engine/run.js';
import { formatLoadPlan, planLoad, type LoadPlan } from '../engine/load-plan.js';
import { missingRequirement } from '../engine/context.js';
import type { WebhookHub } from '../webhook/hub.js';
import { analyseStrata, type VantageSamples } from '../engine/strata.js';
import { mergeBundles, type MergeResult } from '../campaign/merge.js';
import { readResultsFile } from '../campaign/sources.js';
import { checkSources } from '../campaign/verify-sources.js';
import { loadSigningKey, type SigningKey } from '../evidence/keys.js';
import { verifyBundle as verifyWith, type VerifyOptions, type VerifyReport } from '../evidence/verify.js';
import { readBundleView, writeBundleReports } from '../report/index.js';
import type { ReportOptions } from '../report/types.js';
import { simAuditConfig } from '../sim/audit-config.js';
import { startSim, type RunningSim } from '../sim/server.js';

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
  /** Overrides `analysis.design` (`--design`). */
  design?: 'sequential' | 'fixed';
  /** PEM file of an Ed25519 private key; default: the per-user key. */
  signKeyFile?: string;
  /** A ready key (tests); wins over signKeyFile. */
  signingKey?: SigningKey;
  /** Aborting stops scheduling, drains in-flight requests and still writes a bundle marked interrupted. */
  signal?: AbortSignal;
  /** Aborted on a second Ctrl-C: in-flight requests are cut off instead of drained; the bundle is still written. */
  drainSignal?: AbortSignal;
  /** Progress lines for humans (stderr in the CLI). */
  onLog?: (message: string) => void;
  /** How far the run has got: each check as it starts, then the samples or requests of its long parts so far. */
  onProgress?: (progress: RunProgress) => void;
  /** How the bundle's reports render (e.g. how junit.xml shows an inconclusive verdict). */
  reportOptions?: ReportOptions;
  /** false skips the preflight request to each surface (tests whose mocked transport answers only the routes it knows). */
  preflight?: boolean;
  /** Renders report files into the bundle folder; default: report.html, report.md, junit.xml and repro/, as the CLI writes them. */
  renderReports?: (dir: string) => Promise<void>;
  /** Continue the interrupted run whose bundle is this folder (same seed, plan and cohorts) into the same bundle. */
  resumeDir?: string;
  /** Run the text latency stream for this long (ms) at the configured rate, instead of to `samples`. */
  durationMs?: number;
  /** Seal the bundle at least this often (ms, default 60 000). */
  checkpointMs?: number;
  /** Where this run measures from (`--vantage`, `--vantage-meta`). */
  vantage?: Vantage;
  /** Built-in platform only: extra ms on every accepted send of a role (a slow lane from this vantage point). */
  simExtraDelayMs?: Partial<Record<'reference' | 'subject', number>>;
}

export type { RunResult } from '../engine/run.js';

/** Runs an audit end to end and writes its evidence bundle: the one call behind `dma-audit run`. */
export async function runAudit(given: RunOptions = {}): Promise<RunResult> {
  const resume = given.resumeDir === undefined ? undefined : await readResumePoint(given.resumeDir);
  const options = resume === undefined ? given : resumedOptions(given, resume);
  const seed = options.seed ?? randomBytes(4).readUInt32BE() >>> 1;
  const checks = selectChecks(CATALOGUE, { checks: options.checks ?? [], suites: options.suites ?? [] });
  await ensureWritableDir(options.outDir ?? 'reports');
  const signingKey = options.signingKey ?? (await loadSigningKey(options.signKeyFile));
  const sim =
    options.config === undefined
      ? await startSim({
          scenario: options.scenario ?? 'self-preferencing',
          seed,
          ...(options.simExtraDelayMs === undefined ? {} : { extraDelayMs: options.simExtraDelayMs }),
        })
      : undefined;
  try {
    const configured = withOverrides(options.config ?? loadConfig(simAuditConfig(sim as RunningSim), {}), options);
    const configDigest = options.config === undefined ? null : configured.digest;
    if (resume !== undefined && resume.info.configDigest !== configDigest)
      throw new UsageError(
        `--resume ${resume.dir}: give the same --config the run was started with (or none if it had none)`,
      );
    const preflightRequests = options.preflight === false ? 0 : await checkReachable(configured, options.onLog);
    return await runChecks(checks, configured, {
      preflightRequests,
      plan: planOf(options, checks, configDigest),
      ...(resume === undefined ? {} : { resume }),
      ...(options.checkpointMs === undefined ? {} : { checkpointMs: options.checkpointMs }),
      seed,
      signingKey,
      scenario: sim?.scenario.name,
      isQuick: options.isQuick === true,
      webhookObserver: conformanceWebhookObserver,
      renderReports: options.renderReports ?? ((dir) => renderBundleReports(dir, options.reportOptions)),
      ...(options.outDir === undefined ? {} : { outDir: options.outDir }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.drainSignal === undefined ? {} : { drainSignal: options.drainSignal }),
      ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.vantage === undefined ? {} : { vantage: options.vantage }),
    });
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
    ...pick('design'),
    isQuick: info.isQuick,
  };
}

/** What `run --resume` needs to plan this run again. */
function planOf(options: RunOptions, checks: readonly CheckDefinition[], configDigest: string | null): ResumePlan {
  return {
    ...(options.scenario === undefined || options.config !== undefined ? {} : { scenario: options.scenario }),
    checks: checks.map((check) => check.id),
    ...(options.samples === undefined ? {} : { samples: options.samples }),
    ...(options.maxRps === undefined ? {} : { maxRps: options.maxRps }),
    ...(options.maxRequests === undefined ? {} : { maxRequests: options.maxRequests }),
    isQuick: options.isQuick === true,
    ...designOf(options),
    ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
    configDigest,
  };
}

/** The load plan of `run` with these options, printed by `run --dry-run`; starts no traffic (the built-in platform only listens). */
export async function planAudit(options: RunOptions = {}): Promise<{ plan: LoadPlan; text: string }> {
  const checks = selectChecks(CATALOGUE, { checks: options.checks ?? [], suites: options.suites ?? [] });
  const sim =
    options.config === undefined
      ? await startSim({ scenario: options.scenario ?? 'self-preferencing', seed: 1 })
      : undefined;
  try {
    const loaded = withOverrides(options.config ?? loadConfig(simAuditConfig(sim as RunningSim), {}), options);
    const { webhook } = loaded.config;
    const hasWebhook = webhook?.appSecret !== undefined && webhook.verifyToken !== undefined;
    const parts = { config: loaded.config, webhooks: hasWebhook ? ({} as WebhookHub) : undefined };
    const missing = (check: CheckDefinition): string | null =>
      check.requires.map((r) => missingRequirement(r, parts)).find((reason) => reason !== null) ?? null;
    const plan = planLoad(checks, loaded, { isQuick: options.isQuick === true, missing });
    return { plan, text: formatLoadPlan(plan) };
  } finally {
    await sim?.close();
  }
}

/** Writes the bundle's report files from what is already on disk (record once, render many). */
async function renderBundleReports(dir: string, options: ReportOptions = {}): Promise<void> {
  await writeBundleReports(dir, await readBundleView(dir), options);
}

/**
 * Re-derives a recorded run's findings with this version's catalogue (what `verify` compares against). A merged
 * bundle's pooled samples are split by vantage point, in the order of run.sources, and analysed stratified.
 */
export function recomputeRun(results: Results, observations: Observation[]): Finding[] {
  if (results.run.kind !== 'merged') return recomputeFindings(checksOf(results), observations, results.run.analysis);
  return analyseMerged(results, vantagesOf(results, observations));
}

/** Per-vantage and combined findings of a merged run (src/engine/strata.ts) with this version's checks. */
export function analyseMerged(results: Results, vantages: readonly VantageSamples[]): Finding[] {
  return analyseStrata(checksOf(results), vantages, results.run.analysis);
}

function vantagesOf(results: Results, observations: readonly Observation[]): VantageSamples[] {
  const byVantage = new Map<string, Observation[]>();
  for (const o of observations) {
    const list = byVantage.get(o.vantage ?? '') ?? [];
    list.push(o);
    byVantage.set(o.vantage ?? '', list);
  }
  return (results.run.sources ?? []).map((s) => ({
    vantage: s.vantage.name,
    seed: s.seed,
    observations: byVantage.get(s.vantage.name) ?? [],
  }));
}

/** Verifies a bundle offline, recomputing every verdict with this version's checks (and a merged bundle's sources). */
export async function verifyBundle(dir: string, options: Partial<VerifyOptions> = {}): Promise<VerifyReport> {
  const report = await verifyWith(dir, { recompute: recomputeRun, ...options });
  const results = await readResultsFile(dir).catch(() => null);
  if (results?.run.kind !== 'merged') return report;
  const checks = [...report.checks, await checkSources(dir, results)];
  return { ok: checks.every((c) => c.ok), checks };
}

export interface MergeAuditOptions {
  /** Parent folder of the merged bundle (default ./reports). */
  outDir?: string;
  /** PEM file of an Ed25519 private key; default: the per-user key. */
  signKeyFile?: string;
  /** A ready key (tests); wins over signKeyFile. */
  signingKey?: SigningKey;
  onLog?: (message: string) => void;
}

/** Verifies and merges bundles of several vantage points into one signed bundle: the call behind `dma-audit merge`. */
export async function mergeAudit(
  dirs: readonly string[],
  options: MergeAuditOptions = {},
): Promise<MergeResult & { signingKey: SigningKey }> {
  const signingKey = options.signingKey ?? (await loadSigningKey(options.signKeyFile));
  const result = await mergeBundles(dirs, {
    signingKey,
    verify: (dir) => verifyBundle(dir),
    analyse: analyseMerged,
    renderReports: renderBundleReports,
    ...(options.outDir === undefined ? {} : { outDir: options.outDir }),
    ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
  });
  return { ...result, signingKey };
}

function checksOf(results: Results): CheckDefinition[] {
  const selected = new Set(results.run.selection.checks);
  return CATALOGUE.filter((check) => selected.has(check.id));
}

/**
 * The preflight, kept inside the run's limits: it warns about surfaces that do not answer and returns
 * how many requests it sent, which the run's budget counts towards `limits.maxRequests` and its first
 * second's rate window (it is skipped when the budget has no room for it).
 */
async function checkReachable(loaded: LoadedConfig, onLog: ((message: string) => void) | undefined): Promise<number> {
  const surfaces = configuredSurfaces(loaded.config).length;
  if (surfaces === 0 || loaded.config.limits.maxRequests <= surfaces) return 0;
  for (const probe of await preflight(loaded.config))
    if (probe.status === null) onLog?.(`warning: ${probe.surface} ${probe.url} did not answer (${probe.error ?? ''})`);
  return surfaces;
}

function withOverrides(loaded: LoadedConfig, options: RunOptions): LoadedConfig {
  const { config } = loaded;
  const limits = {
    ...config.limits,
    ...(options.maxRps === undefined ? {} : { maxRps: options.maxRps }),
    ...(options.maxRequests === undefined ? {} : { maxRequests: options.maxRequests }),
  };
  const rate = Math.min(config.analysis.latencyRps, limits.maxRps / 2);
  const samples =
    options.durationMs === undefined
      ? options.samples
      : samplesForDuration(options.durationMs, rate, config.cohorts.length);
  return {
    ...loaded,
    config: {
      ...config,
      limits,
      analysis: {
        ...config.analysis,
        ...(samples === undefined ? {} : { samples }),
        ...designOf(options),
        // A soak measures for its whole duration: a fixed number of rounds, no early stop.
        ...(options.durationMs === undefined ? {} : { design: 'fixed' as const }),
      },
    },
  };
}

/**
 * `--design` overrides the config's `analysis.design`. Without it `--quick` runs the fixed design: a smoke
 * run is too short for a sequential comparison to stop early, and at its size the fixed-N test is the more
 * decisive one (an anytime-valid test pays for being able to stop at any look).
 */
function designOf(options: RunOptions): { design?: 'sequential' | 'fixed' } {
  if (options.design !== undefined) return { design: options.design };
  return options.isQuick === true ? { design: 'fixed' } : {};
}

/**
 * Samples per cohort that keep the open-loop, interleaved text latency stream going for `durationMs`
 * at `rate` requests a second over all cohorts (suites/shared/probe-rounds.ts paces it so).
 */
export function samplesForDuration(durationMs: number, rate: number, cohorts: number): number {
  return Math.max(1, Math.ceil(((durationMs / 1000) * rate) / Math.max(1, cohorts)));
}

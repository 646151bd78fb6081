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
import type { Finding, Observation, Results, Vantage } from '../core/types.js';
import type { CheckDefinition } from '../engine/check.js';
import { selectChecks } from '../engine/plan.js';
import { recomputeFindings } from '../engine/analyse.js';
import { runChecks, type RunResult } from '../engine/run.js';
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
  /** PEM file of an Ed25519 private key; default: the per-user key. */
  signKeyFile?: string;
  /** A ready key (tests); wins over signKeyFile. */
  signingKey?: SigningKey;
  /** Aborting stops scheduling, drains in-flight requests and still writes a bundle marked interrupted. */
  signal?: AbortSignal;
  /** Progress lines for humans (stderr in the CLI). */
  onLog?: (message: string) => void;
  /** How the bundle's reports render (e.g. how junit.xml shows an inconclusive verdict). */
  reportOptions?: ReportOptions;
  /** Renders report files into the bundle folder; default: report.html, report.md, junit.xml and repro/, as the CLI writes them. */
  renderReports?: (dir: string) => Promise<void>;
  /** Where this run measures from (`--vantage`, `--vantage-meta`). */
  vantage?: Vantage;
  /** Built-in platform only: extra ms on every accepted send of a role (a slow lane from this vantage point). */
  simExtraDelayMs?: Partial<Record<'reference' | 'subject', number>>;
}

export type { RunResult } from '../engine/run.js';

/** Runs an audit end to end and writes its evidence bundle: the one call behind `dma-audit run`. */
export async function runAudit(options: RunOptions = {}): Promise<RunResult> {
  const seed = options.seed ?? randomBytes(4).readUInt32BE() >>> 1;
  const checks = selectChecks(CATALOGUE, { checks: options.checks ?? [], suites: options.suites ?? [] });
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
    const loaded = withOverrides(options.config ?? loadConfig(simAuditConfig(sim as RunningSim), {}), options);
    return await runChecks(checks, loaded, {
      seed,
      signingKey,
      scenario: sim?.scenario.name,
      isQuick: options.isQuick === true,
      webhookObserver: conformanceWebhookObserver,
      renderReports: options.renderReports ?? ((dir) => renderBundleReports(dir, options.reportOptions)),
      ...(options.outDir === undefined ? {} : { outDir: options.outDir }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
      ...(options.vantage === undefined ? {} : { vantage: options.vantage }),
    });
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

function withOverrides(loaded: LoadedConfig, options: RunOptions): LoadedConfig {
  const { config } = loaded;
  return {
    ...loaded,
    config: {
      ...config,
      limits: {
        ...config.limits,
        ...(options.maxRps === undefined ? {} : { maxRps: options.maxRps }),
        ...(options.maxRequests === undefined ? {} : { maxRequests: options.maxRequests }),
      },
      analysis: { ...config.analysis, ...(options.samples === undefined ? {} : { samples: options.samples }) },
    },
  };
}

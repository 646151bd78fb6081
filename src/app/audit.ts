/**
 * The composition root: it wires the check catalogue, the built-in reference platform, the report
 * writers and the recompute step into the engine. Everything above (the CLI, library callers) goes
 * through here; nothing below imports it (docs/architecture.md, "Layers").
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CATALOGUE } from '../../suites/index.js';
import { conformanceWebhookObserver } from '../../suites/conformance/webhooks/observer.js';
import { loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import type { Finding, Observation, Results } from '../core/types.js';
import type { CheckDefinition } from '../engine/check.js';
import { selectChecks } from '../engine/plan.js';
import { configuredSurfaces, ensureWritableDir, preflight } from '../engine/preflight.js';
import { recomputeFindings } from '../engine/analyse.js';
import { runChecks, type RunResult } from '../engine/run.js';
import { loadSigningKey, type SigningKey } from '../evidence/keys.js';
import { verifyBundle as verifyWith, type VerifyOptions, type VerifyReport } from '../evidence/verify.js';
import { readBundleView, writeReports, type ReportFormat } from '../report/index.js';
import { simAuditConfig } from '../sim/audit-config.js';
import { startSim, type RunningSim } from '../sim/server.js';

/** The report files every bundle carries besides results.json. */
export const BUNDLE_REPORTS: readonly ReportFormat[] = ['html', 'md', 'junit'];

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
  /** Aborted on a second Ctrl-C: in-flight requests are cut off instead of drained; the bundle is still written. */
  drainSignal?: AbortSignal;
  /** Progress lines for humans (stderr in the CLI). */
  onLog?: (message: string) => void;
  /** false skips the preflight request to each surface (tests whose mocked transport answers only the routes it knows). */
  preflight?: boolean;
  /** Renders report files into the bundle folder; default: html, md and junit, as the CLI writes them. */
  renderReports?: (dir: string) => Promise<void>;
}

export type { RunResult } from '../engine/run.js';

/** Runs an audit end to end and writes its evidence bundle: the one call behind `dma-audit run`. */
export async function runAudit(options: RunOptions = {}): Promise<RunResult> {
  const seed = options.seed ?? randomBytes(4).readUInt32BE() >>> 1;
  const checks = selectChecks(CATALOGUE, { checks: options.checks ?? [], suites: options.suites ?? [] });
  await ensureWritableDir(options.outDir ?? 'reports');
  const signingKey = options.signingKey ?? (await loadSigningKey(options.signKeyFile));
  const sim =
    options.config === undefined
      ? await startSim({ scenario: options.scenario ?? 'self-preferencing', seed })
      : undefined;
  try {
    const configured = withOverrides(options.config ?? loadConfig(simAuditConfig(sim as RunningSim), {}), options);
    const loaded = options.preflight === false ? configured : await checkReachable(configured, options.onLog);
    return await runChecks(checks, loaded, {
      seed,
      signingKey,
      scenario: sim?.scenario.name,
      isQuick: options.isQuick === true,
      webhookObserver: conformanceWebhookObserver,
      renderReports: options.renderReports ?? renderBundleReports,
      ...(options.outDir === undefined ? {} : { outDir: options.outDir }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.drainSignal === undefined ? {} : { drainSignal: options.drainSignal }),
      ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
    });
  } finally {
    await sim?.close();
  }
}

/** Writes the bundle's report files from what is already on disk (record once, render many). */
async function renderBundleReports(dir: string): Promise<void> {
  await writeReports(dir, await readBundleView(dir), BUNDLE_REPORTS);
}

/** Re-derives a recorded run's findings with this version's catalogue (what `verify` compares against). */
export function recomputeRun(results: Results, observations: Observation[]): Finding[] {
  return recomputeFindings(checksOf(results), observations, results.run.analysis);
}

/** Verifies a bundle offline, recomputing every verdict with this version's checks. */
export async function verifyBundle(dir: string, options: Partial<VerifyOptions> = {}): Promise<VerifyReport> {
  return verifyWith(dir, { recompute: recomputeRun, ...options });
}

function checksOf(results: Results): CheckDefinition[] {
  const selected = new Set(results.run.selection.checks);
  return CATALOGUE.filter((check) => selected.has(check.id));
}

/**
 * The preflight, kept inside the run's limits: its requests are charged to `limits.maxRequests` (it is
 * skipped when the budget has no room for it) and the audit starts only after its one-second window.
 */
async function checkReachable(
  loaded: LoadedConfig,
  onLog: ((message: string) => void) | undefined,
): Promise<LoadedConfig> {
  const { limits } = loaded.config;
  const surfaces = configuredSurfaces(loaded.config).length;
  if (surfaces === 0 || limits.maxRequests <= surfaces) return loaded;
  const started = Date.now();
  for (const probe of await preflight(loaded.config))
    if (probe.status === null) onLog?.(`warning: ${probe.surface} ${probe.url} did not answer (${probe.error ?? ''})`);
  await sleep(Math.max(0, started + 1000 - Date.now()));
  return { ...loaded, config: { ...loaded.config, limits: { ...limits, maxRequests: limits.maxRequests - surfaces } } };
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

/** Runs small, fast audits of the built-in platform for the latency and error-rate tests. */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { loadSigningKey, type SigningKey } from '../../src/evidence/keys.js';
import { runAudit, type RunOptions, type RunResult } from '../../src/app/audit.js';
import { packagePath } from '../../src/core/paths.js';
import { simAuditConfig } from '../../src/sim/audit-config.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { startSim } from '../../src/sim/server.js';
import type { Scenario } from '../../src/sim/types.js';
import type { Finding } from '../../src/core/types.js';

export interface SmallAudit {
  scenario: string | Scenario;
  checks: string[];
  seed: number;
  samples: number;
  /** Offered latency-probe rate, all cohorts together (the sim's shipped limit is 60/s per cohort). */
  latencyRps: number;
  warmup?: number;
  latencyTypes?: string[];
  /** The analysis design; these helpers default to the fixed design, whose N is `samples`. */
  design?: 'sequential' | 'fixed';
  /** Sequential design: the cap per cohort. */
  maxSamples?: number;
  /** Receives the run's log lines and progress, as the CLI's display would. */
  listen?: Pick<RunOptions, 'onLog' | 'onProgress'>;
}

let key: Promise<SigningKey> | undefined;

/** One Ed25519 key per test file, made under a temporary DMA_AUDIT_HOME. */
export async function testSigningKey(): Promise<SigningKey> {
  key ??= (async () => {
    process.env.DMA_AUDIT_HOME = await mkdtemp(join(tmpdir(), 'dma-audit-home-'));
    return loadSigningKey();
  })();
  return key;
}

/**
 * A shipped scenario with its token bucket raised to 2000/s, so a test can offer several hundred
 * requests a second. Latency, faults and every other treatment are the file's own.
 */
export function withoutRateLimit(name: string): Scenario {
  const raw = JSON.parse(readFileSync(packagePath('fixtures', 'scenarios', `${name}.json`), 'utf8')) as {
    base: Record<string, unknown>;
  };
  raw.base.rateLimit = { ratePerSec: 2000, burst: 2000 };
  return parseScenario(raw, `${name}.json (rate limit raised)`);
}

/**
 * Starts the sim, audits it with the given knobs; the bundle is removed afterwards unless `keepIn` names a
 * folder. A bundle that is removed gets no report files: nothing could read them, and rendering them is a
 * good part of a small audit's time.
 */
export async function smallAudit(options: SmallAudit, keepIn?: string): Promise<RunResult> {
  const sim = await startSim({ scenario: options.scenario, seed: options.seed });
  const outDir = keepIn ?? (await mkdtemp(join(tmpdir(), 'dma-audit-lat-')));
  try {
    const raw = simAuditConfig(sim) as { limits: Record<string, unknown>; analysis?: Record<string, unknown> };
    raw.limits = { ...raw.limits, maxRps: Math.max(200, options.latencyRps * 2) };
    raw.analysis = {
      samples: options.samples,
      warmup: options.warmup ?? 5,
      latencyRps: options.latencyRps,
      bootstrapResamples: 200,
      design: options.design ?? 'fixed',
      ...(options.maxSamples === undefined ? {} : { maxSamples: options.maxSamples }),
      ...(options.latencyTypes === undefined ? {} : { latencyTypes: options.latencyTypes }),
    };
    return await runAudit({
      config: loadConfig(raw, {}),
      checks: options.checks,
      seed: options.seed,
      outDir,
      signingKey: await testSigningKey(),
      ...options.listen,
      ...(keepIn === undefined ? { renderReports: async () => {} } : {}),
    });
  } finally {
    await sim.close();
    if (keepIn === undefined) await rm(outDir, { recursive: true, force: true });
  }
}

/** The finding of `check` about `cohort` (and `variant`), or a thrown error naming what is there. */
export function findingOf(findings: readonly Finding[], check: string, cohort: string, variant?: string): Finding {
  const found = findings.find(
    (f) => f.checkId === check && f.cohort === cohort && (variant === undefined || f.variant === variant),
  );
  if (found === undefined)
    throw new Error(
      `no ${check} finding for ${cohort} ${variant ?? ''}; have ${findings.map((f) => `${f.checkId}/${f.cohort}/${f.variant ?? ''}`).join(', ')}`,
    );
  return found;
}

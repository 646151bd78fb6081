/** Runs small, fast audits of the built-in platform for the latency and error-rate tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { loadSigningKey, type SigningKey } from '../../src/evidence/keys.js';
import { runAudit, type RunResult } from '../../src/engine/run.js';
import { simAuditConfig } from '../../src/sim/audit-config.js';
import { startSim } from '../../src/sim/server.js';
import type { Scenario } from '../../src/sim/types.js';

export interface SmallAudit {
  scenario: string | Scenario;
  checks: string[];
  seed: number;
  samples: number;
  /** Offered latency-probe rate, all cohorts together (the sim's shipped limit is 60/s per cohort). */
  latencyRps: number;
  warmup?: number;
  latencyTypes?: string[];
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

/** Starts the sim, audits it with the given knobs, and removes the bundle afterwards unless `keep`. */
export async function smallAudit(options: SmallAudit, keep = false): Promise<RunResult> {
  const sim = await startSim({ scenario: options.scenario, seed: options.seed });
  const outDir = await mkdtemp(join(tmpdir(), 'dma-audit-lat-'));
  try {
    const raw = simAuditConfig(sim) as { limits: Record<string, unknown>; analysis?: Record<string, unknown> };
    raw.limits = { ...raw.limits, maxRps: Math.max(200, options.latencyRps * 2) };
    raw.analysis = {
      samples: options.samples, warmup: options.warmup ?? 5, latencyRps: options.latencyRps, bootstrapResamples: 200,
      ...(options.latencyTypes === undefined ? {} : { latencyTypes: options.latencyTypes }),
    };
    const result = await runAudit({ config: loadConfig(raw, {}), checks: options.checks, seed: options.seed, outDir, signingKey: await testSigningKey() });
    return result;
  } finally {
    await sim.close();
    if (!keep) await rm(outDir, { recursive: true, force: true });
  }
}

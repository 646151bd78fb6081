/**
 * The harness's own measurement noise, calibrated end to end: PAR-LAT-001 runs against the built-in
 * platform with a *constant* latency, so whatever the harness measures beyond that constant is its own
 * overhead plus timer granularity. Several constants with different fractional parts average over the
 * platform timer's 1 ms granularity.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario } from '../../src/sim/scenario.js';
import type { Scenario } from '../../src/sim/types.js';
import { smallAudit } from '../../suites/shared/audit.test-helpers.js';

/** Constant platform latencies (ms) the calibration runs use. */
export const CALIBRATION_MS = [6, 6.25, 6.5, 6.75];

/** A scenario in which every role answers after exactly `ms`, with no rate limit in the way. */
export function constantScenario(ms: number): Scenario {
  return parseScenario({
    name: `constant-${String(ms).replace('.', '-')}`,
    description: `Every request answered after ${ms} ms.`,
    expectFail: [],
    base: { rateLimit: { ratePerSec: 2000, burst: 2000 }, latency: { default: { dist: 'constant', ms } } },
  });
}

/** Measured minus planted latency (ms) of every successful sample of the calibration runs. */
export async function calibrateNoise(options: {
  samples: number;
  latencyRps: number;
  seed: number;
}): Promise<number[]> {
  const residuals: number[] = [];
  for (const ms of CALIBRATION_MS) {
    const audit = {
      scenario: constantScenario(ms),
      checks: ['PAR-LAT-001'],
      seed: options.seed,
      samples: options.samples,
      latencyRps: options.latencyRps,
      latencyTypes: ['text'],
    };
    const latencies = await measuredLatenciesUs(audit);
    residuals.push(...latencies.map((latencyUs) => latencyUs / 1000 - ms));
  }
  return residuals;
}

/** Runs one audit and returns the latency (µs) of every measured, successful PAR-LAT-001 sample. */
export async function measuredLatenciesUs(audit: Parameters<typeof smallAudit>[0]): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'dma-audit-bench-'));
  try {
    const { bundleDir } = await smallAudit(audit, dir);
    const lines = (await readFile(join(bundleDir, 'samples.ndjson'), 'utf8')).split('\n').filter((line) => line !== '');
    return lines
      .map(
        (line) =>
          JSON.parse(line) as { check: string; kind: string; outcome?: string; round?: number; latencyUs?: number },
      )
      .filter(
        (o) =>
          o.check === 'PAR-LAT-001' &&
          o.kind === 'latency' &&
          o.outcome === 'ok' &&
          (o.round ?? 0) >= 0 &&
          o.latencyUs !== undefined,
      )
      .map((o) => o.latencyUs ?? 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

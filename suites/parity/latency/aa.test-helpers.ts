import { expect } from 'vitest';
import { smallAudit, withoutRateLimit } from '../../shared/audit.test-helpers.js';

/**
 * Every cohort of an A/A scenario is treated alike, so PAR-LAT-001 must never fail, whatever the seed.
 * 300 samples per cohort (the default) is the smallest N at which the 10% margin, not α, bounds the
 * false-positive rate (bench/README.md), so the test runs the default N at a high rate: the scenario's
 * token bucket is raised so 900 requests a second can be offered; latencies and faults are the file's own.
 * One scenario per test file, so the two run in parallel.
 */
export async function expectNeverFailsAcrossSeeds(scenario: string): Promise<void> {
  const outcomes: string[] = [];
  for (let seed = 1; seed <= 20; seed += 1) {
    const { results } = await smallAudit({
      scenario: withoutRateLimit(scenario),
      checks: ['PAR-LAT-001'],
      seed,
      samples: 300,
      latencyRps: 900,
      latencyTypes: ['text'],
    });
    for (const finding of results.findings)
      outcomes.push(`seed ${seed} ${finding.cohort}: ${finding.verdict} — ${finding.summary}`);
  }
  expect(outcomes).toHaveLength(40);
  expect(outcomes.filter((line) => line.includes(': fail'))).toEqual([]);
}

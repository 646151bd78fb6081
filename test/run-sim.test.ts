import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit, verifyBundle } from '../src/app/audit.js';
import type { SigningKey } from '../src/evidence/keys.js';
import { validateAgainst } from '../src/core/schemas.js';
import { startSim } from '../src/sim/server.js';
import type { Finding, Results } from '../src/core/types.js';
import { simConfig, tempDir, testSigningKey } from './helpers.js';

let signingKey: SigningKey;
beforeAll(async () => {
  signingKey = await testSigningKey();
});

const latencyOf = (results: Results, cohort: string): Finding | undefined =>
  results.findings.find((f) => f.checkId === 'PAR-LAT-001' && f.cohort === cohort && f.variant === 'text');

describe('runAudit on the built-in platform', () => {
  it('finds the slower lane of the default self-preferencing scenario and writes a bundle that verifies', async () => {
    const { results, bundleDir, exitCode } = await runAudit({
      checks: ['PAR-LAT-001'],
      isQuick: true,
      seed: 11,
      outDir: tempDir(),
      signingKey,
    });
    expect(results.run.target.scenario).toBe('self-preferencing');
    expect(latencyOf(results, 'assistant')?.verdict).toBe('fail');
    expect(latencyOf(results, 'control')?.verdict).not.toBe('fail');
    expect(exitCode).toBe(1);
    const written = JSON.parse(readFileSync(join(bundleDir, 'results.json'), 'utf8')) as unknown;
    expect(validateAgainst('results.schema.json', written)).toEqual([]);
    const report = await verifyBundle(bundleDir);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    // A library caller gets the bundle the CLI writes, reports included.
    expect(readdirSync(bundleDir)).toEqual(expect.arrayContaining(['report.html', 'report.md', 'junit.xml']));
  });

  describe('compliant platform', () => {
    let sim: Awaited<ReturnType<typeof startSim>>;
    beforeAll(async () => {
      sim = await startSim({ scenario: 'compliant', seed: 4 });
    });
    afterAll(() => sim.close());

    it('shows send-latency equivalence for every subject', async () => {
      const config = simConfig(sim, { analysis: { latencyRps: 150, maxSamples: 600, latencyTypes: ['text'] } });
      const { results } = await runAudit({ config, checks: ['PAR-LAT-001'], seed: 4, outDir: tempDir(), signingKey });
      const verdicts = results.findings
        .filter((f) => f.checkId === 'PAR-LAT-001')
        .map((f) => [f.cohort, f.variant, f.verdict]);
      // A harness too loaded for the margin says so and never passes (docs/architecture.md, "Shared streams").
      const isContended = (f: Finding): boolean =>
        (f.measurements.harness as { isContended?: boolean } | undefined)?.isContended === true;
      const expected = results.findings
        .filter((f) => f.checkId === 'PAR-LAT-001')
        .map((f) => [f.cohort, f.variant, isContended(f) ? 'inconclusive' : 'pass']);
      expect(verdicts).toEqual(expected);
      expect(verdicts.map((v) => v[1])).toEqual(['text', 'text']);
    });
  });

  it('writes a verifiable bundle marked interrupted when the run is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const { results, bundleDir, exitCode } = await runAudit({
      checks: ['PAR-LAT-001'],
      samples: 400,
      isQuick: true,
      seed: 2,
      outDir: tempDir(),
      signingKey,
      signal: controller.signal,
    });
    expect(results.run.status).toBe('interrupted');
    expect(exitCode === 1 || exitCode === 3).toBe(true);
    const samples = readFileSync(join(bundleDir, 'samples.ndjson'), 'utf8').trim().split('\n');
    expect(samples.length).toBeGreaterThan(10);
    expect(samples.length).toBeLessThan(3 * 110);
    expect((await verifyBundle(bundleDir)).ok).toBe(true);
  });
});

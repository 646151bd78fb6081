// Merging runs of the sequential design: each vantage point's stream stopped where its own looks decided, so
// the stratified (fixed-N) rule does not apply and the combined finding follows the pre-declared rule over
// the per-vantage decided findings (src/engine/strata.ts); verify reproduces it.
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeAudit, runAudit, verifyBundle } from '../src/app/audit.js';
import type { Finding, Results } from '../src/core/types.js';
import { tempDir, testSigningKey } from './helpers.js';

let merged: { results: Results; bundleDir: string };

beforeAll(async () => {
  const signingKey = await testSigningKey();
  const out = tempDir();
  const bundles: string[] = [];
  for (const v of [
    { name: 'de-fra', seed: 11 },
    { name: 'pl-waw', seed: 22 },
  ]) {
    const { bundleDir } = await runAudit({
      scenario: 'compliant',
      checks: ['PAR-LAT-001'],
      isQuick: true,
      design: 'sequential',
      samples: 40,
      seed: v.seed,
      outDir: out,
      signingKey,
      vantage: { name: v.name, country: v.name.slice(0, 2).toUpperCase() },
    });
    bundles.push(bundleDir);
  }
  merged = await mergeAudit(bundles, { outDir: tempDir(), signingKey });
}, 120_000);

const textLatency = (vantage: string | undefined): Finding | undefined =>
  merged.results.findings.find(
    (f) => f.checkId === 'PAR-LAT-001' && f.cohort === 'assistant' && f.variant === 'text' && f.vantage === vantage,
  );

describe('merge of sequential-design runs', () => {
  it('combines the per-vantage sequential findings by the pre-declared rule', () => {
    expect(merged.results.run.analysis.analysis.design ?? 'sequential').toBe('sequential');
    for (const vantage of ['de-fra', 'pl-waw']) expect(textLatency(vantage)?.measurements).toHaveProperty('sequential');
    const combined = textLatency(undefined);
    expect(combined).toBeDefined();
    expect(combined?.measurements).not.toHaveProperty('vanElteren');
    expect((combined?.measurements.combination as { method: string }).method).toBe(
      'most urgent verdict over vantage points',
    );
  });

  it('verifies', async () => {
    const report = await verifyBundle(merged.bundleDir);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });
});

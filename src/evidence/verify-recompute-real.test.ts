import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recomputeFindings } from '../engine/analyse.js';
import type { AnalysisContext } from '../engine/check.js';
import type { Observation, Results } from '../types.js';
import { writeBundle } from './bundle.js';
import { writeManifest } from './manifest.js';
import { attestBundle } from './sign.js';
import { fixtureResults, testKey } from './verify-fixture.test-helpers.js';
import { verifyBundle } from './verify.js';

const ANALYSIS: AnalysisContext = {
  analysis: { alpha: 0.01, latencyMarginPct: 10, samples: 40, warmup: 0, latencyRps: 5, rateMarginPct: 10, feeProbeMessages: 10, bootstrapResamples: 200 },
  reference: { id: 'meta-ai', label: 'Meta AI' },
  subjects: [{ id: 'assistant', label: 'Assistant' }],
  seed: 7,
  target: { feeHeaders: [], pinnedIdentityKey: null },
};

/** Deterministic latencies: the subject's are twice the reference's, so PAR-LAT-001 fails. */
function latencySamples(): Observation[] {
  return Array.from({ length: 80 }, (_, i) => {
    const cohort = i % 2 === 0 ? 'meta-ai' : 'assistant';
    const baseUs = 40_000 + ((i * 7919) % 97) * 100;
    return { check: 'PAR-LAT-001', variant: 'text', cohort, kind: 'latency', seq: i, round: Math.floor(i / 2), outcome: 'ok', latencyUs: cohort === 'meta-ai' ? baseUs : baseUs * 2 };
  });
}

async function writeRealBundle(): Promise<{ dir: string; results: Results }> {
  const observations = latencySamples();
  const draft = fixtureResults();
  const run = { ...draft.run, analysis: ANALYSIS as unknown as Results['run']['analysis'], selection: { checks: ['PAR-LAT-001'] } };
  const findings = recomputeFindings({ ...draft, run, findings: [] }, observations);
  const results: Results = { ...draft, run, findings, summary: { ...draft.summary, total: findings.length } };
  const dir = await mkdtemp(join(tmpdir(), 'dma-audit-real-'));
  await writeBundle(dir, { results, observations, exchanges: [], configDigest: null }, { key: testKey() });
  return { dir, results };
}

describe('verify with the engine analysis', () => {
  it('reproduces every recorded finding of an untouched bundle', async () => {
    const { dir, results } = await writeRealBundle();
    expect(results.findings.map((f) => [f.checkId, f.cohort, f.variant, f.verdict])).toEqual([['PAR-LAT-001', 'assistant', 'text', 'fail']]);
    const report = await verifyBundle(dir);
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    expect(report.checks.find((check) => check.name === 'recompute')?.details).toEqual(['1 findings recomputed from 80 samples, all equal']);
  });

  it('catches samples doctored and re-signed: the recorded verdict no longer follows from them', async () => {
    const { dir, results } = await writeRealBundle();
    const equalised = latencySamples().map((o, i) => ({ ...o, latencyUs: 40_000 + ((i * 7919) % 97) * 100 }));
    await writeFile(join(dir, 'samples.ndjson'), `${equalised.map((o) => JSON.stringify(o)).join('\n')}\n`);
    await writeManifest(dir, { runId: results.run.id, createdAt: results.run.finishedAt, seed: results.run.seed, configDigest: null });
    await attestBundle(dir, testKey());
    const report = await verifyBundle(dir);
    const failed = report.checks.filter((check) => !check.ok);
    expect(failed.map((check) => check.name)).toEqual(['recompute']);
    expect(failed[0]?.details).toContain('PAR-LAT-001 assistant text: verdict recorded fail, recomputed pass');
  });
});

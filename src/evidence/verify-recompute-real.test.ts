import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealBundle } from './bundle/index.js';
import { latencySamples, testKey, writeEngineBundle } from './verify-fixture.test-helpers.js';
import { verifyBundle } from '../app/audit.js';

describe('verify with the engine analysis', () => {
  it('reproduces every recorded finding of an untouched bundle', async () => {
    const { dir, results } = await writeEngineBundle();
    expect(results.findings.map((f) => [f.checkId, f.cohort, f.variant, f.verdict])).toEqual([
      ['PAR-LAT-001', 'assistant', 'text', 'fail'],
    ]);
    const report = await verifyBundle(dir);
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    expect(report.checks.find((check) => check.name === 'recompute')?.details).toEqual([
      '1 findings recomputed from 82 samples, all equal',
    ]);
  });

  it('catches samples doctored and re-signed: the recorded verdict no longer follows from them', async () => {
    const { dir, results } = await writeEngineBundle();
    const equalised = latencySamples().map((o, i) =>
      o.kind === 'send' ? { ...o, latencyUs: 40_000 + ((i * 7919) % 97) * 100 } : o,
    );
    await writeFile(join(dir, 'samples.ndjson'), `${equalised.map((o) => JSON.stringify(o)).join('\n')}\n`);
    const meta = {
      runId: results.run.id,
      createdAt: results.run.finishedAt,
      seed: results.run.seed,
      configDigest: null,
    };
    await sealBundle(dir, meta, new Map(), testKey());
    const report = await verifyBundle(dir);
    const failed = report.checks.filter((check) => !check.ok);
    expect(failed.map((check) => check.name)).toEqual(['recompute']);
    expect(failed[0]?.details).toContain('PAR-LAT-001 assistant text: verdict recorded fail, recomputed pass');
  });
});

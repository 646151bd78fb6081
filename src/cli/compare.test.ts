import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Finding, Results } from '../core/types.js';
import { fixtureResults } from '../evidence/verify-fixture.test-helpers.js';
import { addCompareCommand } from './compare.js';
import { runInProcess, type CapturedRun } from './in-process.test-helpers.js';

const cli = (args: string[]): Promise<CapturedRun> => runInProcess(addCompareCommand, 'compare', args);

async function bundleWith(results: Results): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dma-audit-cmp-'));
  await writeFile(join(dir, 'results.json'), JSON.stringify(results));
  return dir;
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('dma-audit compare', () => {
  const failing = fixtureResults();
  const passing: Results = {
    ...failing,
    findings: failing.findings.map((f) => (f.verdict === 'fail' ? ({ ...f, verdict: 'pass' } as Finding) : f)),
  };

  it('exits 0 when nothing got worse and prints the table', async () => {
    const { code, stdout } = await cli([await bundleWith(failing), await bundleWith(passing)]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^PAR-LAT-001\s+assistant\s+text\s+fail\s+pass\s+better$/m);
  });

  it('exits 1 when a verdict got worse, also with --json', async () => {
    const before = await bundleWith(passing);
    const after = await bundleWith(failing);
    expect((await cli([before, after])).code).toBe(1);
    const json = await cli([before, after, '--json']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { isWorse: boolean }).isWorse).toBe(true);
  });

  it('exits 2 with the error code when a folder has no results.json', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'dma-audit-cmp-'));
    const { code, stderr } = await cli([empty, empty]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^dma-audit: cannot read .*results\.json.*\[E_BUNDLE\]\n$/);
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, Results } from '../core/types.js';
import { compareBundles, compareResults, formatComparison } from './compare.js';
import { fixtureResults } from './verify-fixture.test-helpers.js';

function withFindings(edit: (findings: Finding[]) => Finding[], runId = 'run-2'): Results {
  const results = fixtureResults();
  return {
    ...results,
    run: { ...results.run, id: runId, startedAt: '2026-08-01T10:00:00.000Z' },
    findings: edit(structuredClone(results.findings)),
  };
}

function latencyTo(verdict: Finding['verdict'], subjectMedian: number): (findings: Finding[]) => Finding[] {
  return (findings) =>
    findings.map((f) =>
      f.checkId === 'PAR-LAT-001'
        ? ({
            ...f,
            verdict,
            measurements: { ...f.measurements, medianMs: { reference: 40, subject: subjectMedian } },
          } as Finding)
        : f,
    );
}

describe('compareResults', () => {
  it('reports verdicts before and after and the delta of every numeric measurement', () => {
    const comparison = compareResults(fixtureResults(), withFindings(latencyTo('pass', 41)));
    const latency = comparison.findings.find((f) => f.checkId === 'PAR-LAT-001');
    expect(latency).toMatchObject({
      cohort: 'assistant',
      variant: 'text',
      before: 'fail',
      after: 'pass',
      change: 'better',
    });
    expect(latency?.measurements.find((m) => m.name === 'medianMs.subject')).toEqual({
      name: 'medianMs.subject',
      before: 78,
      after: 41,
      delta: -37,
    });
    expect(latency?.measurements.find((m) => m.name === 'shift.estimateMs')).toEqual({
      name: 'shift.estimateMs',
      before: 38,
      after: 38,
      delta: 0,
    });
    expect(comparison.isWorse).toBe(false);
  });

  it('is worse when a verdict moves towards fail', () => {
    const baseline = withFindings(latencyTo('pass', 41), 'run-1');
    const comparison = compareResults(baseline, fixtureResults());
    expect(comparison.findings.find((f) => f.checkId === 'PAR-LAT-001')?.change).toBe('worse');
    expect(comparison.isWorse).toBe(true);
  });

  it('lists findings present in only one run; a new failure counts as worse', () => {
    const current = withFindings((findings) => findings.filter((f) => f.checkId !== 'CONF-WH-001'));
    const gone = compareResults(fixtureResults(), current);
    expect(gone.onlyInBaseline).toEqual([
      { key: 'CONF-WH-001 - -', checkId: 'CONF-WH-001', cohort: null, variant: null, verdict: 'skip' },
    ]);
    expect(gone.isWorse).toBe(false);
    const added = compareResults(current, fixtureResults());
    expect(added.onlyInCurrent.map((f) => f.checkId)).toEqual(['CONF-WH-001']);
    const newFailure = compareResults(
      withFindings((findings) => findings.filter((f) => f.checkId !== 'PAR-LAT-001')),
      fixtureResults(),
    );
    expect(newFailure.onlyInCurrent.map((f) => f.verdict)).toEqual(['fail']);
    expect(newFailure.isWorse).toBe(true);
  });
});

describe('formatComparison', () => {
  it('prints a table row per finding with the headline measurements', () => {
    const text = formatComparison(compareResults(fixtureResults(), withFindings(latencyTo('pass', 41))));
    expect(text).toContain(
      'baseline run-fixture-1 (2026-07-01T10:00:00.000Z)  ->  current run-2 (2026-08-01T10:00:00.000Z)',
    );
    expect(text).toMatch(/^check\s+cohort\s+variant\s+before\s+after\s+change$/m);
    expect(text).toMatch(/^PAR-LAT-001\s+assistant\s+text\s+fail\s+pass\s+better$/m);
    expect(text).toContain('    medianMs.subject: 78 -> 41 (-37)');
    expect(text).toMatch(/^CONF-WH-001\s+-\s+-\s+skip\s+skip\s+same$/m);
    expect(text).toContain('2 findings compared: 0 worse, 1 better, 0 changed, 1 same; not worse');
    expect(text).not.toContain('\u001b[');
  });
});

describe('compareBundles', () => {
  it('reads results.json from both folders', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dma-audit-compare-'));
    await writeFile(join(root, 'results.json'), JSON.stringify(fixtureResults()));
    const comparison = await compareBundles(root, root);
    expect(comparison.baseline.runId).toBe('run-fixture-1');
    expect(comparison.findings.map((f) => f.change)).toEqual(['same', 'same']);
  });

  it('throws E_BUNDLE when a folder has no readable results.json', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dma-audit-compare-'));
    await expect(compareBundles(root, root)).rejects.toMatchObject({ code: 'E_BUNDLE' });
    await writeFile(join(root, 'results.json'), 'null');
    await expect(compareBundles(root, root)).rejects.toThrow(/is not a results file/);
  });
});

import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/types.js';
import { TOOL } from '../core/version.js';
import { fixtureResults } from './verify-fixture.test-helpers.js';
import { checkRecompute, compareFindings, differingPaths } from './verify-recompute.js';

const recorded = fixtureResults().findings;
const latency = recorded[0] as Finding;

describe('compareFindings', () => {
  it('finds nothing when the findings are equal', () => {
    expect(compareFindings(recorded, structuredClone(recorded))).toEqual([]);
  });

  it('names the finding and what differs: verdict, summary, each measurement', () => {
    const changed = {
      ...latency,
      verdict: 'pass',
      summary: 'Equivalent.',
      measurements: { ...latency.measurements, medianMs: { reference: 40, subject: 41 } },
    } as Finding;
    expect(compareFindings([latency], [changed])).toEqual([
      'PAR-LAT-001 assistant text: verdict recorded fail, recomputed pass',
      'PAR-LAT-001 assistant text: summary recorded "Text messages are 38 ms slower for the assistant.", recomputed "Equivalent."',
      'PAR-LAT-001 assistant text: measurements.medianMs.subject recorded 78, recomputed 41',
    ]);
  });

  it('names findings present on one side only', () => {
    const skip = recorded[1] as Finding;
    expect(compareFindings([latency], [skip])).toEqual([
      'PAR-LAT-001 assistant text: recorded but not recomputed',
      'CONF-WH-001 - -: recomputed but not recorded',
    ]);
  });
});

describe('differingPaths', () => {
  it('descends into objects and reports added and removed keys', () => {
    expect(differingPaths({ a: { b: 1, c: 2 } }, { a: { b: 1, c: 3 }, d: 0 }, 'm')).toEqual(['m.a.c', 'm.d']);
    expect(differingPaths([1, 2], [1, 3], 'm')).toEqual(['m']);
  });
});

describe('checkRecompute', () => {
  it('passes when the analysis reproduces the findings, through JSON', () => {
    const results = fixtureResults();
    const check = checkRecompute(results, [], () => structuredClone(results.findings));
    expect(check).toEqual({
      name: 'recompute',
      ok: true,
      details: ['2 findings recomputed from 0 samples, all equal'],
    });
  });

  it('fails with the reason when the analysis throws', () => {
    const check = checkRecompute(fixtureResults(), [], () => {
      throw new Error('boom');
    });
    expect(check.ok).toBe(false);
    expect(check.details).toEqual(['the analysis failed on the recorded samples: boom']);
  });

  it("says which version wrote the bundle when an older version's findings do not recompute", () => {
    const results = { ...fixtureResults(), tool: { name: 'dma-audit' as const, version: '0.0.9' } };
    const changed = results.findings.map((f) => ({ ...f, summary: `${f.summary} (again)` }));
    const check = checkRecompute(results, [], () => changed);
    expect(check.ok).toBe(false);
    expect(check.details[0]).toBe(
      `recorded by dma-audit 0.0.9; this is ${TOOL.version}, whose analysis may differ: verify with the version that wrote it (npx dma-audit@0.0.9 verify DIR)`,
    );
    // The same bundle under its own version gets no such line: the differences are the bundle's.
    const own = checkRecompute(fixtureResults(), [], () => changed);
    expect(own.details.some((line) => line.startsWith('recorded by'))).toBe(false);
  });
});

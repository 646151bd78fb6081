import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../../src/app/audit.js';
import { packagePath } from '../../../src/core/paths.js';
import { parseScenario } from '../../../src/sim/scenario.js';
import type { Results } from '../../../src/core/types.js';
import { smallAudit, type SmallAudit } from '../../shared/audit.test-helpers.js';

const hasScipy = spawnSync('python3', ['-c', 'import scipy, numpy'], { stdio: 'ignore' }).status === 0;

/**
 * slow-lane with flaky-but-fair's faults on top, so PAR-ERR-001 has errors to test and PAR-LAT-001 a shift
 * (the subject's median is slow-lane's 7.5 ms against 6 ms, or `subjectMedianMs`).
 */
async function slowAndFlaky(subjectMedianMs?: number): Promise<ReturnType<typeof parseScenario>> {
  const read = async (name: string): Promise<Record<string, unknown>> =>
    JSON.parse(await readFile(packagePath('fixtures', 'scenarios', `${name}.json`), 'utf8')) as Record<string, unknown>;
  const slow = await read('slow-lane');
  const flaky = await read('flaky-but-fair');
  const latency = { default: { dist: 'lognormal', medianMs: subjectMedianMs ?? 7.5, sigma: 0.25 } };
  return parseScenario({
    ...slow,
    name: 'slow-and-flaky',
    base: { rateLimit: { ratePerSec: 2000, burst: 2000 } },
    roles: { subject: { latency } },
    faults: flaky.faults,
  });
}

/** A slow-and-flaky bundle recorded once before the calling describe block's tests, and removed after them. */
function recordedBundle(
  options: Pick<SmallAudit, 'checks' | 'seed'> & Partial<SmallAudit>,
  subjectMedianMs?: number,
): () => string {
  let dir = '';
  let bundleDir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dma-audit-recompute-'));
    const audit = {
      scenario: await slowAndFlaky(subjectMedianMs),
      samples: 100,
      latencyRps: 300,
      latencyTypes: ['text'],
      ...options,
    };
    ({ bundleDir } = await smallAudit(audit, dir));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));
  return () => bundleDir;
}

interface Recomputed {
  [key: string]:
    | { p: number; ksP?: number; ksD?: number; tostP?: number; shiftMs?: number; method?: string }
    | { keys: string[]; pHolm: number[] };
}

describe('p-values in results.json, recomputed from samples.ndjson', () => {
  const bundle = recordedBundle({ checks: ['PAR-LAT-001', 'PAR-ERR-001'], seed: 9 });

  it('by dma-audit verify: every verdict and measurement follows from the samples alone', async () => {
    const report = await verifyBundle(bundle());
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    expect(report.checks.find((check) => check.name === 'recompute')?.details.join(' ')).toMatch(
      /4 findings recomputed from \d+ samples, all equal/,
    );
  });

  it.skipIf(!hasScipy)(
    'by scipy, an independent implementation: PAR-LAT-001 (Mann–Whitney, KS, TOST, Hodges–Lehmann), PAR-ERR-001 and the Holm correction',
    async () => {
      const { recomputed, results } = await recomputeWithScipy(bundle());
      const pending = results.findings.filter((f) => 'pRaw' in f.measurements);
      expect(pending.map((f) => f.checkId)).toEqual(['PAR-LAT-001', 'PAR-LAT-001', 'PAR-ERR-001', 'PAR-ERR-001']);
      for (const finding of pending) {
        const key = `${finding.checkId}/${finding.cohort}/${finding.variant ?? ''}`;
        const mine = finding.measurements as Record<string, Record<string, number>>;
        const theirs = recomputed[key] as { p: number; ksP?: number; ksD?: number; tostP?: number; shiftMs?: number };
        expect(relative(mine.pRaw as unknown as number, theirs.p), `${key} p`).toBeLessThan(1e-6);
        if (finding.checkId === 'PAR-LAT-001') {
          expect(relative(mine.mannWhitney?.p ?? Number.NaN, theirs.p), `${key} Mann–Whitney`).toBeLessThan(1e-6);
          expect(relative(mine.ks?.p ?? Number.NaN, theirs.ksP ?? Number.NaN), `${key} KS`).toBeLessThan(1e-6);
          expect(mine.ks?.d).toBeCloseTo(theirs.ksD ?? Number.NaN, 3);
          expect(relative(mine.tost?.p ?? Number.NaN, theirs.tostP ?? Number.NaN), `${key} TOST`).toBeLessThan(1e-6);
          expect(mine.shift?.estimateMs).toBeCloseTo(theirs.shiftMs ?? Number.NaN, 3);
        }
      }
      const holm = recomputed.holm as { keys: string[]; pHolm: number[] };
      pending.forEach((finding, i) =>
        expect(relative(finding.measurements.pHolm as number, holm.pHolm[i] ?? Number.NaN)).toBeLessThan(1e-6),
      );
    },
  );
});

describe('a sequential bundle, recomputed from samples.ndjson', () => {
  const bundle = recordedBundle(
    {
      // PAR-ERR-001 with faults on both sides keeps the text stream going to the cap, long after a
      // subject twice as slow has failed PAR-LAT-001: the cut at its stopping point matters.
      checks: ['PAR-LAT-001', 'PAR-LAT-003', 'PAR-ERR-001'],
      seed: 10,
      design: 'sequential',
      maxSamples: 200,
    },
    12,
  );

  it.skipIf(!hasScipy)(
    'by scipy: every latency finding cut at its stopping point, as docs/recompute.md says',
    async () => {
      const { recomputed, results } = await recomputeWithScipy(bundle());
      const timed = results.findings.filter((f) => 'mannWhitney' in f.measurements && 'sequential' in f.measurements);
      expect(timed.length).toBeGreaterThanOrEqual(8);
      // At least one comparison stopped before the stream did, so the cut matters.
      const stops = timed.map((f) => (f.measurements.sequential as { stopAtPairs: number }).stopAtPairs);
      expect(Math.min(...stops)).toBeLessThan(Math.max(...stops));
      for (const finding of timed) {
        const key = `${finding.checkId}/${finding.cohort}/${finding.variant ?? ''}`;
        const mine = finding.measurements as Record<string, Record<string, number>>;
        const theirs = recomputed[key] as { p: number; ksP: number; n: number[] };
        expect(theirs.n, key).toEqual([mine.n?.subject, mine.n?.reference]);
        expect(relative(mine.mannWhitney?.p ?? Number.NaN, theirs.p), `${key} Mann–Whitney`).toBeLessThan(1e-6);
        expect(relative(mine.ks?.p ?? Number.NaN, theirs.ksP), `${key} KS`).toBeLessThan(1e-6);
      }
    },
  );
});

/** recompute.py's answer for a bundle, and the bundle's own results. */
async function recomputeWithScipy(bundleDir: string): Promise<{ recomputed: Recomputed; results: Results }> {
  const python = spawnSync('python3', [packagePath('suites', 'parity', 'latency', 'recompute.py'), bundleDir], {
    encoding: 'utf8',
  });
  expect(python.stderr).toBe('');
  const results = JSON.parse(await readFile(join(bundleDir, 'results.json'), 'utf8')) as Results;
  return { recomputed: JSON.parse(python.stdout) as Recomputed, results };
}

/** Relative difference, with p-values below 1e-300 taken as equal (both underflow). */
function relative(a: number, b: number): number {
  if (Math.max(Math.abs(a), Math.abs(b)) < 1e-300) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

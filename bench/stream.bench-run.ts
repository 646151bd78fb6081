/**
 * (e) Requests and wall time of a whole default run of the built-in platform, sequential design (the
 * default) against the fixed design, for the default scenario and the compliant one; then an A/A run
 * count: real end-to-end audits of the compliant platform, where the control cohort (an ordinary
 * business treated like the reference) must never fail. Requests are counted from each bundle's HAR
 * (entries the harness sent). Ratios are within this process, so the machine's load falls on both.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { runAudit } from '../src/app/audit.js';
import type { Results } from '../src/core/types.js';
import { EXCHANGES_FILE } from '../src/evidence/bundle/layout.js';
import { testSigningKey } from '../suites/shared/audit.test-helpers.js';
import { tempDir } from '../test/helpers.js';
import { printTable } from './lib/table.js';

const SCENARIOS = (process.env.BENCH_STREAM_SCENARIOS ?? 'self-preferencing,compliant').split(',');
/** Real end-to-end A/A runs (each about a minute): 40 for the figure, fewer by default. */
const AA_RUNS = Number(process.env.BENCH_AA_RUNS ?? 3);
const AA_CHECKS = (process.env.BENCH_AA_CHECKS ?? 'PAR-*').split(',');

interface RunFigures {
  requests: number;
  seconds: number;
  findings: number;
  inconclusive: number;
  failed: string[];
}

async function measure(
  scenario: string,
  design: 'sequential' | 'fixed',
  seed: number,
  checks: string[] = [],
): Promise<RunFigures> {
  const started = performance.now();
  const { results, bundleDir } = await runAudit({
    scenario,
    design,
    seed,
    checks,
    outDir: tempDir(),
    signingKey: await testSigningKey(),
  });
  const seconds = (performance.now() - started) / 1000;
  const har = JSON.parse(gunzipSync(readFileSync(join(bundleDir, EXCHANGES_FILE))).toString('utf8')) as {
    log: { entries: Array<{ _direction?: string }> };
  };
  return {
    requests: har.log.entries.filter((e) => e._direction === 'outbound').length,
    seconds,
    findings: results.findings.length,
    inconclusive: results.findings.filter((f) => f.verdict === 'inconclusive').length,
    failed: failedChecks(results),
  };
}

function failedChecks(results: Results): string[] {
  return [...new Set(results.findings.filter((f) => f.verdict === 'fail').map((f) => f.checkId))].sort();
}

test('a default run: sequential against fixed design', async () => {
  const rows: string[][] = [];
  for (const [i, scenario] of SCENARIOS.entries()) {
    // Alternate the order so drift in the machine's load falls on each design alike.
    const designs: Array<'sequential' | 'fixed'> = i % 2 === 0 ? ['fixed', 'sequential'] : ['sequential', 'fixed'];
    const figures = new Map<string, RunFigures>();
    for (const design of designs) figures.set(design, await measure(scenario, design, 11 + i));
    const fixed = figures.get('fixed') as RunFigures;
    const sequential = figures.get('sequential') as RunFigures;
    for (const [design, f] of [
      ['fixed', fixed],
      ['sequential', sequential],
    ] as const)
      rows.push([
        scenario,
        design,
        String(f.requests),
        (f.requests / fixed.requests).toFixed(2),
        f.seconds.toFixed(1),
        (f.seconds / fixed.seconds).toFixed(2),
        `${f.inconclusive}/${f.findings}`,
        f.failed.join(' ') || '–',
      ]);
    expect(sequential.requests).toBeLessThan(fixed.requests);
  }
  printTable(
    `(e1) Whole default run, sequential vs fixed design (${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)})`,
    ['scenario', 'design', 'requests', '× fixed', 'wall s', '× fixed', 'inconclusive', 'checks failed'],
    rows,
  );
});

test(`A/A: ${AA_RUNS} real end-to-end runs of the compliant platform, the control cohort never fails`, async () => {
  let fails = 0;
  let comparisons = 0;
  let inconclusive = 0;
  for (let run = 0; run < AA_RUNS; run += 1) {
    const { results } = await runAudit({
      scenario: 'compliant',
      seed: 1000 + run,
      checks: AA_CHECKS,
      outDir: tempDir(),
      signingKey: await testSigningKey(),
    });
    const control = results.findings.filter((f) => f.cohort === 'control' && f.suite === 'parity');
    comparisons += control.length;
    fails += control.filter((f) => f.verdict === 'fail').length;
    inconclusive += control.filter((f) => f.verdict === 'inconclusive').length;
  }
  printTable(
    `(e2) A/A end to end: compliant platform, control cohort, sequential design (${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)})`,
    ['runs', 'control findings', 'fail', 'inconclusive'],
    [[String(AA_RUNS), String(comparisons), String(fails), String(inconclusive)]],
  );
  expect(fails).toBe(0);
});

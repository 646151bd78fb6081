/**
 * (a) Detection power and (b) false-positive rate of PAR-LAT-001's decision rule.
 * Simulated: thousands of runs of the real analysis on samples drawn from the sim's latency
 * distribution plus harness noise calibrated end to end (bench/lib/noise.ts).
 * Real: a smaller number of end-to-end audits of the sim, to check the simulation against.
 */
import { cpus, loadavg } from 'node:os';
import { expect, test } from 'vitest';
import { parseScenario } from '../src/sim/scenario.js';
import { findingOf, smallAudit, withoutRateLimit } from '../suites/shared/audit.test-helpers.js';
import { calibrateNoise } from './lib/noise.js';
import { isSignificant, shiftPctOf, simulateRun } from './lib/simulate.js';
import { printTable, rate } from './lib/table.js';

const SHIFTS = [2, 5, 10, 20];
const SIZES = [250, 500, 1000];
const SIMULATED_RUNS = Number(process.env.BENCH_RUNS ?? 200);
const AA_RUNS = Number(process.env.BENCH_AA_RUNS ?? 1000);
const REAL_AA_RUNS = Number(process.env.BENCH_REAL_AA_RUNS ?? 20);
/** Offered rate of the real runs (all cohorts); the calibration runs use CALIBRATION_RATE. */
const RATE = Number(process.env.BENCH_RATE ?? 300);
const CALIBRATION_RATE = 150;

test('detection power and false-positive rate', async () => {
  const noiseMs = await calibrateNoise({ samples: 300, latencyRps: CALIBRATION_RATE, seed: 1 });
  const sorted = [...noiseMs].sort((a, b) => a - b);
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} CPUs; harness noise at ${CALIBRATION_RATE} req/s ` +
      `(measured − planted, ms, ${noiseMs.length} samples): ` +
      `median ${q(sorted, 0.5)}, p95 ${q(sorted, 0.95)}, p99 ${q(sorted, 0.99)}`,
  );

  const powerRows: string[][] = [];
  for (const n of SIZES) {
    for (const shiftPct of SHIFTS) {
      let significant = 0;
      let failed = 0;
      let failedAt5 = 0;
      for (let seed = 1; seed <= SIMULATED_RUNS; seed += 1) {
        const run = simulateRun({ n, shiftPct, seed, noiseMs });
        if (isSignificant(run.subject)) significant += 1;
        if (run.subject.verdict === 'fail') failed += 1;
        // The same run under a 5% margin: significance is unchanged, only the margin test moves.
        if (isSignificant(run.subject) && shiftPctOf(run.subject) > 5) failedAt5 += 1;
      }
      powerRows.push([
        String(n),
        `${shiftPct}%`,
        rate(significant, SIMULATED_RUNS),
        rate(failed, SIMULATED_RUNS),
        rate(failedAt5, SIMULATED_RUNS),
        'simulated',
      ]);
    }
  }
  for (const [n, shiftPct, seeds] of [
    [250, 10, 5],
    [250, 20, 5],
    [1000, 10, 3],
  ] as const) {
    let significant = 0;
    let failed = 0;
    for (let seed = 1; seed <= seeds; seed += 1) {
      const { results } = await smallAudit({
        scenario: shiftedScenario(shiftPct),
        checks: ['PAR-LAT-001'],
        seed,
        samples: n,
        latencyRps: RATE,
        latencyTypes: ['text'],
      });
      const subject = findingOf(results.findings, 'PAR-LAT-001', 'assistant', 'text');
      if (isSignificant(subject)) significant += 1;
      if (subject.verdict === 'fail') failed += 1;
    }
    powerRows.push([String(n), `${shiftPct}%`, rate(significant, seeds), rate(failed, seeds), '', 'real end-to-end']);
  }
  printTable(
    '(a) detection power, α = 0.01, Holm over 2 comparisons (subject + A/A control)',
    ['N per cohort', 'planted shift', 'significant', 'fail (margin 10%)', 'fail (margin 5%)', 'runs'],
    powerRows,
  );
  console.log(
    `real runs at ${RATE} req/s; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );

  let aaFails = 0;
  let aaSignificant = 0;
  let aaPasses = 0;
  for (let seed = 1; seed <= AA_RUNS; seed += 1) {
    const run = simulateRun({ n: 300, shiftPct: 0, seed: 10_000 + seed, noiseMs });
    for (const finding of [run.subject, run.control]) {
      if (finding.verdict === 'fail') aaFails += 1;
      if (finding.verdict === 'pass') aaPasses += 1;
      if (isSignificant(finding)) aaSignificant += 1;
    }
  }
  const fprRows = [
    [
      `${AA_RUNS} simulated`,
      String(2 * AA_RUNS),
      rate(aaSignificant, 2 * AA_RUNS),
      rate(aaFails, 2 * AA_RUNS),
      rate(aaPasses, 2 * AA_RUNS),
    ],
  ];
  let realFails = 0;
  let realSignificant = 0;
  let realPasses = 0;
  for (let seed = 1; seed <= REAL_AA_RUNS; seed += 1) {
    const { results } = await smallAudit({
      scenario: withoutRateLimit('compliant'),
      checks: ['PAR-LAT-001'],
      seed,
      samples: 300,
      latencyRps: RATE,
      latencyTypes: ['text'],
    });
    for (const finding of results.findings) {
      if (finding.verdict === 'fail') realFails += 1;
      if (finding.verdict === 'pass') realPasses += 1;
      if (isSignificant(finding)) realSignificant += 1;
    }
  }
  fprRows.push([
    `${REAL_AA_RUNS} real end-to-end`,
    String(2 * REAL_AA_RUNS),
    rate(realSignificant, 2 * REAL_AA_RUNS),
    rate(realFails, 2 * REAL_AA_RUNS),
    rate(realPasses, 2 * REAL_AA_RUNS),
  ]);
  printTable(
    '(b) A/A false-positive rate, compliant, N = 300 per cohort (default), α = 0.01, margin 10%',
    ['runs', 'comparisons', 'significant', 'fail', 'pass (equivalent)'],
    fprRows,
  );
  expect(powerRows).toHaveLength(SIZES.length * SHIFTS.length + 3);
});

/** The compliant scenario with the subject's platform latency shifted by `shiftPct` % (no rate limit). */
function shiftedScenario(shiftPct: number): ReturnType<typeof parseScenario> {
  return parseScenario({
    name: `shift-${shiftPct}`,
    description: `Subject ${shiftPct}% slower at the median.`,
    expectFail: [],
    base: { rateLimit: { ratePerSec: 2000, burst: 2000 } },
    roles: {
      subject: { latency: { default: { dist: 'lognormal', medianMs: 6 * (1 + shiftPct / 100), sigma: 0.25 } } },
    },
  });
}

function q(sorted: readonly number[], p: number): string {
  return (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN).toFixed(3);
}

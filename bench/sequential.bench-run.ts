/**
 * (d) Sequential (anytime-valid) against fixed-N design, on the same simulated comparisons:
 * samples to a decision, false positives under optional stopping (A/A), power for planted shifts,
 * and the same for error rates (PAR-ERR-001). Simulated platforms only (bench/lib/sequential-sim.ts).
 */
import { cpus, loadavg } from 'node:os';
import { expect, test } from 'vitest';
import { createRng } from '../src/core/rng.js';
import {
  type FailRule,
  replayErrorRateLooks,
  replayLatencyLooks,
  sequentialErrorRateLook,
  sequentialLatencyLook,
} from '../src/stats/index.js';
import {
  drawOutcomes,
  FLAKY,
  fixedErrorVerdict,
  fixedLatencyVerdict,
  latencyPair,
  type Platform,
  SIM_DEFAULT,
} from './lib/sequential-sim.js';
import { printTable, rate } from './lib/table.js';

const RUNS = Number(process.env.BENCH_SEQ_RUNS ?? 200);
const AA_COMPARISONS = Number(process.env.BENCH_SEQ_AA ?? 2000);
const FIXED_N = Number(process.env.BENCH_FIXED_N ?? 300);
const MAX_SAMPLES = Number(process.env.BENCH_SEQ_MAX ?? 1000);
const ERROR_MAX_SAMPLES = Number(process.env.BENCH_SEQ_ERROR_MAX ?? 2000);
const BATCH = Number(process.env.BENCH_SEQ_BATCH ?? 10);
const SHIFTS = [0, 5, 10, 15, 20, 30];
const RULES: FailRule[] = ['significant-and-beyond', 'beyond-margin'];

interface Tally {
  fail: number;
  pass: number;
  samples: number[];
}

const tally = (): Tally => ({ fail: 0, pass: 0, samples: [] });

function add(t: Tally, decision: string, samples: number): void {
  if (decision === 'fail') t.fail += 1;
  if (decision === 'pass') t.pass += 1;
  t.samples.push(samples);
}

function meanMedian(samples: readonly number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  const middle =
    sorted.length === 0
      ? Number.NaN
      : ((sorted[(sorted.length - 1) >> 1] ?? 0) + (sorted[sorted.length >> 1] ?? 0)) / 2;
  return `${mean.toFixed(0)} / ${middle.toFixed(0)}`;
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

/** Fixed and sequential verdicts of `runs` simulated comparisons with a planted shift. */
function latencyCell(
  platform: Platform,
  shiftPct: number,
  marginPct: number,
  alpha: number,
  runs: number,
  seed0: number,
) {
  const fixed = tally();
  const sequential = new Map(RULES.map((rule) => [rule, tally()]));
  for (let run = 0; run < runs; run += 1) {
    const [reference, subject] = latencyPair(platform, shiftPct, Math.max(FIXED_N, MAX_SAMPLES), seed0 + run);
    add(fixed, fixedLatencyVerdict(reference.slice(0, FIXED_N), subject.slice(0, FIXED_N), alpha, marginPct), FIXED_N);
    for (const rule of RULES) {
      const replay = replayLatencyLooks(reference, subject, {
        alpha,
        marginPct,
        failRule: rule,
        batch: BATCH,
        maxSamples: MAX_SAMPLES,
      });
      const t = sequential.get(rule);
      if (t !== undefined) add(t, replay.decision, replay.stopAt);
    }
  }
  return { fixed, sequential };
}

function latencyPowerTable(marginPct: number): string[][] {
  const rows: string[][] = [];
  for (const shiftPct of SHIFTS) {
    const { fixed, sequential } = latencyCell(SIM_DEFAULT, shiftPct, marginPct, 0.01, RUNS, 1_000 * shiftPct + 7);
    const cells = RULES.flatMap((rule) => {
      const t = sequential.get(rule) ?? tally();
      return [rate(t.fail, RUNS), rate(t.pass, RUNS), meanMedian(t.samples)];
    });
    rows.push([`${shiftPct}%`, rate(fixed.fail, RUNS), rate(fixed.pass, RUNS), ...cells]);
  }
  return rows;
}

const HEADER = [
  'planted shift',
  `fixed N=${FIXED_N} fail`,
  'fixed pass',
  'seq fail (significant-and-beyond)',
  'seq pass',
  'seq samples mean / median',
  'seq fail (beyond-margin)',
  'seq pass',
  'seq samples mean / median',
];

test('sequential against fixed design', () => {
  const started = performance.now();
  console.log(
    `load average ${load()} on ${cpus().length} CPUs; fixed N = ${FIXED_N}, sequential batch ${BATCH}, maxSamples ${MAX_SAMPLES}`,
  );
  const powerRows = latencyPowerTable(10);
  printTable(`(d1) latency, ${SIM_DEFAULT.name}, α = 0.01, δ = 10%, ${RUNS} comparisons per row`, HEADER, powerRows);
  printTable(
    `(d1) latency, ${SIM_DEFAULT.name}, α = 0.01, δ = 5%, ${RUNS} comparisons per row`,
    HEADER,
    latencyPowerTable(5),
  );
  printTable(
    `(d2) latency A/A under optional stopping (a look every ${BATCH} rounds up to ${MAX_SAMPLES}), δ = 10%`,
    [
      'platform',
      'α',
      'comparisons',
      'fixed fail',
      'seq fail (sig.-and-beyond)',
      'seq fail (beyond-margin)',
      'fixed pass',
      'seq pass',
      'seq samples mean / median',
    ],
    latencyAaTable(),
  );
  printTable(
    `(d3) error rates (PAR-ERR-001), α = 0.01, δ = 2 points, sequential maxSamples ${ERROR_MAX_SAMPLES}`,
    ['reference vs subject', 'comparisons', `fixed N=${FIXED_N} fail`, 'fixed pass', ...HEADER.slice(3)],
    errorRateTable(),
  );
  console.log(timingLine());
  console.log(`bench took ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${load()}`);
  expect(powerRows).toHaveLength(SHIFTS.length);
});

/** A/A rows: the default platform at α = 0.01 and 0.05, flaky-but-fair at 0.01 (to keep the run near 3 minutes). */
function latencyAaTable(): string[][] {
  const cells: Array<[Platform, number]> = [
    [SIM_DEFAULT, 0.01],
    [SIM_DEFAULT, 0.05],
    [FLAKY, 0.01],
  ];
  return cells.map(([platform, alpha]) => {
    const { fixed, sequential } = latencyCell(
      platform,
      0,
      10,
      alpha,
      AA_COMPARISONS,
      500_000 + Math.round(alpha * 1000),
    );
    const [sab, bm] = RULES.map((rule) => sequential.get(rule) ?? tally());
    const n = AA_COMPARISONS;
    return [
      platform.name,
      String(alpha),
      String(n),
      rate(fixed.fail, n),
      rate(sab?.fail ?? 0, n),
      rate(bm?.fail ?? 0, n),
      rate(fixed.pass, n),
      rate(sab?.pass ?? 0, n),
      meanMedian(sab?.samples ?? []),
    ];
  });
}

/** PAR-ERR-001 rows: reference and subject error rates, and how many comparisons each gets. */
function errorRateTable(): string[][] {
  const cases: Array<[number, number, number]> = [
    [0, 0, RUNS],
    [0.02, 0.02, AA_COMPARISONS],
    [0.01, 0.01, RUNS],
    [0, 0.05, RUNS],
    [0.01, 0.05, RUNS],
    [0, 0.03, RUNS],
  ];
  return cases.map(([referenceRate, subjectRate, runs]) => {
    const { fixed, sequential } = errorRateCell(referenceRate, subjectRate, runs);
    const cells = RULES.flatMap((rule) => {
      const t = sequential.get(rule) ?? tally();
      return [rate(t.fail, runs), rate(t.pass, runs), meanMedian(t.samples)];
    });
    const label = `${100 * referenceRate}% vs ${100 * subjectRate}%`;
    return [label, String(runs), rate(fixed.fail, runs), rate(fixed.pass, runs), ...cells];
  });
}

/** Fixed and sequential verdicts of `runs` simulated error-rate comparisons. */
function errorRateCell(referenceRate: number, subjectRate: number, runs: number) {
  const fixed = tally();
  const sequential = new Map(RULES.map((rule) => [rule, tally()]));
  for (let run = 0; run < runs; run += 1) {
    const rng = createRng(900_000 + run + Math.round(10_000 * (referenceRate + 3 * subjectRate)));
    const reference = drawOutcomes(referenceRate, ERROR_MAX_SAMPLES, rng.fork('reference'));
    const subject = drawOutcomes(subjectRate, ERROR_MAX_SAMPLES, rng.fork('subject'));
    add(fixed, fixedErrorVerdict(reference.slice(0, FIXED_N), subject.slice(0, FIXED_N), 0.01, 2), FIXED_N);
    for (const rule of RULES) {
      const options = { alpha: 0.01, marginPp: 2, failRule: rule, batch: BATCH, maxSamples: ERROR_MAX_SAMPLES };
      const replay = replayErrorRateLooks(reference, subject, options);
      const t = sequential.get(rule);
      if (t !== undefined) add(t, replay.decision, replay.stopAt);
    }
  }
  return { fixed, sequential };
}

/** One look's cost, against the fixed rule's analysis in the same process. */
function timingLine(): string {
  const [big1, big2] = latencyPair(SIM_DEFAULT, 0, 5000, 1);
  const [small1, small2] = latencyPair(SIM_DEFAULT, 0, FIXED_N, 2);
  const time = (f: () => unknown, repeats: number): number => {
    const t0 = performance.now();
    for (let i = 0; i < repeats; i += 1) f();
    return (performance.now() - t0) / repeats;
  };
  const failRule = 'significant-and-beyond';
  const fixedMs = time(() => fixedLatencyVerdict(small1, small2, 0.01, 10), 50);
  const lookMs = time(() => sequentialLatencyLook(big1, big2, { alpha: 0.01, marginPct: 10, failRule }), 50);
  const [failed1, failed2] = [big1.map((x) => x > 15), big2.map((x) => x > 15)];
  const errorLookMs = time(() => sequentialErrorRateLook(failed1, failed2, { alpha: 0.01, marginPp: 2, failRule }), 20);
  return (
    `one latency look at 2 × 5000 samples: ${lookMs.toFixed(2)} ms ` +
    `(${(lookMs / fixedMs).toFixed(1)}× the fixed rule's analysis at 2 × ${FIXED_N}: ${fixedMs.toFixed(2)} ms); ` +
    `one error-rate look at 2 × 5000: ${errorLookMs.toFixed(2)} ms`
  );
}

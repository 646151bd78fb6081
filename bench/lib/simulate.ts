/**
 * The analysis of a whole run, simulated: three cohorts drawn from the platform's log-normal latency
 * (reference, a subject with a planted multiplicative shift, and an A/A control), each draw plus one
 * resampled value of the harness noise calibrated in noise.ts, then the real PAR-LAT-001 analysis and
 * run-wide decision rule. Cheap enough for thousands of runs, where real runs take a second each.
 */
import type { AnalysisContext } from '../../src/engine/check.js';
import { decide } from '../../src/engine/decide.js';
import { createRng, type Rng } from '../../src/core/rng.js';
import type { Finding, Observation } from '../../src/core/types.js';
import { compareLatency } from '../../suites/parity/latency/compare.js';

export interface SimulatedRun {
  /** Samples per cohort. */
  n: number;
  /** Planted shift of the subject's platform latency, in % of the median. */
  shiftPct: number;
  seed: number;
  /** Harness noise (ms) to add, resampled with replacement. */
  noiseMs: readonly number[];
  marginPct?: number;
  alpha?: number;
  /** The platform's latency: median and log-sd (the sim's default is 6 ms, 0.25). */
  medianMs?: number;
  sigma?: number;
}

/** Verdicts of the subject (shifted) and the control (A/A) in one simulated run, and whether each was significant. */
export interface SimulatedVerdicts {
  subject: Finding;
  control: Finding;
}

/** Simulates one run and returns its two resolved findings. */
export function simulateRun(run: SimulatedRun): SimulatedVerdicts {
  const rng = createRng(run.seed);
  const median = run.medianMs ?? 6;
  const draw = (cohort: string, factor: number): Observation[] =>
    Array.from({ length: run.n }, (_, i) => ({
      check: 'PAR-LAT-001',
      cohort,
      kind: 'latency',
      seq: i,
      variant: 'text',
      round: i,
      outcome: 'ok',
      latencyUs: 1000 * (median * factor * Math.exp((run.sigma ?? 0.25) * normal(rng)) + pick(run.noiseMs, rng)),
    }));
  const reference = draw('meta-ai', 1);
  const ctx = contextFor(run);
  const compare = (id: string, samples: Observation[]): ReturnType<typeof compareLatency> =>
    compareLatency({
      check: { id: 'PAR-LAT-001', title: 'Send-message latency parity', suite: 'parity', references: [] },
      metric: 'send-message latency (text)',
      variant: 'text',
      subject: { id, label: id },
      reference: ctx.reference,
      subjectSamples: samples,
      referenceSamples: reference,
      ctx,
    });
  const [subject, control] = decide(
    [compare('assistant', draw('assistant', 1 + run.shiftPct / 100)), compare('control', draw('control', 1))],
    ctx.analysis.alpha,
  );
  if (subject === undefined || control === undefined) throw new Error('decide() lost a finding');
  return { subject, control };
}

/** True when the Holm-adjusted p-value is below α, whatever the margin says. */
export function isSignificant(finding: Finding): boolean {
  const m = finding.measurements as { pHolm?: number; alpha?: number };
  return typeof m.pHolm === 'number' && m.pHolm < (m.alpha ?? 0.01);
}

/** The Hodges–Lehmann shift of a latency finding, in % of the reference median. */
export function shiftPctOf(finding: Finding): number {
  const shift = finding.measurements.shift as { estimatePct?: number } | undefined;
  return shift?.estimatePct ?? Number.NaN;
}

// Ten bootstrap resamples: the ratio CIs are reported, never decided on, and dominate the cost.
function contextFor(run: SimulatedRun): AnalysisContext {
  return {
    analysis: {
      alpha: run.alpha ?? 0.01,
      latencyMarginPct: run.marginPct ?? 10,
      samples: run.n,
      warmup: 0,
      latencyRps: 30,
      rateMarginPct: 20,
      feeProbeMessages: 60,
      bootstrapResamples: 10,
    },
    reference: { id: 'meta-ai', label: 'meta-ai' },
    subjects: [
      { id: 'assistant', label: 'assistant' },
      { id: 'control', label: 'control' },
    ],
    seed: run.seed,
    target: { feeHeaders: [], pinnedIdentityKey: null },
  };
}

function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

function pick(values: readonly number[], rng: Rng): number {
  return values.length === 0 ? 0 : (values[rng.int(values.length)] ?? 0);
}

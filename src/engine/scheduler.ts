/**
 * Open-loop, randomly interleaved scheduling (docs/architecture.md, "Verdicts and the decision rule"): request k
 * is due at t0 + k/rate whether or not earlier ones have returned, and within each round the order of
 * cohorts (and of variants, when a schedule mixes several) is drawn from the seeded RNG, so drift and
 * warm-up hit every cohort alike.
 */
import type { Clock } from '../core/clock.js';
import type { Rng } from '../core/rng.js';

export interface InterleaveOptions {
  cohorts: readonly string[];
  /** Measured rounds (one request per cohort, and per variant when given, per round), after the warm-up. */
  rounds: number;
  /** Rounds sent first and marked `isWarmup` (their samples are discarded by analysis). */
  warmupRounds: number;
  /** Offered requests per second across all cohorts. */
  ratePerSec: number;
  rng: Rng;
  /** Several kinds of request in one schedule (message types): every round holds each cohort × variant once. */
  variants?: readonly string[];
}

export interface Slot {
  cohort: string;
  /** Round number; warm-up rounds are negative. */
  round: number;
  scheduledNs: number;
  isWarmup: boolean;
  /** The variant this slot sends, when the schedule has variants. */
  variant?: string;
}

export interface ScheduleReport {
  launched: number;
  /** How late each launch was against its schedule, in ns (the harness's own jitter). */
  slipNs: number[];
  isCancelled: boolean;
}

/** Schedule slip in µs, as observations and findings carry it. */
export interface SlipSummary {
  launched: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

/** Paces work on the run's clock and stops launching when the run is cancelled. */
export class Scheduler {
  constructor(
    private readonly clock: Clock,
    private readonly signal: AbortSignal,
  ) {}

  /** Monotonic ns since the run started (the clock every timestamp of the run uses). */
  now(): number {
    return this.clock.now();
  }

  /** Waits until the run-clock time `ns` (precise to well under a millisecond); returns early when the run is cancelled. */
  sleepUntil(ns: number): Promise<void> {
    return this.clock.sleepUntil(ns, this.signal);
  }

  /** Waits `ms` milliseconds on the run clock; returns early when the run is cancelled. */
  sleep(ms: number): Promise<void> {
    return this.clock.sleepUntil(this.clock.now() + ms * 1e6, this.signal);
  }

  /** The slots an interleaved schedule would launch, in order; pure given the RNG state. */
  plan(options: InterleaveOptions, startNs: number): Slot[] {
    const interval = 1e9 / options.ratePerSec;
    const cells = cellsOf(options);
    const slots: Slot[] = [];
    const total = options.warmupRounds + options.rounds;
    for (let r = 0; r < total; r += 1) {
      const round = r - options.warmupRounds;
      for (const cell of options.rng.shuffle(cells)) {
        slots.push({ ...cell, round, scheduledNs: startNs + slots.length * interval, isWarmup: round < 0 });
      }
    }
    return slots;
  }

  /** Launches `work` for every slot at its scheduled time (open loop) and waits for all to settle. */
  async interleave(options: InterleaveOptions, work: (slot: Slot) => Promise<void>): Promise<ScheduleReport> {
    const slots = this.plan(options, this.clock.now() + 1e6);
    return this.launch(slots, work);
  }

  /** Launches work at given times (open loop); used by interleave and by probes with their own plans. */
  async launch(slots: readonly Slot[], work: (slot: Slot) => Promise<void>): Promise<ScheduleReport> {
    const pending: Array<Promise<void>> = [];
    const slipNs: number[] = [];
    for (const slot of slots) {
      await this.clock.sleepUntil(slot.scheduledNs, this.signal);
      if (this.signal.aborted) break;
      slipNs.push(this.clock.now() - slot.scheduledNs);
      pending.push(work(slot));
    }
    await Promise.allSettled(pending);
    return { launched: pending.length, slipNs, isCancelled: this.signal.aborted };
  }
}

/** Median, p99 and max of a schedule's slip, in µs (nearest-rank quantiles: the harness's jitter, not an estimate). */
export function summariseSlip(report: ScheduleReport): SlipSummary {
  const sorted = [...report.slipNs].sort((a, b) => a - b);
  const rank = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  const us = (ns: number): number => Math.round(ns / 10) / 100;
  return { launched: report.launched, p50Us: us(rank(0.5)), p99Us: us(rank(0.99)), maxUs: us(sorted.at(-1) ?? 0) };
}

function cellsOf(options: InterleaveOptions): Array<{ cohort: string; variant?: string }> {
  const variants = options.variants;
  if (variants === undefined || variants.length === 0) return options.cohorts.map((cohort) => ({ cohort }));
  return options.cohorts.flatMap((cohort) => variants.map((variant) => ({ cohort, variant })));
}

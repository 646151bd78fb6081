/**
 * Open-loop, randomly interleaved scheduling (DESIGN.md, "Verdicts and the decision rule"): request k
 * is due at t0 + k/rate whether or not earlier ones have returned, and within each round the order of
 * cohorts is drawn from the seeded RNG, so drift and warm-up hit every cohort alike.
 */
import type { Clock } from './clock.js';
import type { Rng } from './rng.js';

export interface InterleaveOptions {
  cohorts: readonly string[];
  /** Measured rounds (one request per cohort per round), after the warm-up. */
  rounds: number;
  /** Rounds sent first and marked `isWarmup` (their samples are discarded by analysis). */
  warmupRounds: number;
  /** Offered requests per second across all cohorts. */
  ratePerSec: number;
  rng: Rng;
}

export interface Slot {
  cohort: string;
  /** Round number; warm-up rounds are negative. */
  round: number;
  scheduledNs: number;
  isWarmup: boolean;
}

export interface ScheduleReport {
  launched: number;
  /** How late each launch was against its schedule, in ns (the harness's own jitter). */
  slipNs: number[];
  isCancelled: boolean;
}

/** Paces work on the run's clock and stops launching when the run is cancelled. */
export class Scheduler {
  constructor(
    private readonly clock: Clock,
    private readonly signal: AbortSignal,
  ) {}

  /** The slots an interleaved schedule would launch, in order; pure given the RNG state. */
  plan(options: InterleaveOptions, startNs: number): Slot[] {
    const interval = 1e9 / options.ratePerSec;
    const slots: Slot[] = [];
    const total = options.warmupRounds + options.rounds;
    for (let r = 0; r < total; r += 1) {
      options.rng.shuffle(options.cohorts).forEach((cohort) => {
        const round = r - options.warmupRounds;
        slots.push({ cohort, round, scheduledNs: startNs + slots.length * interval, isWarmup: round < 0 });
      });
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

/**
 * Running a shared stream: interleaved, open-loop rounds on the run's scheduler (seeded order), sent in
 * batches of plan.lookEvery rounds. After each batch every comparison of every active variant is looked
 * at (looks.ts); a variant leaves the schedule when all its comparisons are settled or it reaches its
 * cap, and the stream ends when no variant is left. The stream records its plan first, then each batch's
 * harness timing (schedule slip, event-loop delay) and each variant's stop, so analysis and `verify`
 * replay exactly what the run saw. As it goes it reports its progress in samples (as recorded in
 * samples.ndjson, warm-up left out) against the most its caps allow.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { CheckContext } from '../../../src/engine/check.js';
import type { ScheduleReport, Slot } from '../../../src/engine/scheduler.js';
import type { Rng } from '../../../src/core/rng.js';
import type { ObservationInput } from '../../../src/core/types.js';
import { comparisonsOf, decisionOf, isFeeSatisfied, keepsLookedAt, lookedAt, type LookedAt } from './series.js';
import { BATCH_KIND, PLAN_KIND, STOP_KIND, planData, type StreamPlan } from './plan.js';
import { resumePoint, roundsVoided } from './resume.js';

/** Timer interval of the event-loop delay monitor, in ms. */
const LOOP_RESOLUTION_MS = 10;

/** Sends one slot's request and returns the samples it produced (the stream records them). */
export type StreamSend = (slot: Slot) => Promise<ObservationInput[]>;

/** Samples one send of `variant` records (a text send with status callbacks records them too). */
export type SamplesPerSend = (variant: string) => number;

/** Runs `plan` with `send`; resolves when every variant has stopped. */
export async function runStream(
  ctx: CheckContext,
  plan: StreamPlan,
  send: StreamSend,
  samplesPerSend: SamplesPerSend = () => 1,
): Promise<void> {
  // The looks read a few fields of each sample; the fixed design never looks, so it keeps none (a soak's
  // memory stays flat in its length). Both keep the last rounds' outcomes, to see the budget run out.
  const samples: LookedAt[] = [];
  const budget = new RecentOutcomes();
  let seq = 0;
  const owner = plan.metrics[0] ?? 'stream';
  const record = (input: ObservationInput): void => {
    ctx.record(input);
    const sample = lookedAt({ ...input, seq: seq++ });
    budget.add(sample);
    if (keepsLookedAt(plan)) samples.push(sample);
  };
  const cohorts = ctx.cohorts.map((c) => c.id);
  const subjects = ctx.subjects.map((c) => c.id);
  // A resumed run continues the stream it was cut off in (resume.ts); a new one records its plan first.
  const resumed = await resumePoint(ctx.earlier(), plan, cohorts);
  let active = plan.variants.filter((variant) => !(resumed?.stopped.has(variant) ?? false));
  if (resumed === null)
    record({ check: owner, metrics: plan.metrics, cohort: '*', kind: PLAN_KIND, data: planData(plan) });
  else if (active.length === 0) return;
  else {
    samples.push(...resumed.kept);
    seq = resumed.lastSeq + 1;
    record(roundsVoided(plan, resumed.fromRound));
    ctx.log(`${plan.stream} stream: resumed at round ${resumed.fromRound} (the rounds before it are kept)`);
  }
  const rng = ctx.rng.fork(
    resumed === null ? `stream:${plan.stream}` : `stream:${plan.stream}:from:${resumed.fromRound}`,
  );
  const progress = streamProgress(ctx, plan, cohorts.length, samplesPerSend);
  if (resumed !== null) {
    for (const [variant, rounds] of resumed.stopped) progress.stop(variant, rounds);
    progress.add(resumed.keptCount);
  }
  const work = async (slot: Slot): Promise<void> => {
    const produced = await send(slot);
    for (const sample of produced) record(sample);
    if (!slot.isWarmup) progress.add(produced.length);
  };
  if (plan.warmupRounds > 0) {
    const slots = blockedSlots(
      rng,
      cohorts,
      plan.variants.slice(0, 1),
      -plan.warmupRounds,
      plan.warmupRounds,
      ctx.scheduler.now() + 1e6,
      plan.ratePerSec,
    );
    await ctx.scheduler.launch(slots, work);
  }
  let round = resumed?.fromRound ?? 0;
  // The fixed design never looks, so its rounds go out as one open-loop schedule (no pause between batches).
  const batch = plan.design === 'fixed' ? Math.max(1, ...Object.values(plan.maxRounds)) : plan.lookEvery;
  // Per comparison: whether it is settled, and the pairs its looks so far covered (all undecided).
  const settled = new Map<string, boolean>();
  const seen = new Map<string, number>();
  while (active.length > 0) {
    const slots = blockedSlots(
      rng,
      cohorts,
      active,
      round,
      batch,
      ctx.scheduler.now() + 1e6,
      plan.ratePerSec,
      plan.maxRounds,
    );
    const report = await timed(ctx, slots, work, (timing) =>
      record({
        check: owner,
        metrics: plan.metrics,
        cohort: '*',
        kind: BATCH_KIND,
        data: { stream: plan.stream, variants: active, fromRound: round, ...timing },
      }),
    );
    round += batch;
    const stop = (variant: string, reason: string): void => {
      const rounds = Math.min(round, plan.maxRounds[variant] ?? round);
      record({
        check: owner,
        metrics: plan.metrics,
        cohort: '*',
        kind: STOP_KIND,
        data: { stream: plan.stream, variant, rounds, reason },
      });
      progress.stop(variant, rounds);
      ctx.log(`${plan.stream} stream: ${variant} stopped after ${rounds} rounds (${reason})`);
    };
    const reasonOf = (variant: string): string | null => {
      if (report.isCancelled) return 'interrupted';
      if (budget.isSpent(round)) return 'budget';
      if (round >= (plan.maxRounds[variant] ?? 0)) return 'cap';
      if (plan.design === 'fixed') return null;
      if (!isFeeSatisfied(plan, variant, round)) return null;
      const comparisons = comparisonsOf(plan, variant, subjects);
      const marginPct = ctx.config.analysis.latencyMarginPct;
      const isDone = comparisons.every((c) => {
        const key = `${c.check} ${c.variant} ${c.subject}`;
        const known = settled.get(key);
        if (known === true) return true;
        const { decision, pairs } = decisionOf(c, samples, plan, ctx.reference.id, marginPct, seen.get(key) ?? 0);
        seen.set(key, pairs);
        settled.set(key, decision !== 'continue');
        return decision !== 'continue';
      });
      return isDone ? 'decided' : null;
    };
    const next: string[] = [];
    for (const variant of active) {
      const reason = reasonOf(variant);
      if (reason === null) next.push(variant);
      else stop(variant, reason);
    }
    active = next;
  }
}

/**
 * Counts the stream's samples for ctx.progress. The planned figure is the caps' most (rounds × cohorts ×
 * samples per send, over the variants), lowered to what a variant really sent once it stops.
 */
function streamProgress(
  ctx: CheckContext,
  plan: StreamPlan,
  cohorts: number,
  samplesPerSend: SamplesPerSend,
): { add(samples: number): void; stop(variant: string, rounds: number): void } {
  const rounds = new Map(plan.variants.map((v) => [v, plan.maxRounds[v] ?? 0]));
  let done = 0;
  const report = (): void => {
    let planned = 0;
    for (const [variant, n] of rounds) planned += n * cohorts * samplesPerSend(variant);
    ctx.progress({ part: `${plan.stream} stream`, unit: 'samples', done, planned });
  };
  return {
    add(samples) {
      done += samples;
      report();
    },
    stop(variant, stoppedAt) {
      rounds.set(variant, stoppedAt);
      report();
    },
  };
}

/**
 * Rounds of an interleaved schedule, blocked by variant: within a round the variants come in random
 * order and, within a variant, the cohorts do, so the two halves of every compared pair leave within
 * one or two slots of each other and share whatever the harness, the network or the platform was
 * doing at that moment (their paired difference cancels it; the interleaving of docs/architecture.md, made tighter).
 */
export function blockedSlots(
  rng: Rng,
  cohorts: readonly string[],
  variants: readonly string[],
  fromRound: number,
  rounds: number,
  startNs: number,
  ratePerSec: number,
  caps: Readonly<Record<string, number>> = {},
): Slot[] {
  const interval = 1e9 / ratePerSec;
  const slots: Slot[] = [];
  for (let r = 0; r < rounds; r += 1)
    for (const variant of rng.shuffle(variants))
      for (const cohort of rng.shuffle(cohorts)) {
        const round = fromRound + r;
        if (round >= (caps[variant] ?? Infinity)) continue; // a variant past its cap sits this round out
        slots.push({ cohort, variant, round, scheduledNs: startNs + slots.length * interval, isWarmup: round < 0 });
      }
  return slots;
}

/** Launches a batch while measuring the harness's own timing, then reports it. */
async function timed(
  ctx: CheckContext,
  slots: Slot[],
  work: (slot: Slot) => Promise<void>,
  report: (timing: Record<string, number>) => void,
): Promise<ScheduleReport> {
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  const result = await ctx.scheduler.launch(slots, work);
  loop.disable();
  const sorted = [...result.slipNs].sort((a, b) => a - b);
  const rank = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  const us = (ns: number): number => Math.round((Number.isFinite(ns) ? ns : 0) / 1000);
  report({
    launched: result.launched,
    slipP50Us: us(rank(0.5)),
    slipP90Us: us(rank(0.9)),
    slipP99Us: us(rank(0.99)),
    // The histogram holds whole timer intervals; the delay is what exceeds the resolution.
    loopDelayP50Us: us(Math.max(0, loop.percentile(50) - LOOP_RESOLUTION_MS * 1e6)),
    loopDelayP99Us: us(Math.max(0, loop.percentile(99) - LOOP_RESOLUTION_MS * 1e6)),
  });
  return result;
}

/**
 * The outcomes of the stream's last two rounds, to tell when the budget has run out: when every send of
 * the last batch's last round was withheld by the budget, going on would send nothing.
 */
class RecentOutcomes {
  private readonly byRound = new Map<number, { sent: number; withheld: number }>();
  private latest = -Infinity;

  add(sample: LookedAt): void {
    if (sample.outcome === undefined || sample.round === undefined || sample.round < this.latest - 1) return;
    const tally = this.byRound.get(sample.round) ?? { sent: 0, withheld: 0 };
    tally.sent += 1;
    if (sample.outcome === 'budget-exhausted') tally.withheld += 1;
    this.byRound.set(sample.round, tally);
    if (sample.round > this.latest) {
      this.latest = sample.round;
      for (const round of this.byRound.keys()) if (round < this.latest - 1) this.byRound.delete(round);
    }
  }

  /** True when samples of round ≥ `round` − 1 exist and the budget withheld every one of them. */
  isSpent(round: number): boolean {
    let sent = 0;
    let withheld = 0;
    for (const [r, tally] of this.byRound)
      if (r >= round - 1) {
        sent += tally.sent;
        withheld += tally.withheld;
      }
    return sent > 0 && withheld === sent;
  }
}

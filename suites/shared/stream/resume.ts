/**
 * Where a stream of a resumed run picks up (`run --resume`, docs/architecture.md, "Scale and crashes").
 * A stream cut off by a crash or an interrupt is not started again: it keeps every round the bundle
 * holds complete, for every cohort, and sends again from the first round one of them lacks. What it
 * sends again is voided in the evidence by a ROUNDS_VOIDED observation (src/engine/analyse.ts), so the
 * analysis sees each round once. A 24-hour soak killed in hour 23 loses its last checkpoint interval,
 * not the day.
 */
import { isDeepStrictEqual } from 'node:util';
import { ROUNDS_VOIDED } from '../../../src/engine/analyse.js';
import type { Observation } from '../../../src/core/types.js';
import { INBOUND_KIND, PLAN_KIND, SEND_KIND, STATUS_KIND, STOP_KIND, planData, type StreamPlan } from './plan.js';
import { keepsLookedAt, lookedAt, NOT_SENT, type LookedAt } from './series.js';

/** What a resumed stream continues from. */
export interface StreamResumePoint {
  /** The first round sent again: every round before it is complete for every cohort of every running variant. */
  fromRound: number;
  /** Variants that had stopped, with the rounds they stopped at: they stay stopped. */
  stopped: ReadonlyMap<string, number>;
  /** The kept samples (rounds before fromRound) as the looks read them; the fixed design keeps none. */
  kept: LookedAt[];
  /** How many samples were kept (for progress). */
  keptCount: number;
  /** The highest seq among them. */
  lastSeq: number;
}

/** The sample kinds a stream records: a send and its status callbacks, or an inbound message. */
export function streamKinds(plan: Pick<StreamPlan, 'stream'>): string[] {
  return plan.stream === 'outbound' ? [SEND_KIND, STATUS_KIND] : [INBOUND_KIND];
}

/** The marker that voids the rounds a resumed stream sends again. */
export function roundsVoided(plan: StreamPlan, fromRound: number) {
  return {
    check: plan.metrics[0] ?? 'stream',
    metrics: plan.metrics,
    cohort: '*',
    kind: ROUNDS_VOIDED,
    data: { stream: plan.stream, kinds: streamKinds(plan), fromRound },
  };
}

/**
 * Reads the stream's part of what the interrupted run recorded. Null when it recorded no plan for this
 * stream (it never started: start afresh); an error when it recorded a different plan (a resumed run
 * must be the same run: same config, seed and options).
 */
export async function resumePoint(
  earlier: AsyncIterable<Observation>,
  plan: StreamPlan,
  cohorts: readonly string[],
): Promise<StreamResumePoint | null> {
  const primary = plan.stream === 'outbound' ? SEND_KIND : INBOUND_KIND;
  const kinds = streamKinds(plan);
  const wanted = JSON.parse(JSON.stringify(planData(plan))) as unknown;
  // Per variant and cohort: which rounds were recorded as sent (a cancelled or withheld send was not).
  const covered = new Map(
    plan.variants.map((v) => [v, new Map(cohorts.map((c) => [c, new Uint8Array(plan.maxRounds[v] ?? 0)]))]),
  );
  const stopped = new Map<string, number>();
  // Stream samples of every kind per round, for progress.
  const perRound = new Uint32Array(Math.max(0, ...Object.values(plan.maxRounds)));
  let kept: LookedAt[] = [];
  let hasPlan = false;
  for await (const o of earlier) {
    if (o.kind === PLAN_KIND && o.data?.stream === plan.stream) {
      if (!isDeepStrictEqual(o.data, wanted))
        throw new Error(
          `the ${plan.stream} stream cannot be resumed: the interrupted run recorded a different plan (was the config changed?)`,
        );
      hasPlan = true;
    } else if (o.kind === STOP_KIND && o.data?.stream === plan.stream) {
      // A stop by Ctrl-C is where the interrupted run left off, not where the variant was done.
      if (o.data.reason === 'interrupted') stopped.delete(String(o.data.variant));
      else stopped.set(String(o.data.variant), Number(o.data.rounds));
    } else if (o.kind === ROUNDS_VOIDED && o.data?.stream === plan.stream) {
      // An earlier resume of this run: what it voided is void here too.
      const from = Number(o.data.fromRound);
      for (const byCohort of covered.values())
        for (const rounds of byCohort.values()) rounds.fill(0, Math.max(0, from));
      perRound.fill(0, Math.max(0, from));
      kept = kept.filter((s) => (s.round ?? -1) < from);
    } else if (o.metrics !== undefined && kinds.includes(o.kind) && (o.round ?? -1) >= 0) {
      if (keepsLookedAt(plan)) kept.push(lookedAt(o));
      const rounds = covered.get(o.variant ?? 'text')?.get(o.cohort);
      const round = o.round ?? -1;
      if (round < perRound.length) perRound[round] = (perRound[round] ?? 0) + 1;
      if (o.kind === primary && rounds !== undefined && round < rounds.length && !NOT_SENT.has(o.outcome ?? ''))
        rounds[round] = 1;
    }
  }
  if (!hasPlan) return null;
  // The first round some running variant lacks for some cohort; when none lacks any, past the last cap.
  let fromRound = Infinity;
  let lastCap = 0;
  for (const [variant, byCohort] of covered) {
    if (stopped.has(variant)) continue;
    lastCap = Math.max(lastCap, plan.maxRounds[variant] ?? 0);
    for (const rounds of byCohort.values()) {
      const missing = rounds.indexOf(0);
      if (missing !== -1) fromRound = Math.min(fromRound, missing);
    }
  }
  // Looks come after every lookEvery rounds from round 0; resuming on a batch boundary keeps them there.
  // The fixed design never looks, so it resumes at the first missing round itself.
  const step = plan.design === 'fixed' ? 1 : plan.lookEvery;
  fromRound = Number.isFinite(fromRound) ? Math.floor(fromRound / step) * step : lastCap;
  const before = kept.filter((s) => (s.round ?? -1) < fromRound);
  return {
    fromRound,
    stopped,
    kept: before,
    keptCount: perRound.subarray(0, fromRound).reduce((a, b) => a + b, 0),
    lastSeq: before.reduce((most, s) => Math.max(most, s.seq), -1),
  };
}

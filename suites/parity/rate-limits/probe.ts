/**
 * The bounded empirical rate-limit probe (PAR-RL-002). Every cohort is offered the same constant rate
 * in the same time windows (one slot per cohort per round, order drawn from the seeded RNG). A token
 * bucket hides its rate behind its burst, so the probe first empties the bucket (burst phase: until the
 * first throttling answer), then keeps offering the same rate while honouring every Retry-After (the
 * cohort sends nothing until it has passed); throttled again after a pause is sustained throttling, and
 * the cohort stops after `episodes` such episodes. Each cohort also stops at its request cap or the
 * time cap; the offered rate is planned under the run's maxRps, and the HTTP client's budget still
 * has the last word. Its progress counts requests against the request caps (a stopped cohort's cap
 * becomes what it sent).
 */
import type { CheckContext } from '../../../src/engine/check.js';
import type { Rng } from '../../../src/core/rng.js';
import type { HttpExchange } from '../../../src/http/types.js';
import { retryAfterSeconds } from './headers.js';
import { exchangeIds, numberField, sendFacts } from '../../shared/send.js';
import { isThrottled } from '../../../src/targets/whatsapp/graph-errors.js';

export interface ThrottleProbeOptions {
  check: string;
  cohorts: readonly string[];
  ratePerCohort: number;
  maxRequestsPerCohort: number;
  maxDurationMs: number;
  /** Throttle episodes after which a cohort counts as sustainedly throttled and stops. */
  episodes: number;
  /** Idle time after two warm-up requests per cohort, so every bucket starts full. */
  settleMs: number;
  rng: Rng;
}

/** Observation kind of one probe request, and of the per-cohort summary. */
export const PROBE = 'probe';
export const PROBE_SUMMARY = 'probe-summary';

/** Pause used when a throttling answer has no Retry-After. */
const DEFAULT_PAUSE_SEC = 1;

interface CohortState {
  sent: number;
  episodes: number;
  resumeMs: number;
  stopReason: string | null;
}

/** Runs the probe and records one `probe` observation per request and one `probe-summary` per cohort. */
export async function runThrottleProbe(ctx: CheckContext, options: ThrottleProbeOptions): Promise<void> {
  const to = ctx.config.recipient?.waId ?? '';
  const states = new Map(
    options.cohorts.map((c): [string, CohortState] => [
      c,
      { sent: 0, episodes: 0, resumeMs: Number.NEGATIVE_INFINITY, stopReason: null },
    ]),
  );
  const pending: Array<Promise<void>> = [];
  // Open connections first, so connection set-up does not scramble the burst phase; then let every bucket refill.
  await Promise.all(
    options.cohorts.flatMap((cohort) =>
      [1, 2].map(async (n) => {
        const exchange = await ctx
          .business(cohort)
          .sendMessage(
            to,
            { type: 'text', text: { body: `dma-audit rate probe warm-up ${n}` } },
            { check: options.check },
          );
        ctx.record({
          check: options.check,
          cohort,
          kind: 'probe-warmup',
          outcome: exchange.outcome,
          exchanges: exchangeIds(exchange),
          data: sendFacts(exchange),
        });
      }),
    ),
  );
  await ctx.scheduler.sleep(options.settleMs);
  const start = ctx.scheduler.now() / 1e6;
  const slotMs = 1000 / (options.ratePerCohort * options.cohorts.length);
  let order: string[] = [];
  for (let slot = 0; !ctx.signal.aborted; slot += 1) {
    const index = slot % options.cohorts.length;
    if (index === 0) order = options.rng.shuffle(options.cohorts);
    await ctx.scheduler.sleepUntil((start + slot * slotMs) * 1e6);
    if (
      ctx.scheduler.now() / 1e6 - start > options.maxDurationMs ||
      [...states.values()].every((s) => s.stopReason !== null)
    )
      break;
    const cohort = order[index] as string;
    const state = states.get(cohort) as CohortState;
    if (state.stopReason !== null || ctx.scheduler.now() / 1e6 < state.resumeMs) continue;
    state.sent += 1;
    if (state.sent >= options.maxRequestsPerCohort) state.stopReason = 'request cap';
    reportProbe(ctx, options, states);
    const launchMs = ctx.scheduler.now() / 1e6;
    const body = { type: 'text', text: { body: `dma-audit rate probe ${state.sent}` } };
    pending.push(
      ctx
        .business(cohort)
        .sendMessage(to, body, { check: options.check })
        .then((exchange) => onAnswer(ctx, options, cohort, state, launchMs, exchange)),
    );
  }
  await Promise.allSettled(pending);
  for (const [cohort, state] of states) {
    ctx.record({
      check: options.check,
      cohort,
      kind: PROBE_SUMMARY,
      data: {
        ratePerCohort: options.ratePerCohort,
        maxRequests: options.maxRequestsPerCohort,
        maxDurationMs: options.maxDurationMs,
        sent: state.sent,
        episodes: state.episodes,
        stopReason: state.stopReason ?? (ctx.signal.aborted ? 'cancelled' : 'time cap'),
      },
    });
  }
}

/** Requests sent so far, of the most the cohorts still running may send. */
function reportProbe(ctx: CheckContext, options: ThrottleProbeOptions, states: ReadonlyMap<string, CohortState>): void {
  let done = 0;
  let planned = 0;
  for (const state of states.values()) {
    done += state.sent;
    planned += state.stopReason === null ? options.maxRequestsPerCohort : state.sent;
  }
  ctx.progress({ part: 'rate-limit probe', unit: 'requests', done, planned });
}

/** Records one answer and moves the cohort's state: a throttling answer to a request sent after the last pause starts an episode. */
function onAnswer(
  ctx: CheckContext,
  options: ThrottleProbeOptions,
  cohort: string,
  state: CohortState,
  launchMs: number,
  exchange: HttpExchange,
): void {
  const facts = sendFacts(exchange);
  const throttled = isThrottled(exchange.status, numberField(facts.errorCode));
  const retryAfterSec = retryAfterSeconds(exchange.headers['retry-after'], exchange.headers.date);
  const isEpisodeStart = throttled && launchMs >= state.resumeMs;
  if (isEpisodeStart) {
    state.episodes += 1;
    state.resumeMs = ctx.scheduler.now() / 1e6 + (retryAfterSec ?? DEFAULT_PAUSE_SEC) * 1000;
    if (state.episodes >= options.episodes) state.stopReason ??= 'sustained throttling';
    else if ((retryAfterSec ?? 0) * 1000 > options.maxDurationMs)
      state.stopReason ??= 'retry-after beyond the probe window';
  }
  if (exchange.outcome === 'budget-exhausted' || exchange.outcome === 'cancelled')
    state.stopReason ??= 'budget exhausted';
  ctx.record({
    check: options.check,
    cohort,
    kind: PROBE,
    sentNs: exchange.sentNs,
    latencyUs: exchange.latencyUs,
    outcome: exchange.outcome,
    exchanges: exchangeIds(exchange),
    data: {
      ...facts,
      endNs: exchange.endNs,
      isThrottled: throttled,
      retryAfterSec,
      isEpisodeStart,
      episode: state.episodes,
    },
  });
}

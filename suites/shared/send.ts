/**
 * Sending and describing business-API messages for the fee, rate-limit, feature and policy checks:
 * interleaved rounds on the run's open-loop scheduler, and the facts of each answer that analysis needs.
 */
import type { CheckContext } from '../../src/engine/check.js';
import type { Slot } from '../../src/engine/scheduler.js';
import type { HttpExchange } from '../../src/http/types.js';
import type { OutboundMessage } from '../../src/targets/types.js';
import type { JsonObject } from '../../src/core/types.js';
import { graphErrorCode, graphErrorMessage, messageId } from '../../src/targets/whatsapp/graph-errors.js';

/** What analysis keeps of one answer: status, outcome, Graph error and message id. */
export function sendFacts(exchange: HttpExchange): JsonObject {
  return {
    status: exchange.status,
    outcome: exchange.outcome,
    errorCode: graphErrorCode(exchange.json),
    errorMessage: graphErrorMessage(exchange.json),
    wamid: messageId(exchange.json),
  };
}

/** The HAR ids of an exchange (none when the request was never sent). */
export function exchangeIds(exchange: HttpExchange): string[] {
  return exchange.id === '' ? [] : [exchange.id];
}

/** Offered rate for probes of `cohorts` at `perCohortRps` each, kept under half the run's budget. */
export function probeRate(ctx: CheckContext, perCohortRps: number, cohorts = ctx.cohorts.length): number {
  return Math.max(0.5, Math.min(perCohortRps * cohorts, ctx.config.limits.maxRps / 2));
}

export interface RoundsOptions {
  check: string;
  rounds: number;
  perCohortRps: number;
  message(round: number, cohort: string): OutboundMessage;
  onAnswer(slot: Slot, exchange: HttpExchange): void;
}

/** Sends one message per cohort per round, interleaved in seeded random order on an open-loop schedule. */
export async function sendRounds(ctx: CheckContext, options: RoundsOptions): Promise<void> {
  const to = ctx.config.recipient?.waId ?? '';
  await ctx.scheduler.interleave(
    {
      cohorts: ctx.cohorts.map((c) => c.id),
      rounds: options.rounds,
      warmupRounds: 0,
      ratePerSec: probeRate(ctx, options.perCohortRps),
      rng: ctx.rng.fork(options.check),
    },
    async (slot) => {
      const exchange = await ctx.business(slot.cohort).sendMessage(to, options.message(slot.round, slot.cohort), {
        check: options.check,
        scheduledNs: slot.scheduledNs,
      });
      options.onAnswer(slot, exchange);
    },
  );
}

/** A number read back from observation data, or null. */
export function numberField(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/** A string read back from observation data, or null. */
export function stringField(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * A send the platform accepted: outcome `ok` (a complete 2xx body with a message id). Bundles from
 * before outcomes were this strict have no other sign, so a missing outcome falls back to the status.
 */
export function isAcceptedSend(outcome: string | undefined, status: number): boolean {
  return outcome === undefined ? status >= 200 && status < 300 : outcome === 'ok';
}

/**
 * Timing webhooks against the run clock: PAR-LAT-002 (inbound messages, triggered through the user
 * driver) and PAR-LAT-003 (status callbacks of sent messages). Latency runs from the *scheduled* time
 * of the request that caused the webhook to the webhook's arrival (`receivedNs`), both on the run's
 * monotonic clock. The scheduled time is set by the harness before anything is sent, so neither the
 * user driver's nor the send's own response time (which the platform could stretch or shrink, and
 * which a webhook may even beat) can bias the measurement; it also keeps stalls visible.
 */
import type { CheckContext } from '../../../src/engine/check.js';
import type { Slot } from '../../../src/engine/scheduler.js';
import type { HttpExchange } from '../../../src/http/types.js';
import type { WebhookEvent } from '../../../src/webhook/hub.js';
import { graphErrorCode, messageId } from '../../../src/targets/whatsapp/graph-errors.js';

/** Statuses PAR-LAT-003 times, in the order the platform sends them. */
export const STATUSES = ['sent', 'delivered', 'read'] as const;

/** How long to wait for a webhook: the run's request timeout, so a lost webhook costs no more than a lost response. */
export function webhookWaitMs(ctx: CheckContext): number {
  return ctx.config.limits.timeoutMs;
}

/** Sends one user message to `slot.cohort`'s number and records when the inbound webhook arrived. */
export async function probeInbound(ctx: CheckContext, check: string, slot: Slot): Promise<void> {
  const cohort = ctx.cohorts.find((c) => c.id === slot.cohort);
  const waId = ctx.config.recipient?.waId ?? '';
  const text = `dma-audit inbound probe ${check} ${slot.cohort} ${slot.round}`;
  const exchange = await ctx
    .userDriver()
    .sendAsUser(waId, cohort?.phoneNumberId ?? '', text, { check, cohort: slot.cohort, scheduledNs: slot.scheduledNs });
  const id = messageId(exchange.json);
  const event =
    exchange.outcome === 'ok'
      ? await ctx
          .webhooks()
          .waitFor(
            (e) => e.kind === 'message' && e.cohort === slot.cohort && (e.messageId === id || bodyOf(e) === text),
            webhookWaitMs(ctx),
          )
      : undefined;
  recordWebhookSample(ctx, { check, slot, exchange, event, variant: 'inbound', messageId: id });
}

/** Sends one text message from `slot.cohort` and records when each status callback for it arrived. */
export async function probeStatuses(ctx: CheckContext, check: string, slot: Slot): Promise<void> {
  const to = ctx.config.recipient?.waId ?? '';
  const body = { type: 'text', text: { body: `dma-audit status probe ${slot.round}` } };
  const exchange = await ctx.business(slot.cohort).sendMessage(to, body, { check, scheduledNs: slot.scheduledNs });
  const id = messageId(exchange.json);
  await Promise.all(
    STATUSES.map(async (status) => {
      const event =
        exchange.outcome === 'ok' && id !== null
          ? await ctx
              .webhooks()
              .waitFor(
                (e) => e.kind === 'status' && e.status === status && e.messageId === id && e.cohort === slot.cohort,
                webhookWaitMs(ctx),
              )
          : undefined;
      recordWebhookSample(ctx, { check, slot, exchange, event, variant: status, messageId: id });
    }),
  );
}

interface WebhookSample {
  check: string;
  slot: Slot;
  /** The request that caused the webhook. */
  exchange: HttpExchange;
  event: WebhookEvent | undefined;
  variant: string;
  messageId: string | null;
}

/** One latency observation: ok with the latency when the webhook came, else why not (request failed, or timeout). */
function recordWebhookSample(ctx: CheckContext, sample: WebhookSample): void {
  const { slot, exchange, event } = sample;
  const outcome = exchange.outcome !== 'ok' ? exchange.outcome : event === undefined ? 'timeout' : 'ok';
  ctx.record({
    check: sample.check,
    variant: sample.variant,
    cohort: slot.cohort,
    kind: 'latency',
    round: slot.round,
    scheduledNs: slot.scheduledNs,
    sentNs: exchange.sentNs,
    outcome,
    ...(event === undefined ? {} : { latencyUs: (event.receivedNs - slot.scheduledNs) / 1000 }),
    exchanges: [exchange.id, event?.exchangeId ?? ''].filter((id) => id !== ''),
    data: {
      requestStatus: exchange.status,
      requestLatencyUs: exchange.latencyUs,
      errorCode: graphErrorCode(exchange.json),
      messageId: sample.messageId,
      isWebhookReceived: event !== undefined,
    },
  });
}

/** The text body of an inbound message event, when it has one. */
function bodyOf(event: WebhookEvent): string | null {
  const messages = (event.value as { messages?: Array<{ text?: { body?: unknown } }> } | null)?.messages;
  const body = messages?.[0]?.text?.body;
  return typeof body === 'string' ? body : null;
}

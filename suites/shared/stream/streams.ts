/**
 * The two shared streams of a run (docs/architecture.md, "Shared streams"). The outbound stream sends
 * one message per cohort per message type per round; each send is one sample serving PAR-LAT-001 (its
 * latency), PAR-ERR-001 (its outcome, text), PAR-FEE-001 (its fee headers, text) and PAR-FEE-002 (every
 * message counts towards a free tier), and each text status callback one sample serving PAR-LAT-003 and
 * both fee checks (pricing). PAR-FEE-002 counts from a `probe-start` per cohort that the stream records
 * before its first send, with the messages the cohort had sent earlier in the run. The inbound stream has the
 * user driver write to every cohort's number and times the webhook (PAR-LAT-002). Each stream runs once
 * per run: the first selected check that needs it starts it, the others wait for the same run.
 */
import type { CheckContext } from '../../../src/engine/check.js';
import type { Slot } from '../../../src/engine/scheduler.js';
import type { HttpExchange } from '../../../src/http/types.js';
import type { ObservationInput } from '../../../src/core/types.js';
import type { WebhookEvent, WebhookHub } from '../../../src/webhook/hub.js';
import { graphErrorCode, messageId } from '../../../src/targets/whatsapp/graph-errors.js';
import { pickFeeHeaders, statusPricings } from '../../parity/fees/parse.js';
import { optionalHub } from '../../parity/fees/webhooks.js';
import { probeMessage } from '../probe-messages.js';
import {
  FEE_SIGNALS,
  FREE_TIER,
  INBOUND_EVENTS,
  INBOUND_KIND,
  SEND_KIND,
  SEND_LATENCY,
  STATUS_KIND,
  STATUS_LATENCY,
  STATUSES,
  PROBE_START_KIND,
  inboundPlan,
  outboundPlan,
  type PlanInput,
  type StreamPlan,
} from './plan.js';
import { runStream } from './run-stream.js';

/** Runs (once per run) the outbound stream and resolves when it has stopped. */
export function outboundStream(ctx: CheckContext): Promise<void> {
  return ctx.shared('stream:outbound', () => {
    const plan = outboundPlan(planInput(ctx));
    if (plan === null) return Promise.resolve();
    // The inbound stream goes through the user driver, not the cohorts' send limits: run it alongside.
    if (ctx.config.target.userDriver !== undefined && optionalHub(ctx) !== null)
      void inboundStream(ctx).catch(() => undefined); // its own check awaits it and records any error
    const perText = statusHub(ctx, plan) === null ? 1 : 1 + STATUSES.length;
    if (plan.metrics.includes(FREE_TIER)) recordProbeStart(ctx, plan);
    return runStream(ctx, plan, outboundSender(ctx, plan), (variant) => (variant === 'text' ? perText : 1));
  });
}

/**
 * Where PAR-FEE-002's count starts, per cohort: the messages it had accepted before the stream. A resumed
 * run records it again; the analysis reads the first.
 */
function recordProbeStart(ctx: CheckContext, plan: StreamPlan): void {
  for (const cohort of ctx.cohorts)
    ctx.record({
      check: FREE_TIER,
      cohort: cohort.id,
      kind: PROBE_START_KIND,
      data: { acceptedBefore: ctx.messagesAccepted(cohort.id), probeMessages: plan.feeRounds },
    });
}

/** Runs (once per run) the inbound stream and resolves when it has stopped. */
export function inboundStream(ctx: CheckContext): Promise<void> {
  return ctx.shared('stream:inbound', () => {
    const plan = inboundPlan(planInput(ctx));
    return plan === null ? Promise.resolve() : runStream(ctx, plan, (slot) => sendInbound(ctx, plan, slot));
  });
}

/** Whether this run's inbound stream delivers PAR-FEAT-002's text messages (so that check need not send its own). */
export function isInboundTextStreamed(ctx: CheckContext): boolean {
  return inboundPlan(planInput(ctx))?.metrics.includes(INBOUND_EVENTS) === true;
}

/** The plan's view of the run: a status stream only where webhooks can arrive. */
function planInput(ctx: CheckContext): PlanInput {
  return { ...ctx, hasWebhook: optionalHub(ctx) !== null };
}

/** How long to wait for a webhook: the run's request timeout, so a lost webhook costs no more than a lost response. */
function webhookWaitMs(ctx: CheckContext): number {
  return ctx.config.limits.timeoutMs;
}

function outboundSender(ctx: CheckContext, plan: StreamPlan) {
  // A reaction must point at a message; each cohort reacts to one it sent itself.
  const sentIds = new Map<string, string>();
  const statusMetrics = statusMetricsOf(plan);
  const hub = statusHub(ctx, plan);
  const feeHeaders = ctx.config.target.businessApi?.feeHeaders ?? [];
  return async (slot: Slot): Promise<ObservationInput[]> => {
    const type = slot.variant ?? 'text';
    const metrics = sendMetrics(plan, type);
    const body = probeMessage(type, `dma-audit stream ${slot.round}`, sentIds.get(slot.cohort) ?? null);
    const to = ctx.config.recipient?.waId ?? '';
    const exchange = await ctx
      .business(slot.cohort)
      .sendMessage(to, body, { check: metrics[0] ?? plan.metrics[0] ?? '', scheduledNs: slot.scheduledNs });
    const wamid = messageId(exchange.json);
    if (wamid !== null && !sentIds.has(slot.cohort)) sentIds.set(slot.cohort, wamid);
    const send: ObservationInput = {
      ...sampleHead(slot, metrics, SEND_KIND, type),
      sentNs: exchange.sentNs,
      latencyUs: exchange.latencyUs,
      outcome: exchange.outcome,
      exchanges: exchange.id === '' ? [] : [exchange.id],
      data: {
        status: exchange.status,
        errorCode: graphErrorCode(exchange.json),
        wamid,
        category: 'service',
        feeHeaders: pickFeeHeaders(exchange.headers, feeHeaders),
      },
    };
    if (type !== 'text' || hub === null) return [send];
    const statuses = await Promise.all(
      STATUSES.map((status) => statusSample(ctx, slot, exchange, wamid, status, statusMetrics)),
    );
    return [send, ...statuses];
  };
}

/** The checks a text send's status callbacks serve. */
function statusMetricsOf(plan: StreamPlan): string[] {
  return [STATUS_LATENCY, FEE_SIGNALS, FREE_TIER].filter((m) => plan.metrics.includes(m));
}

/** Where a text send's status callbacks arrive, or null when the stream records none. */
function statusHub(ctx: CheckContext, plan: StreamPlan): WebhookHub | null {
  return statusMetricsOf(plan).length > 0 ? optionalHub(ctx) : null;
}

/** The checks one send serves: PAR-LAT-001 for a timed type, PAR-FEE-002 for every type, PAR-ERR-001 and PAR-FEE-001 for text. */
function sendMetrics(plan: StreamPlan, type: string): string[] {
  return plan.metrics.filter((m) => {
    if (m === SEND_LATENCY) return plan.timedTypes.includes(type);
    if (m === FREE_TIER) return true;
    return type === 'text' && m !== STATUS_LATENCY;
  });
}

async function statusSample(
  ctx: CheckContext,
  slot: Slot,
  exchange: HttpExchange,
  wamid: string | null,
  status: string,
  metrics: string[],
): Promise<ObservationInput> {
  const event =
    exchange.outcome === 'ok' && wamid !== null
      ? await ctx
          .webhooks()
          .waitFor(
            (e) => e.kind === 'status' && e.status === status && e.messageId === wamid && e.cohort === slot.cohort,
            webhookWaitMs(ctx),
            wamid,
          )
      : undefined;
  const pricing =
    event === undefined ? [] : statusPricings(event.value).filter((p) => p.messageId === null || p.messageId === wamid);
  const sample = webhookSample(slot, metrics, STATUS_KIND, status, exchange, event);
  return {
    ...sample,
    // A status is timed from the send's response (when the harness learned the message id), so a slower
    // send (PAR-LAT-001's finding) is not counted again in every one of its callbacks.
    ...(event === undefined ? {} : { latencyUs: Math.max(1, (event.receivedNs - exchange.endNs) / 1000) }),
    data: {
      sinceScheduledUs: sample.latencyUs ?? null,
      wamid,
      status,
      pricing: pricing.map((p) => ({ ...p })),
      requestStatus: exchange.status,
      errorCode: graphErrorCode(exchange.json),
      isWebhookReceived: event !== undefined,
    },
  };
}

async function sendInbound(ctx: CheckContext, plan: StreamPlan, slot: Slot): Promise<ObservationInput[]> {
  const cohort = ctx.cohorts.find((c) => c.id === slot.cohort);
  const waId = ctx.config.recipient?.waId ?? '';
  const text = `dma-audit inbound stream ${slot.cohort} ${slot.round}`;
  const check = plan.metrics[0] ?? '';
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
  return [
    {
      ...webhookSample(slot, plan.metrics, INBOUND_KIND, 'inbound', exchange, event),
      data: {
        requestStatus: exchange.status,
        requestLatencyUs: exchange.latencyUs,
        errorCode: graphErrorCode(exchange.json),
        messageId: id,
        isWebhookReceived: event !== undefined,
      },
    },
  ];
}

function sampleHead(slot: Slot, metrics: string[], kind: string, variant: string) {
  return {
    check: metrics[0] ?? '',
    metrics,
    variant,
    cohort: slot.cohort,
    kind,
    round: slot.round,
    scheduledNs: slot.scheduledNs,
  };
}

/**
 * A webhook latency sample: from the *scheduled* time of the request that caused it to the webhook's
 * arrival, both on the run's monotonic clock, so neither the request's own response time nor a stall can hide.
 */
function webhookSample(
  slot: Slot,
  metrics: string[],
  kind: string,
  variant: string,
  exchange: HttpExchange,
  event: WebhookEvent | undefined,
): ObservationInput {
  const outcome = exchange.outcome !== 'ok' ? exchange.outcome : event === undefined ? 'timeout' : 'ok';
  return {
    ...sampleHead(slot, metrics, kind, variant),
    sentNs: exchange.sentNs,
    outcome,
    ...(event === undefined ? {} : { latencyUs: (event.receivedNs - slot.scheduledNs) / 1000 }),
    exchanges: [exchange.id, event?.exchangeId ?? ''].filter((id) => id !== ''),
  };
}

/** The text body of an inbound message event, when it has one. */
function bodyOf(event: WebhookEvent): string | null {
  const messages = (event.value as { messages?: Array<{ text?: { body?: unknown } }> } | null)?.messages;
  const body = messages?.[0]?.text?.body;
  return typeof body === 'string' ? body : null;
}

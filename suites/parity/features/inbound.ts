/**
 * PAR-FEAT-002: every inbound event type the reference's webhook receives, the subject's receives
 * too: user messages of each type (sent by the user driver) and the statuses of an outbound message.
 */
import { defineCheck, type AnalysisContext, type CheckContext } from '../../../src/engine/check.js';
import type { HttpExchange } from '../../../src/http/types.js';
import { observationWith, type Finding, type JsonObject, type Observation } from '../../../src/core/types.js';
import type { WebhookHub } from '../../../src/webhook/hub.js';
import { messageId } from '../../../src/targets/whatsapp/graph-errors.js';
import { DMA_6_7, EC_INTERIM, cloudApi } from '../../shared/references.js';
import { buildMatrix, missingFor, type Matrix } from './matrix.js';
import { exchangeIds, sendFacts } from '../../shared/send.js';
import { findingHead } from '../../shared/finding.js';
import { INBOUND_KIND } from '../../shared/stream/plan.js';
import { inboundStream, isInboundTextStreamed } from '../../shared/stream/streams.js';

const INBOUND = 'PAR-FEAT-002';
const EVENT = 'inbound-event';
const WAIT_MS = 3000;
const ATTEMPTS = 3;

/** Inbound user-message types and a minimal body for each (the user driver's message shape). */
export const INBOUND_TYPES: ReadonlyArray<{ type: string; body: Record<string, unknown> }> = [
  { type: 'text', body: { text: { body: 'dma-audit inbound probe' } } },
  { type: 'image', body: { image: { link: 'https://example.org/dma-audit/probe.png', caption: 'probe' } } },
  { type: 'location', body: { location: { latitude: 50.8436, longitude: 4.3826 } } },
  {
    type: 'contacts',
    body: { contacts: [{ name: { formatted_name: 'DMA Audit' }, phones: [{ phone: '+15550005678' }] }] },
  },
  { type: 'interactive', body: { interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } } } },
  { type: 'reaction', body: { reaction: { emoji: '\u{1F44D}' } } }, // message_id: the outbound probe's wamid
];

/** Status events checked for an outbound message. */
const STATUSES = ['sent', 'delivered'];

/** Sends one inbound type as the test user; a reaction names `reactTo`, the business's own probe message. */
function sendAsUser(
  ctx: CheckContext,
  cohort: { id: string; phoneNumberId?: string },
  item: (typeof INBOUND_TYPES)[number],
  reactTo: string | null,
): Promise<HttpExchange> {
  const waId = ctx.config.recipient?.waId ?? '';
  const body =
    item.type === 'reaction'
      ? { reaction: { ...(item.body.reaction as object), message_id: reactTo ?? '' } }
      : item.body;
  const message = item.type === 'text' ? 'dma-audit inbound probe' : { type: item.type, ...body };
  return ctx.userDriver().sendAsUser(waId, cohort.phoneNumberId ?? '', message, { check: INBOUND, cohort: cohort.id });
}

/** Records whether `predicate` matched an event within the wait, as one observation of `variant`. */
async function awaitEvent(
  ctx: CheckContext,
  hub: WebhookHub,
  cohort: string,
  variant: string,
  round: number,
  predicate: Parameters<WebhookHub['waitFor']>[0],
  about?: string,
): Promise<boolean> {
  const event = await hub.waitFor(predicate, WAIT_MS, about);
  ctx.record({
    check: INBOUND,
    cohort,
    variant,
    kind: EVENT,
    round,
    outcome: 'ok',
    exchanges: event === undefined ? [] : [event.exchangeId],
    data: { isDelivered: event !== undefined },
  });
  return event !== undefined;
}

async function probeCohort(
  ctx: CheckContext,
  hub: WebhookHub,
  cohort: (typeof ctx.cohorts)[number],
  types: typeof INBOUND_TYPES,
): Promise<void> {
  const since = hub.received();
  // The outbound message comes first: its statuses are checked, and the user's reaction names it.
  const exchange = await ctx
    .business(cohort.id)
    .sendMessage(
      ctx.config.recipient?.waId ?? '',
      { type: 'text', text: { body: 'dma-audit status probe' } },
      { check: INBOUND },
    );
  const wamid = messageId(exchange.json);
  const isNew = (event: { cohort: string | null; seq: number }): boolean =>
    event.seq >= since && event.cohort === cohort.id;
  let pending = [...types];
  for (let attempt = 1; attempt <= ATTEMPTS && pending.length > 0; attempt += 1) {
    const results = await Promise.all(
      pending.map(async (item) => {
        const exchange = await sendAsUser(ctx, cohort, item, wamid);
        ctx.record({
          check: INBOUND,
          cohort: cohort.id,
          variant: item.type,
          kind: 'user-message',
          round: attempt,
          outcome: exchange.outcome,
          exchanges: exchangeIds(exchange),
          data: sendFacts(exchange),
        });
        const sentId = (exchange.json as { id?: unknown } | undefined)?.id;
        const isDelivered = await awaitEvent(
          ctx,
          hub,
          cohort.id,
          `message:${item.type}`,
          attempt,
          (e) =>
            e.kind === 'message' &&
            e.cohort === cohort.id &&
            e.messageType === item.type &&
            (typeof sentId !== 'string' || e.messageId === sentId) &&
            isNew(e),
        );
        return { item, isDelivered };
      }),
    );
    pending = results.filter((r) => !r.isDelivered).map((r) => r.item);
    if (pending.length > 0) await ctx.scheduler.sleep(200);
  }
  await Promise.all(
    STATUSES.map((status) =>
      awaitEvent(
        ctx,
        hub,
        cohort.id,
        `status:${status}`,
        1,
        (e) => e.kind === 'status' && e.status === status && e.messageId === wamid,
        wamid ?? undefined,
      ),
    ),
  );
}

const inbound = defineCheck({
  id: INBOUND,
  title: 'Inbound event parity',
  suite: 'parity',
  description:
    'Every inbound event type (user messages of ' +
    'each type, message statuses) delivered ' +
    'to the gatekeeper’s own assistant is ' +
    'delivered to a third-party assistant too.',
  references: [DMA_6_7, EC_INTERIM, cloudApi('webhooks')],
  requires: ['businessApi', 'recipient', 'userDriver', 'webhook'],
  async run(ctx) {
    const hub = ctx.webhooks();
    // The inbound stream's user messages are text: where it runs, they are this check's text row.
    const isTextStreamed = isInboundTextStreamed(ctx);
    if (isTextStreamed) await inboundStream(ctx);
    const types = isTextStreamed ? INBOUND_TYPES.filter((t) => t.type !== 'text') : INBOUND_TYPES;
    await Promise.all(ctx.cohorts.map((cohort) => probeCohort(ctx, hub, cohort, types)));
  },
  analyse(recorded, ctx) {
    const observations = recorded.map(asInboundEvent);
    const matrix = buildMatrix(
      observations,
      EVENT,
      (o) => o.data?.isDelivered === true,
      () => 'not delivered',
    );
    return ctx.subjects.map((subject) => compareInbound(subject, matrix, observations, ctx));
  },
});

/** An inbound-stream sample (a text user message) as this check's `message:text` event; other observations as they are. */
function asInboundEvent(o: Observation): Observation {
  if (o.kind !== INBOUND_KIND || (o.round ?? -1) < 0) return o;
  const isDelivered = o.data?.isWebhookReceived === true;
  return observationWith(o, { kind: EVENT, variant: 'message:text', data: { isDelivered } });
}

function compareInbound(
  subject: { id: string; label: string },
  matrix: Matrix,
  observations: readonly Observation[],
  ctx: AnalysisContext,
): Finding {
  const missing = missingFor(matrix, ctx.reference.id, subject.id).map((m) => m.capability);
  const view = Object.fromEntries(
    Object.entries(matrix).map(([event, row]) => [
      event,
      {
        [ctx.reference.id]: row[ctx.reference.id] === 'ok' ? 'delivered' : 'missing',
        [subject.id]: row[subject.id] === 'ok' ? 'delivered' : 'missing',
      },
    ]),
  );
  const measurements: JsonObject = { matrix: view, missing };
  const evidence = observations
    .filter((o) => o.kind === EVENT && o.cohort === ctx.reference.id && missing.includes(o.variant ?? ''))
    .slice(0, 5)
    .flatMap((o) => o.exchanges ?? []);
  const head = {
    ...findingHead(inbound, subject.id, ctx.reference.id),
    measurements,
    evidence,
  };
  if (missing.length > 0)
    return {
      ...head,
      verdict: 'fail',
      summary: `${subject.label} does not receive ${missing.join(', ')} events, which ${ctx.reference.label} receives.`,
    };
  const delivered = Object.values(view).filter((row) => row[ctx.reference.id] === 'delivered').length;
  if (delivered === 0)
    return {
      ...head,
      verdict: 'inconclusive',
      summary: `No inbound event reached ${ctx.reference.label}'s webhook, so there is nothing to compare.`,
    };
  return {
    ...head,
    verdict: 'pass',
    summary: `${subject.label} receives every one of the ${delivered} inbound event types ${ctx.reference.label} receives.`,
  };
}

/** PAR-FEAT-002 (listed after PAR-FEAT-001 in the catalogue). */
export const inboundChecks = [inbound];

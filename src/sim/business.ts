/**
 * The Cloud API subset of the reference platform (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages):
 * `POST /{version}/{phone-number-id}/messages` (send, or mark as read with a typing indicator) and
 * `POST /{version}/{phone-number-id}` (webhook override). The scenario's per-role treatment is applied in the
 * order a real gateway would: auth, policy, throughput, validation, capability, recipient, window, then the
 * answer with the role's latency and fee.
 */
import { delayed, latencyMs, rejection } from './answer.js';
import type { AcceptedMessage, SimContext } from './context.js';
import { cohortByToken, SIM_USERS } from './cohorts.js';
import { graphError } from './graph-error.js';
import { configurePhoneNumber } from './phone-settings.js';
import { rateHeaders } from './rate-headers.js';
import { markRead } from './read-receipt.js';
import type { SimCohort, SimRequest, SimResponse, SimRoute, Treatment } from './types.js';
import { validateMessage } from './validate-message.js';

const PHONE_PATH = /^\/(v[0-9]+\.[0-9]+)\/([0-9]+)(\/messages)?\/?$/;

/** The route for the business API; mount it under the business base URL. */
export function createBusinessRoute(ctx: SimContext): SimRoute {
  return (request) => {
    const match = PHONE_PATH.exec(request.path);
    if (match === null || request.method !== 'POST') return undefined;
    const cohort = cohortByToken(ctx.cohorts, request.headers.authorization, 'token');
    if (cohort === undefined) return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    ctx.counter(cohort).requests += 1;
    const phoneNumberId = match[2] ?? '';
    if (cohort.phoneNumberId !== phoneNumberId) {
      return graphError(
        400,
        100,
        `Unsupported post request. Object with ` +
          `ID '${phoneNumberId}' does not exist, ` +
          `cannot be loaded due to missing permissions, ` +
          `or does not support this operation.`,
      );
    }
    const body = (request.json ?? {}) as Record<string, unknown>;
    if (match[3] === undefined) return configurePhoneNumber(ctx, cohort, body);
    return messages(ctx, cohort, body);
  };
}

function messages(ctx: SimContext, cohort: SimCohort, body: Record<string, unknown>): SimResponse {
  const counter = ctx.counter(cohort);
  const treatment = ctx.treatment(cohort);
  const isReadReceipt = body.status === 'read';
  const type = isReadReceipt ? 'mark_read' : typeof body.type === 'string' ? body.type : 'text';
  const policy = treatment.policyBlock;
  if (policy !== null && counter.accepted >= policy.afterMessages) {
    return delayed(
      ctx,
      treatment,
      type,
      graphError(400, policy.code, policy.message ?? 'Temporarily blocked for policies violations'),
    );
  }
  const take = counter.bucket?.take(ctx.nowMs());
  const limitHeaders = rateHeaders(cohort, treatment, take);
  if (take !== undefined && !take.isAllowed) {
    return graphError(429, 130429, 'Rate limit hit', 'Cloud API message throughput has been reached.', {
      ...limitHeaders,
      'retry-after': String(take.retryAfterSec),
    });
  }
  if (isReadReceipt) return markRead(ctx, cohort, body, limitHeaders);
  return send(ctx, cohort, treatment, body, type, limitHeaders);
}

function send(
  ctx: SimContext,
  cohort: SimCohort,
  treatment: Treatment,
  body: Record<string, unknown>,
  type: string,
  limitHeaders: Record<string, string>,
): SimResponse {
  const reject = (response: SimResponse): SimResponse => rejection(ctx, treatment, type, response, limitHeaders);
  const invalid = validateMessage(body);
  if (invalid !== null) return reject(graphError(400, 100, '(#100) Invalid parameter', invalid));
  const gated = treatment.disabledTypes.find(
    (d) => d.type === type || (d.type === 'context' && body.context !== undefined),
  );
  if (gated !== undefined)
    return reject(
      graphError(
        400,
        gated.code,
        gated.message ?? 'Message type not allowed',
        `${gated.type} is not available to this business`,
      ),
    );
  const to = String(body.to).replace(/^\+/, '');
  if (!SIM_USERS.includes(to))
    return reject(graphError(400, 131026, 'Message undeliverable', 'the recipient is not a WhatsApp user'));
  if (type !== 'template' && !ctx.isWindowOpen(cohort.phoneNumberId, to)) {
    return reject(
      graphError(
        400,
        131047,
        'Re-engagement message',
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      ),
    );
  }
  return accept(ctx, cohort, treatment, { to, type }, limitHeaders);
}

function accept(
  ctx: SimContext,
  cohort: SimCohort,
  treatment: Treatment,
  message: { to: string; type: string },
  limitHeaders: Record<string, string>,
): SimResponse {
  const counter = ctx.counter(cohort);
  counter.accepted += 1;
  const fees = treatment.fees;
  const isCharged =
    fees !== null && fees.perMessage > 0 && message.type !== 'template' && counter.accepted > fees.freeQuota;
  const category = message.type === 'template' ? 'marketing' : 'service';
  const responseDelayMs = latencyMs(ctx, treatment, message.type) + (ctx.extraDelayMs[cohort.role] ?? 0);
  const accepted: AcceptedMessage = {
    cohort,
    wamid: ctx.newWamid(),
    ...message,
    fee: isCharged ? (fees?.perMessage ?? 0) : 0,
    currency: fees?.currency ?? null,
    category,
    isBillable: isCharged && fees?.billable === true,
    conversationId: ctx.conversationId(cohort.phoneNumberId, message.to, category),
    responseDelayMs,
  };
  ctx.messages.set(accepted.wamid, accepted);
  ctx.events.emit('message-accepted', accepted);
  const headers = {
    ...limitHeaders,
    ...(isCharged && fees !== null
      ? { [fees.header]: fees.perMessage.toFixed(4), [`${fees.header}-currency`]: fees.currency }
      : {}),
  };
  return {
    status: 200,
    headers,
    json: {
      messaging_product: 'whatsapp',
      contacts: [{ input: message.to, wa_id: message.to }],
      messages: [{ id: accepted.wamid }],
    },
    delayMs: responseDelayMs,
  };
}

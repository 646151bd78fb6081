/**
 * The Cloud API subset of the reference platform: `POST /{version}/{phone-number-id}/messages`, with the
 * scenario's per-role treatment applied in the order a real gateway would: auth, policy, throughput,
 * validation, capability, then the answer with the role's latency and fee.
 */
import type { SimContext } from './context.js';
import { cohortByToken, SIM_USERS } from './cohorts.js';
import { sampleMs } from './distribution.js';
import { graphError } from './graph-error.js';
import { rateHeaders } from './rate-headers.js';
import type { SimCohort, SimRequest, SimResponse, SimRoute, Treatment } from './types.js';
import { validateMessage } from './validate-message.js';

const MESSAGES_PATH = /^\/(v[0-9]+\.[0-9]+)\/([0-9]+)\/messages$/;

/** The route for the business API; mount it under the business base URL. */
export function createBusinessRoute(ctx: SimContext): SimRoute {
  return (request) => {
    const match = MESSAGES_PATH.exec(request.path);
    if (match === null || request.method !== 'POST') return undefined;
    return sendMessage(ctx, request, match[2] ?? '');
  };
}

function sendMessage(ctx: SimContext, request: SimRequest, phoneNumberId: string): SimResponse {
  const cohort = cohortByToken(ctx.cohorts, request.headers.authorization, 'token');
  if (cohort === undefined) return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
  const counter = ctx.counter(cohort);
  counter.requests += 1;
  if (cohort.phoneNumberId !== phoneNumberId) {
    return graphError(400, 100, `Unsupported post request. Object with ID '${phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`);
  }
  const treatment = ctx.treatment(cohort);
  const policy = treatment.policyBlock;
  if (policy !== null && counter.accepted >= policy.afterMessages) {
    return delayed(ctx, treatment, 'text', graphError(400, policy.code, policy.message ?? 'Temporarily blocked for policies violations'));
  }
  const take = counter.bucket?.take(ctx.nowMs());
  const limitHeaders = rateHeaders(cohort, treatment, take);
  if (take !== undefined && !take.isAllowed) {
    return graphError(429, 130429, 'Rate limit hit', 'Cloud API message throughput has been reached.', { ...limitHeaders, 'retry-after': String(take.retryAfterSec) });
  }
  const body = (request.json ?? {}) as Record<string, unknown>;
  const type = typeof body.type === 'string' ? body.type : 'text';
  const invalid = validateMessage(body);
  if (invalid !== null) return withHeaders(graphError(400, 100, '(#100) Invalid parameter', invalid), limitHeaders);
  const disabled = treatment.disabledTypes.find((d) => d.type === type);
  if (disabled !== undefined) return delayed(ctx, treatment, type, withHeaders(graphError(400, disabled.code, disabled.message ?? 'Message type not allowed', `type ${type} is not available to this business`), limitHeaders));
  const to = String(body.to).replace(/^\+/, '');
  if (!SIM_USERS.includes(to)) return delayed(ctx, treatment, type, withHeaders(graphError(400, 131026, 'Message undeliverable', 'the recipient is not a WhatsApp user'), limitHeaders));
  return accept(ctx, cohort, treatment, { to, type }, limitHeaders);
}

function accept(ctx: SimContext, cohort: SimCohort, treatment: Treatment, message: { to: string; type: string }, limitHeaders: Record<string, string>): SimResponse {
  const counter = ctx.counter(cohort);
  counter.accepted += 1;
  const fees = treatment.fees;
  const isCharged = fees !== null && fees.perMessage > 0 && message.type !== 'template' && counter.accepted > fees.freeQuota;
  const fee = isCharged ? (fees?.perMessage ?? 0) : 0;
  const wamid = ctx.newWamid();
  const accepted = { cohort, wamid, ...message, fee, currency: fees?.currency ?? null, category: message.type === 'template' ? 'marketing' : 'service' };
  ctx.messages.set(wamid, accepted);
  ctx.events.emit('message-accepted', accepted);
  const headers = { ...limitHeaders, ...(isCharged && fees !== null ? { [fees.header]: fees.perMessage.toFixed(4), [`${fees.header}-currency`]: fees.currency } : {}) };
  return delayed(ctx, treatment, message.type, {
    status: 200,
    headers,
    json: { messaging_product: 'whatsapp', contacts: [{ input: message.to, wa_id: message.to }], messages: [{ id: wamid }] },
  });
}

function delayed(ctx: SimContext, treatment: Treatment, type: string, response: SimResponse): SimResponse {
  const distribution = treatment.latency.byType[type] ?? treatment.latency.default;
  return { ...response, delayMs: sampleMs(distribution, ctx.rng) };
}

function withHeaders(response: SimResponse, headers: Record<string, string>): SimResponse {
  return { ...response, headers: { ...headers, ...(response.headers ?? {}) } };
}

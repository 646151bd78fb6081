/**
 * The user driver: stands in for a human test user. `POST /_sim/v1/users/{waId}/messages` with
 * `{"to":"<phone-number-id>","type":"text","text":{"body":"…"}}` answers `{"id":"wamid.…"}` at once, opens
 * the user's 24-hour window with that number, and delivers the inbound-message webhook after the role's
 * `webhookDelay`.
 */
import { randomBytes } from 'node:crypto';
import type { Rng } from '../core/rng.js';
import { SIM_USERS } from './cohorts.js';
import type { SimContext } from './context.js';
import { sampleMs } from './distribution.js';
import type { SimRequest, SimResponse, SimRoute } from './types.js';
import { asObjectOrEncoded } from './validate-content.js';
import { envelope, inboundValue, type InboundMessage } from './webhook-payloads.js';

/** Message types a user can send to a business (each arrives with its own webhook `type`). */
export const INBOUND_TYPES = [
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  'interactive',
  'button',
] as const;

const USER_PATH = /^\/v1\/users\/([0-9]{5,20})\/messages$/;
const MEDIA = new Set(['image', 'audio', 'video', 'document', 'sticker']);
const MIME: Record<string, string> = {
  image: 'image/jpeg',
  audio: 'audio/ogg; codecs=opus',
  video: 'video/mp4',
  document: 'application/pdf',
  sticker: 'image/webp',
};

/** The route for the user driver; mount it under `/_sim`. */
export function createUserDriverRoute(ctx: SimContext): SimRoute {
  // A stream of its own, so inbound traffic never shifts the draws behind API latencies.
  const rng = ctx.rng.fork('user-driver');
  return (request) => {
    const match = USER_PATH.exec(request.path);
    if (match === null || request.method !== 'POST') return undefined;
    return sendAsUser(ctx, request, match[1] ?? '', rng);
  };
}

function sendAsUser(ctx: SimContext, request: SimRequest, from: string, rng: Rng): SimResponse {
  if (!SIM_USERS.includes(from))
    return problem(404, `user ${from} is not registered on this platform (known: ${SIM_USERS.join(', ')})`);
  const body = (request.json ?? {}) as Record<string, unknown>;
  const cohort = ctx.cohorts.find((c) => c.phoneNumberId === String(body.to));
  if (cohort === undefined)
    return problem(
      404,
      `to must be the phone number id of a business on this platform (known: ${ctx.cohorts.map((c) => c.phoneNumberId).join(', ')})`,
    );
  const type = typeof body.type === 'string' ? body.type : 'text';
  if (!(INBOUND_TYPES as readonly string[]).includes(type))
    return problem(400, `type must be one of ${INBOUND_TYPES.join(', ')}`);
  const content = asObjectOrEncoded(body[type]);
  if (content === null || typeof content !== 'object')
    return problem(400, `${type} object is required for type ${type}`);
  // A user reacts to a message the business sent them; the webhook then names it (Cloud API reaction payload).
  if (
    type === 'reaction' &&
    !isSentTo(ctx, (content as { message_id?: unknown }).message_id, from, cohort.phoneNumberId)
  ) {
    return problem(400, 'reaction.message_id must name a message this business sent to the user');
  }
  const message: InboundMessage = {
    from,
    id: ctx.newWamid(),
    type,
    content: withDefaults(type, content),
    ...(body.context === undefined ? {} : { context: body.context }),
  };
  ctx.received.set(message.id, { wamid: message.id, from, phoneNumberId: cohort.phoneNumberId });
  ctx.openWindow(cohort.phoneNumberId, from);
  const delayMs = sampleMs(ctx.treatment(cohort).webhookDelay, rng);
  // Delivered later on its own schedule: the user driver answers now, as the platform does.
  void ctx.webhooks.schedule(cohort.phoneNumberId, 'message', delayMs, () =>
    envelope(cohort, inboundValue(message, Math.floor(Date.now() / 1000))),
  );
  return { status: 200, json: { id: message.id } };
}

function isSentTo(ctx: SimContext, wamid: unknown, user: string, phoneNumberId: string): boolean {
  const sent = typeof wamid === 'string' ? ctx.messages.get(wamid) : undefined;
  return sent !== undefined && sent.to === user && sent.cohort.phoneNumberId === phoneNumberId;
}

/** Media arrives as an uploaded-media id with its type, as the Cloud API reports it. */
function withDefaults(type: string, content: object): unknown {
  if (!MEDIA.has(type)) return content;
  return {
    mime_type: MIME[type],
    sha256: randomBytes(32).toString('base64'),
    id: randomBytes(8).readBigUInt64BE().toString(),
    ...content,
  };
}

function problem(status: number, details: string): SimResponse {
  return { status, json: { error: { message: details, code: 100, type: 'SimUserDriverError' } } };
}

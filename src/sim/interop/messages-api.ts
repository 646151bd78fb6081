/**
 * `PUT /v1/messages/{destination}`, `GET /v1/messages`, `DELETE /v1/messages/uuid/{guid}`
 * (Signal-Server-shaped; docs/architecture.md, "Target surfaces").
 *
 * Under `tamperRelay` the relay flips one byte of the recipient's encrypted echo on its way back.
 * The sender then holds a reply that fails authentication when it decrypts it: "message corrupted
 * in transit", attributable to the relay (identity and signatures are intact), and observable from
 * the sender's side alone. Tampering with the inbound message instead would look, to the sender,
 * just like a substituted identity key (the device cannot decrypt), so the faults would blur.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from '../../e2ee/session.js';
import type { SimCohort, SimResponse } from '../types.js';
import { notFound } from './keys-api.js';
import type { DeviceReply } from './recipient-device.js';
import type { Envelope, InteropState } from './state.js';

/** Senders are single-device clients: the harness publishes and sends as device 1. */
const SENDER_DEVICE_ID = 1;
/** At most this many envelopes per `GET /v1/messages`; `more` says when others wait. */
const PAGE_SIZE = 100;

interface OutgoingEnvelope extends IncomingMessage {
  destinationDeviceId: number;
  destinationRegistrationId: number;
}

/** Relays the caller's messages: to the recipient's device (which answers), or to a cohort's queue. */
export async function putMessages(
  state: InteropState,
  cohort: SimCohort,
  destination: string,
  body: unknown,
): Promise<SimResponse> {
  const parsed = readSendBody(body);
  if (typeof parsed === 'string') return { status: 400, json: { code: 400, message: parsed } };
  const { messages, timestamp } = parsed;
  if (destination !== state.device.name) return relayToCohort(state, cohort, destination, messages, timestamp);
  const stale = checkDevices(messages, state.device.deviceId, state.device.registrationId);
  if (stale !== null) return stale;
  for (const message of messages) await deliverToDevice(state, cohort, message, timestamp);
  return { status: 200, json: { needsSync: false } };
}

async function deliverToDevice(
  state: InteropState,
  cohort: SimCohort,
  message: IncomingMessage,
  timestamp: number,
): Promise<void> {
  state.counters.messagesReceived.add(cohort.id);
  const result = await state.device.receive({ name: cohort.id, deviceId: SENDER_DEVICE_ID }, message, timestamp);
  state.counters[result.ok ? 'decrypted' : 'decryptFailures'].add(cohort.id);
  if (result.reply === null) return;
  const reply = result.ok && state.treatmentFor(cohort).e2ee.tamperRelay ? tamper(result.reply) : result.reply;
  if (reply !== result.reply) state.counters.repliesTampered.add(cohort.id);
  state.enqueue(cohort.id, envelope(reply, state.device.name, state.device.deviceId));
}

/** The reply with one byte in the middle of its ciphertext flipped. */
function tamper(reply: DeviceReply): DeviceReply {
  const bytes = Buffer.from(reply.content, 'base64');
  const index = Math.floor(bytes.length / 2);
  bytes[index] = (bytes[index] ?? 0) ^ 0x5a;
  return { ...reply, content: bytes.toString('base64') };
}

function relayToCohort(
  state: InteropState,
  sender: SimCohort,
  destination: string,
  messages: OutgoingEnvelope[],
  timestamp: number,
): SimResponse {
  const target = state.cohorts.find((cohort) => cohort.id === destination);
  if (target === undefined || !state.published.has(destination)) return notFound(`no account ${destination}`);
  const registrationId = state.published.get(destination)?.upload.registrationId ?? 0;
  const stale = checkDevices(messages, 1, registrationId);
  if (stale !== null) return stale;
  for (const message of messages)
    state.enqueue(destination, { ...envelope(message, sender.id, SENDER_DEVICE_ID), timestamp });
  return { status: 200, json: { needsSync: false } };
}

/** 409 when a message names a device that does not exist, 410 when its registration id is stale (as Signal-Server does). */
function checkDevices(messages: OutgoingEnvelope[], deviceId: number, registrationId: number): SimResponse | null {
  const extra = messages
    .filter((message) => message.destinationDeviceId !== deviceId)
    .map((message) => message.destinationDeviceId);
  if (extra.length > 0) return { status: 409, json: { missingDevices: [deviceId], extraDevices: extra } };
  const isStale = messages.some((message) => message.destinationRegistrationId !== registrationId);
  return isStale ? { status: 410, json: { staleDevices: [deviceId] } } : null;
}

function envelope(message: { type: number; content: string }, source: string, sourceDevice: number): Envelope {
  return {
    guid: randomUUID(),
    type: message.type,
    source,
    sourceDevice,
    content: message.content,
    timestamp: Date.now(),
  };
}

/** The caller's queued envelopes, oldest first; they stay until acknowledged. */
export function getMessages(state: InteropState, cohort: SimCohort): SimResponse {
  const queue = state.queues.get(cohort.id) ?? [];
  return { status: 200, json: { messages: queue.slice(0, PAGE_SIZE), more: queue.length > PAGE_SIZE } };
}

/** Acknowledges (removes) one envelope of the caller's queue. */
export function deleteMessage(state: InteropState, cohort: SimCohort, guid: string): SimResponse {
  const queue = state.queues.get(cohort.id) ?? [];
  const index = queue.findIndex((item) => item.guid === guid);
  if (index < 0) return notFound(`no message ${guid}`);
  queue.splice(index, 1);
  return { status: 204 };
}

/** The send body, or a message saying what is wrong with it. */
function readSendBody(body: unknown): { messages: OutgoingEnvelope[]; timestamp: number } | string {
  if (typeof body !== 'object' || body === null) return 'body must be a JSON object';
  const { messages, timestamp } = body as Record<string, unknown>;
  if (!Array.isArray(messages) || messages.length === 0) return 'messages must be a non-empty array';
  if (typeof timestamp !== 'number' || !Number.isInteger(timestamp)) return 'timestamp must be an integer';
  const bad = messages.findIndex((message: unknown) => !isOutgoing(message));
  if (bad >= 0) return `messages[${bad}] needs type 1|3, destinationDeviceId, destinationRegistrationId and content`;
  return { messages: messages as OutgoingEnvelope[], timestamp };
}

function isOutgoing(value: unknown): value is OutgoingEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as Record<string, unknown>;
  return (
    (fields['type'] === 1 || fields['type'] === 3) &&
    Number.isInteger(fields['destinationDeviceId']) &&
    Number.isInteger(fields['destinationRegistrationId']) &&
    typeof fields['content'] === 'string'
  );
}

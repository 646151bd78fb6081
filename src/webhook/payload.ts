/**
 * Reads a WhatsApp Business Account webhook body into events, one per message and per status
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components). Input is untrusted:
 * anything that is not the expected shape is skipped, never thrown on.
 */
import type { WebhookEvent } from './hub.js';

/** An event before the receiver adds timing, routing and signature. */
export type ParsedEvent = Pick<
  WebhookEvent,
  'phoneNumberId' | 'kind' | 'status' | 'messageId' | 'messageType' | 'value'
>;

type Dict = Record<string, unknown>;

const isDict = (value: unknown): value is Dict => value !== null && typeof value === 'object' && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Every `entry[].changes[].value` of a body, in order (non-objects skipped). */
export function changeValues(payload: unknown): Dict[] {
  if (!isDict(payload)) return [];
  return list(payload.entry)
    .filter(isDict)
    .flatMap((entry) => list(entry.changes).filter(isDict))
    .map((change) => change.value)
    .filter(isDict);
}

/** The phone number id a change value is addressed to, or null. */
export function phoneNumberIdOf(value: Dict): string | null {
  const metadata = value.metadata;
  if (!isDict(metadata)) return null;
  const id = metadata.phone_number_id;
  return typeof id === 'string' ? id : typeof id === 'number' ? String(id) : null;
}

/** One event per inbound message and per status; a value with neither is one `other` event. */
export function parseEvents(payload: unknown): ParsedEvent[] {
  return changeValues(payload).flatMap((value) => {
    const phoneNumberId = phoneNumberIdOf(value);
    const messages = list(value.messages)
      .filter(isDict)
      .map((m): ParsedEvent =>
        withDefined({ phoneNumberId, kind: 'message', messageId: text(m.id), messageType: text(m.type), value }),
      );
    const statuses = list(value.statuses)
      .filter(isDict)
      .map((s): ParsedEvent =>
        withDefined({ phoneNumberId, kind: 'status', status: text(s.status), messageId: text(s.id), value }),
      );
    const events = [...messages, ...statuses];
    return events.length > 0 ? events : [{ phoneNumberId, kind: 'other', value }];
  });
}

/** Drops undefined optional fields (exactOptionalPropertyTypes-friendly and JSON-clean). */
function withDefined(event: ParsedEvent): ParsedEvent {
  return Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined)) as ParsedEvent;
}

/**
 * The outbound capabilities PAR-FEAT-001 tries, each with a valid minimal Cloud API payload
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/messages): every message type (the same
 * bodies the latency probes send), interactive subtypes, replies with context, mark-as-read and the
 * typing indicator.
 */
import type { OutboundMessage } from '../../../src/targets/types.js';
import { LATENCY_TYPES, probeMessage } from '../../shared/probe-messages.js';

/** One capability: a message to send, or a read receipt (with or without the typing indicator). */
export type Capability =
  | { id: string; kind: 'message'; message(targetId: string): OutboundMessage }
  | { id: string; kind: 'read'; isTyping: boolean };

const NOTE = 'dma-audit capability probe';
const interactive = (payload: Record<string, unknown>): OutboundMessage => ({
  type: 'interactive',
  interactive: { body: { text: NOTE }, ...payload },
});
const plain = (type: string): Capability => ({
  id: type,
  kind: 'message',
  message: (target) => probeMessage(type, NOTE, target),
});

/** Every capability, in the order they are tried ("text" first: its message id is the fallback target). */
export const CAPABILITIES: readonly Capability[] = [
  ...LATENCY_TYPES.filter((type) => type !== 'reaction' && type !== 'template').map(plain),
  {
    id: 'interactive.list',
    kind: 'message',
    message: () =>
      interactive({
        type: 'list',
        action: { button: 'Options', sections: [{ title: 'Probe', rows: [{ id: 'row-1', title: 'Row 1' }] }] },
      }),
  },
  {
    id: 'interactive.cta_url',
    kind: 'message',
    message: () =>
      interactive({
        type: 'cta_url',
        action: { name: 'cta_url', parameters: { display_text: 'Open', url: 'https://example.org/' } },
      }),
  },
  plain('reaction'),
  plain('template'),
  {
    id: 'context',
    kind: 'message',
    message: (target) => ({ type: 'text', text: { body: 'dma-audit reply probe' }, context: { message_id: target } }),
  },
  { id: 'mark_read', kind: 'read', isTyping: false },
  { id: 'typing_indicator', kind: 'read', isTyping: true },
];

/** The message type or capability name a capability id belongs to ("interactive.list" → "interactive"). */
export function baseType(id: string): string {
  return id.split('.')[0] ?? id;
}

/** The subtype a capability id stands for ("interactive.list" → "list"; plain "interactive" is the button message). */
export function subtype(id: string): string {
  return id.split('.')[1] ?? (id === 'interactive' ? 'button' : id);
}

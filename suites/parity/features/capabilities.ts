/**
 * The outbound capabilities PAR-FEAT-001 tries, each with a valid minimal Cloud API payload
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/messages): every message type of
 * DESIGN.md, interactive subtypes, replies with context, mark-as-read and the typing indicator.
 */
import type { OutboundMessage } from '../../../src/targets/types.js';

/** One capability: a message to send, or a read receipt (with or without the typing indicator). */
export type Capability =
  | { id: string; kind: 'message'; message(targetId: string): OutboundMessage }
  | { id: string; kind: 'read'; isTyping: boolean };

const MEDIA = 'https://example.org/dma-audit/probe';
const text = (body: string): OutboundMessage => ({ type: 'text', text: { body } });
const interactive = (payload: Record<string, unknown>): OutboundMessage => ({
  type: 'interactive',
  interactive: { body: { text: 'dma-audit capability probe' }, ...payload },
});

/** Every capability, in the order they are tried ("text" first: its message id is the fallback target). */
export const CAPABILITIES: readonly Capability[] = [
  { id: 'text', kind: 'message', message: () => text('dma-audit capability probe') },
  {
    id: 'image',
    kind: 'message',
    message: () => ({ type: 'image', image: { link: `${MEDIA}.png`, caption: 'probe' } }),
  },
  {
    id: 'document',
    kind: 'message',
    message: () => ({ type: 'document', document: { link: `${MEDIA}.pdf`, filename: 'probe.pdf' } }),
  },
  { id: 'audio', kind: 'message', message: () => ({ type: 'audio', audio: { link: `${MEDIA}.ogg` } }) },
  { id: 'video', kind: 'message', message: () => ({ type: 'video', video: { link: `${MEDIA}.mp4` } }) },
  { id: 'sticker', kind: 'message', message: () => ({ type: 'sticker', sticker: { link: `${MEDIA}.webp` } }) },
  {
    id: 'location',
    kind: 'message',
    message: () => ({
      type: 'location',
      location: { latitude: 50.8436, longitude: 4.3826, name: 'Berlaymont', address: 'Rue de la Loi 200, Brussels' },
    }),
  },
  {
    id: 'contacts',
    kind: 'message',
    message: () => ({
      type: 'contacts',
      contacts: [
        { name: { formatted_name: 'DMA Audit', first_name: 'DMA' }, phones: [{ phone: '+15550001234', type: 'WORK' }] },
      ],
    }),
  },
  {
    id: 'interactive',
    kind: 'message',
    message: () =>
      interactive({ type: 'button', action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }] } }),
  },
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
  {
    id: 'reaction',
    kind: 'message',
    message: (target) => ({ type: 'reaction', reaction: { message_id: target, emoji: '\u{1F44D}' } }),
  },
  {
    id: 'template',
    kind: 'message',
    message: () => ({ type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } }),
  },
  {
    id: 'context',
    kind: 'message',
    message: (target) => ({ ...text('dma-audit reply probe'), context: { message_id: target } }),
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

/**
 * Minimal valid outbound messages, one per Cloud API message type, for the latency probes and the
 * capability probes (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages).
 * Media are sent by `link`, which the API accepts without an upload; the template is the sample
 * every account has.
 */
import type { OutboundMessage } from '../../src/targets/types.js';
import { MESSAGE_TYPES, type MessageType } from '../../src/targets/whatsapp/message-types.js';

/** Every message type PAR-LAT-001 times: all the Cloud API has, text first. */
export const LATENCY_TYPES = MESSAGE_TYPES;

export type LatencyType = MessageType;

const MEDIA_BASE = 'https://www.example.com/dma-audit';

/**
 * A minimal valid body of `type` carrying `note` as its text or caption; `replyTo` is a wamid the
 * reaction points at (one the cohort sent itself).
 */
export function probeMessage(type: string, note: string, replyTo: string | null): OutboundMessage {
  switch (type) {
    case 'image':
      return { type, image: { link: `${MEDIA_BASE}/probe.jpg`, caption: note } };
    case 'document':
      return { type, document: { link: `${MEDIA_BASE}/probe.pdf`, filename: 'probe.pdf', caption: note } };
    case 'audio':
      return { type, audio: { link: `${MEDIA_BASE}/probe.ogg` } };
    case 'video':
      return { type, video: { link: `${MEDIA_BASE}/probe.mp4`, caption: note } };
    case 'sticker':
      return { type, sticker: { link: `${MEDIA_BASE}/probe.webp` } };
    case 'location':
      return {
        type,
        location: { latitude: 50.8466, longitude: 4.3528, name: 'Berlaymont', address: 'Rue de la Loi 200, Brussels' },
      };
    case 'contacts':
      return {
        type,
        contacts: [
          {
            name: { formatted_name: 'DMA Audit', first_name: 'DMA' },
            phones: [{ phone: '+15550009999', type: 'WORK' }],
          },
        ],
      };
    case 'interactive':
      return {
        type,
        interactive: {
          type: 'button',
          body: { text: note },
          action: { buttons: [{ type: 'reply', reply: { id: 'probe', title: 'OK' } }] },
        },
      };
    case 'reaction':
      return { type, reaction: { message_id: replyTo ?? 'wamid.dma-audit-probe', emoji: '\u{1F44D}' } };
    case 'template':
      return { type, template: { name: 'hello_world', language: { code: 'en_US' } } };
    default:
      return { type: 'text', text: { body: note } };
  }
}

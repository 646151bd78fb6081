/** The outbound message types of the Cloud API (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages), text first. */
export const MESSAGE_TYPES = [
  'text',
  'image',
  'document',
  'audio',
  'video',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'reaction',
  'template',
] as const;

/** One outbound message type. */
export type MessageType = (typeof MESSAGE_TYPES)[number];

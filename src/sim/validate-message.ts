/** Validates an outbound message body like the Cloud API does; returns the bad-parameter details or null. */

/** Every outbound message type the platform knows. */
export const MESSAGE_TYPES = ['text', 'image', 'document', 'audio', 'video', 'sticker', 'location', 'contacts', 'interactive', 'reaction', 'template'] as const;

/** Details for error 100 when the body is invalid, else null. */
export function validateMessage(body: Record<string, unknown>): string | null {
  if (body.messaging_product !== 'whatsapp') return 'messaging_product must be "whatsapp"';
  if (typeof body.to !== 'string' || !/^\+?[0-9]{5,20}$/.test(body.to)) return 'to must be a phone number';
  const type = body.type ?? 'text';
  if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type)) return `(#100) Invalid parameter: type ${JSON.stringify(type)} is not supported`;
  const content = body[type];
  if (content === null || typeof content !== 'object') return `${type} object is required for type ${type}`;
  if (type === 'text') {
    const text = (content as { body?: unknown }).body;
    if (typeof text !== 'string' || text.length === 0 || text.length > 4096) return 'text.body must be a string of 1 to 4096 characters';
  }
  return null;
}

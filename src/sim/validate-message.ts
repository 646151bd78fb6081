/** Validates an outbound message body like the Cloud API does; returns the bad-parameter details or null. */
import { MESSAGE_TYPES } from '../targets/whatsapp/message-types.js';
import { asObjectOrEncoded, validateContent } from './validate-content.js';

/** Details for error 100 when the body is invalid, else null. */
export function validateMessage(body: Record<string, unknown>): string | null {
  if (body.messaging_product !== 'whatsapp') return 'messaging_product must be "whatsapp"';
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual')
    return 'recipient_type must be "individual"';
  if (typeof body.to !== 'string' || !/^\+?[0-9]{5,20}$/.test(body.to)) return 'to must be a phone number';
  const type = body.type ?? 'text';
  if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type))
    return `type ${JSON.stringify(type)} is not a supported message type`;
  const content = asObjectOrEncoded(body[type]);
  if (type === 'contacts') return contactsProblem(content);
  if (content === null || typeof content !== 'object' || Array.isArray(content))
    return `${type} object is required for type ${type}`;
  const context = body.context as { message_id?: unknown } | undefined;
  if (
    context !== undefined &&
    (typeof context !== 'object' || context === null || typeof context.message_id !== 'string')
  )
    return 'context.message_id must be a string';
  return validateContent(type, content as Record<string, unknown>);
}

/** A mark-as-read body (`status: "read"`); details for error 100 when invalid, else null. */
export function validateReadReceipt(body: Record<string, unknown>): string | null {
  if (body.messaging_product !== 'whatsapp') return 'messaging_product must be "whatsapp"';
  if (body.status !== 'read') return 'status must be "read"';
  if (typeof body.message_id !== 'string' || !body.message_id.startsWith('wamid.')) return 'message_id must be a wamid';
  const indicator = body.typing_indicator as { type?: unknown } | undefined;
  if (indicator !== undefined && (typeof indicator !== 'object' || indicator === null || indicator.type !== 'text'))
    return 'typing_indicator.type must be "text"';
  return null;
}

function contactsProblem(content: unknown): string | null {
  if (!Array.isArray(content) || content.length === 0) return 'contacts must be a non-empty array';
  const bad = content.findIndex(
    (contact: unknown) =>
      typeof (contact as { name?: { formatted_name?: unknown } } | null)?.name?.formatted_name !== 'string',
  );
  return bad === -1 ? null : `contacts[${bad}].name.formatted_name is required`;
}

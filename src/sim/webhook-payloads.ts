/**
 * Webhook bodies in the Cloud API's shape (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components):
 * the `whatsapp_business_account` envelope, inbound `messages[]` and `statuses[]` with per-message pricing (PMP).
 */
import type { AcceptedMessage } from './context.js';
import type { SimCohort } from './types.js';

export type MessageStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** The PMP pricing object a status carries. */
export interface Pricing {
  billable: boolean;
  pricing_model: 'PMP';
  type: 'regular' | 'free_customer_service' | 'free_entry_point';
  category: 'service' | 'marketing' | 'utility' | 'authentication';
}

/** The business account a cohort's number belongs to (stable, derived from the phone number id). */
export function wabaId(cohort: SimCohort): string {
  return `10${cohort.phoneNumberId.padStart(8, '0')}`;
}

/** The number customers see for a cohort's phone number id. */
export function displayPhoneNumber(cohort: SimCohort): string {
  return `1555000${cohort.phoneNumberId.padStart(4, '0')}`;
}

/** `{object, entry:[{id, changes:[{field:"messages", value}]}]}` around one change value. */
export function envelope(cohort: SimCohort, value: Record<string, unknown>): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: wabaId(cohort),
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: displayPhoneNumber(cohort), phone_number_id: cohort.phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** An inbound user message as the change value carries it. */
export interface InboundMessage {
  from: string;
  id: string;
  type: string;
  /** The type's own object (text, image, location, reaction, interactive, …). */
  content: unknown;
  context?: unknown;
}

/** The change value for a message a user sent to the business. */
export function inboundValue(message: InboundMessage, nowSec: number): Record<string, unknown> {
  return {
    contacts: [{ profile: { name: `Test user ${message.from.slice(-4)}` }, wa_id: message.from }],
    messages: [
      {
        from: message.from,
        id: message.id,
        timestamp: String(nowSec),
        type: message.type,
        ...(message.context === undefined ? {} : { context: message.context }),
        [message.type]: message.content,
      },
    ],
  };
}

/**
 * Pricing for an accepted outbound message: a charged message is billable regular traffic (when the role's fee
 * is marked billable); service messages inside the window are free; templates are billed by their category.
 */
export function pricingFor(message: AcceptedMessage): Pricing {
  const category = message.category as Pricing['category'];
  if (message.fee > 0 && message.isBillable) return { billable: true, pricing_model: 'PMP', type: 'regular', category };
  if (message.type === 'template') return { billable: true, pricing_model: 'PMP', type: 'regular', category };
  return { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category };
}

/** The change value for one status of an outbound message. */
export function statusValue(message: AcceptedMessage, status: MessageStatus, nowSec: number): Record<string, unknown> {
  const pricing = pricingFor(message);
  return {
    statuses: [
      {
        id: message.wamid,
        status,
        timestamp: String(nowSec),
        recipient_id: message.to,
        conversation: { id: message.conversationId, origin: { type: pricing.category } },
        pricing,
      },
    ],
  };
}

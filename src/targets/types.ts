/** The surfaces a target exposes, as the checks see them (docs/architecture.md, "Target surfaces"). */
import type { HttpExchange } from '../http/types.js';

/** Options every adapter call takes: which check is asking and when the request is due. */
export interface CallOptions {
  check: string;
  scheduledNs?: number;
}

/** A Cloud API message body without `messaging_product` and `to` (the adapter adds them). */
export type OutboundMessage = { type: string } & Record<string, unknown>;

/** The WhatsApp Cloud API subset, bound to one cohort's token and phone number. */
export interface BusinessApi {
  readonly cohort: string;
  readonly phoneNumberId: string;
  sendMessage(to: string, message: OutboundMessage, options: CallOptions): Promise<HttpExchange>;
  markRead(messageId: string, options: CallOptions & { typing?: boolean }): Promise<HttpExchange>;
  overrideWebhook(callbackUrl: string, verifyToken: string, options: CallOptions): Promise<HttpExchange>;
}

/** Stands in for a human user who messages the assistants. */
export interface UserDriver {
  /** A string is sent as a text message; an object is any inbound message body (`{type, image: {...}}`). */
  sendAsUser(
    waId: string,
    toPhoneNumberId: string,
    message: string | OutboundMessage,
    options: CallOptions & { cohort: string },
  ): Promise<HttpExchange>;
}

/** Signal-Server-shaped key and message API, bound to one cohort's interop token. */
export interface InteropApi {
  readonly cohort: string;
  putKeys(body: unknown, options: CallOptions): Promise<HttpExchange>;
  getKeys(identifier: string, deviceId: string, options: CallOptions): Promise<HttpExchange>;
  putMessages(destination: string, body: unknown, options: CallOptions): Promise<HttpExchange>;
  getMessages(options: CallOptions): Promise<HttpExchange>;
  ackMessage(guid: string, options: CallOptions): Promise<HttpExchange>;
}

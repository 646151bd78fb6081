/**
 * The business API adapter for the WhatsApp Cloud API (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages),
 * bound to one cohort's token and phone number. It shapes requests; the HttpClient records and budgets them.
 */
import type { BusinessApiConfig } from '../../config/types.js';
import type { HttpClient } from '../../http/client.js';
import type { HttpExchange } from '../../http/types.js';
import { withBackoff, type BackoffPolicy } from './graph-errors.js';
import type { BusinessApi, CallOptions, OutboundMessage } from '../types.js';

export interface WhatsAppCloudOptions {
  http: HttpClient;
  api: BusinessApiConfig;
  cohort: string;
  token: string;
  phoneNumberId: string;
  /** Retry policy for calls that are not measurements (the webhook override); sends are never retried here. */
  backoff?: BackoffPolicy;
  /** Stops a backoff wait early (end of run). */
  signal?: AbortSignal;
}

/** Creates the adapter for one cohort. */
export function createWhatsAppCloud(options: WhatsAppCloudOptions): BusinessApi {
  const { http, api, cohort, token, phoneNumberId } = options;
  const root = `${api.baseUrl.replace(/\/+$/, '')}/${api.apiVersion}/${phoneNumberId}`;
  const post = (
    path: string,
    json: unknown,
    call: CallOptions,
    expect: (body: unknown) => boolean = isGraphSuccess,
  ): Promise<HttpExchange> =>
    http.request({
      expect,
      method: 'POST',
      url: `${root}${path}`,
      headers: { authorization: `Bearer ${token}` },
      json,
      cohort,
      check: call.check,
      timeoutMs: api.timeoutMs,
      ...(call.scheduledNs === undefined ? {} : { scheduledNs: call.scheduledNs }),
    });
  return {
    cohort,
    phoneNumberId,
    sendMessage: (to, message, call) =>
      post(
        '/messages',
        { messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message },
        call,
        isSendSuccess,
      ),
    markRead: (messageId, call) =>
      post(
        '/messages',
        {
          messaging_product: 'whatsapp',
          status: 'read',
          message_id: messageId,
          ...(call.typing === true ? { typing_indicator: { type: 'text' } } : {}),
        },
        call,
      ),
    overrideWebhook: async (callbackUrl, verifyToken, call) => {
      const body = { webhook_configuration: { override_callback_uri: callbackUrl, verify_token: verifyToken } };
      const attempts = await withBackoff(() => post('', body, call), {
        ...(options.backoff === undefined ? {} : { policy: options.backoff }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      return attempts[attempts.length - 1] as HttpExchange;
    },
  };
}

/** A send succeeded only when the body names the message: `messages[0].id` is a non-empty string. */
export function isSendSuccess(body: unknown): boolean {
  const messages = (body as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages)) return false;
  const id = (messages[0] as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id.trim() !== '';
}

/** Other Graph calls (mark read, webhook override) succeed with `{"success": true}`. */
export function isGraphSuccess(body: unknown): boolean {
  return (body as { success?: unknown } | null)?.success === true;
}

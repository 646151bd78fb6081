/** Graph API error responses as the Cloud API sends them (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). */
import { randomBytes } from 'node:crypto';
import type { SimResponse } from './types.js';

/** A Graph error body `{error:{message,type,code,error_data:{details},fbtrace_id}}` with its HTTP status. */
export function graphError(
  status: number,
  code: number,
  message: string,
  details?: string,
  headers?: Record<string, string>,
): SimResponse {
  return {
    status,
    ...(headers === undefined ? {} : { headers }),
    json: {
      error: {
        message,
        // The Cloud API types every error this platform sends (auth, rate, parameter, policy) as OAuthException.
        type: 'OAuthException',
        code,
        ...(details === undefined ? {} : { error_data: { messaging_product: 'whatsapp', details } }),
        fbtrace_id: randomBytes(9).toString('base64url'),
      },
    },
  };
}

/** The user driver: asks the platform to deliver a message from a test user to an assistant's number. */
import type { UserDriverConfig } from '../config/types.js';
import type { HttpClient } from '../http/client.js';
import type { UserDriver } from './types.js';

/** Creates the driver (it carries no credentials of its own). */
export function createUserDriver(options: { http: HttpClient; driver: UserDriverConfig }): UserDriver {
  const root = options.driver.baseUrl.replace(/\/+$/, '');
  return {
    sendAsUser: (waId, toPhoneNumberId, message, call) =>
      options.http.request({
        method: 'POST',
        url: `${root}/_sim/v1/users/${encodeURIComponent(waId)}/messages`,
        json: {
          to: toPhoneNumberId,
          ...(typeof message === 'string' ? { type: 'text', text: { body: message } } : message),
        },
        cohort: call.cohort,
        check: call.check,
        expect: isUserMessageAccepted,
        ...(call.scheduledNs === undefined ? {} : { scheduledNs: call.scheduledNs }),
      }),
  };
}

/** The driver accepted the message only when it names it: `{"id": "wamid.…"}`. */
export function isUserMessageAccepted(body: unknown): boolean {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.trim() !== '';
}

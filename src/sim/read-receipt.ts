/**
 * Mark as read, with an optional typing indicator (https://developers.facebook.com/docs/whatsapp/cloud-api/typing-indicators):
 * `{"messaging_product":"whatsapp","status":"read","message_id":…,"typing_indicator":{"type":"text"}}` → `{"success":true}`.
 * The message must be one a user sent to this number; `mark_read` and `typing_indicator` can be disabled per role.
 */
import { latencyMs, rejection } from './answer.js';
import type { SimContext } from './context.js';
import { graphError } from './graph-error.js';
import type { SimCohort, SimResponse } from './types.js';
import { validateReadReceipt } from './validate-message.js';

/** Answers a read receipt after the role's `mark_read` latency. */
export function markRead(
  ctx: SimContext,
  cohort: SimCohort,
  body: Record<string, unknown>,
  limitHeaders: Record<string, string>,
): SimResponse {
  const treatment = ctx.treatment(cohort);
  const reject = (response: SimResponse): SimResponse => rejection(ctx, treatment, 'mark_read', response, limitHeaders);
  const invalid = validateReadReceipt(body);
  if (invalid !== null) return reject(graphError(400, 100, '(#100) Invalid parameter', invalid));
  const wanted = body.typing_indicator === undefined ? ['mark_read'] : ['mark_read', 'typing_indicator'];
  const gated = treatment.disabledTypes.find((d) => wanted.includes(d.type));
  if (gated !== undefined)
    return reject(
      graphError(
        400,
        gated.code,
        gated.message ?? 'Capability not allowed',
        `${gated.type} is not available to this business`,
      ),
    );
  const received = ctx.received.get(String(body.message_id));
  if (received === undefined || received.phoneNumberId !== cohort.phoneNumberId) {
    return reject(
      graphError(
        400,
        100,
        '(#100) Invalid parameter',
        `message_id ${String(body.message_id)} is not a message this phone number received`,
      ),
    );
  }
  return {
    status: 200,
    headers: limitHeaders,
    json: { success: true },
    delayMs: latencyMs(ctx, treatment, 'mark_read'),
  };
}

/**
 * Status webhooks as a fee signal: when the run has a webhook receiver (the engine points every
 * cohort's number at it), the outbound stream records the `pricing` of every status about its text
 * messages (docs/architecture.md, "Target surfaces"). Without a receiver the fee checks rely on fee
 * headers alone.
 */
import type { CheckContext } from '../../../src/engine/check.js';
import type { WebhookHub } from '../../../src/webhook/hub.js';

/** The run's webhook receiver, or null when the config has none. */
export function optionalHub(ctx: CheckContext): WebhookHub | null {
  if (ctx.config.webhook?.appSecret === undefined || ctx.config.webhook.verifyToken === undefined) return null;
  try {
    return ctx.webhooks();
  } catch {
    return null;
  }
}

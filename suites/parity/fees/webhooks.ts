/**
 * Status webhooks as a fee signal: when the run has a webhook receiver (the engine points every
 * cohort's number at it), the `pricing` of every status about the messages a check sent is recorded
 * (docs/architecture.md, "Target surfaces"). Without a receiver the fee checks rely on fee headers alone.
 */
import type { CheckContext } from '../../../src/engine/check.js';
import type { WebhookEvent, WebhookHub } from '../../../src/webhook/hub.js';
import type { JsonObject } from '../../../src/core/types.js';
import { statusPricings } from './parse.js';

/** The run's webhook receiver, or null when the config has none. */
export function optionalHub(ctx: CheckContext): WebhookHub | null {
  if (ctx.config.webhook?.appSecret === undefined || ctx.config.webhook.verifyToken === undefined) return null;
  try {
    return ctx.webhooks();
  } catch {
    return null;
  }
}

/**
 * Waits up to `timeoutMs` for a priced status of every sent message, then records each status event
 * about them as a `status` observation (cohort, wamid, status, pricing[]).
 */
export async function recordStatusPricing(
  ctx: CheckContext,
  hub: WebhookHub,
  check: string,
  sent: ReadonlyMap<string, string>,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const about = (): WebhookEvent[] => [...sent.keys()].flatMap((wamid) => [...hub.eventsAbout(wamid)]);
  const priced = (): Set<string> =>
    new Set(
      about()
        .filter((e) => e.kind === 'status' && statusPricings(e.value).length > 0)
        .map((e) => e.messageId as string),
    );
  while (priced().size < sent.size && performance.now() < deadline && !ctx.signal.aborted)
    await ctx.scheduler.sleep(100);
  for (const event of about().sort((a, b) => a.seq - b.seq)) {
    if (event.kind !== 'status' || event.messageId === undefined) continue;
    const pricing = statusPricings(event.value)
      .filter((p) => p.messageId === null || p.messageId === event.messageId)
      .map((p) => ({ ...p }) as JsonObject);
    ctx.record({
      check,
      cohort: sent.get(event.messageId) ?? event.cohort ?? '*',
      kind: 'status',
      exchanges: [event.exchangeId],
      data: { wamid: event.messageId, status: event.status ?? null, pricing },
    });
  }
}

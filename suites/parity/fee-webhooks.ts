/**
 * Status webhooks as a fee signal: when the run has a webhook receiver, each cohort's number is
 * pointed at it once, and the `pricing` of every status about the messages a check sent is recorded
 * (DESIGN.md, "Webhooks"). Without a receiver the fee checks rely on fee headers alone.
 */
import type { CheckContext } from '../../src/engine/check.js';
import type { WebhookHub } from '../../src/webhook/hub.js';
import type { JsonObject } from '../../src/types.js';
import { statusPricings } from '../lib/fees.js';
import { abortableDelay } from './rl-pace.js';

const routed = new WeakMap<WebhookHub, Set<string>>();

/** The run's webhook receiver, or null when the config has none. */
export function optionalHub(ctx: CheckContext): WebhookHub | null {
  if (ctx.config.webhook?.appSecret === undefined || ctx.config.webhook.verifyToken === undefined) return null;
  try {
    return ctx.webhooks();
  } catch {
    return null;
  }
}

/** Points every cohort's webhooks at the receiver (once per receiver and cohort). */
export async function routeWebhooks(ctx: CheckContext, hub: WebhookHub, check: string): Promise<void> {
  const done = routed.get(hub) ?? new Set<string>();
  routed.set(hub, done);
  for (const cohort of ctx.cohorts) {
    if (done.has(cohort.id)) continue;
    done.add(cohort.id);
    await ctx.business(cohort.id).overrideWebhook(hub.callbackUrl, ctx.config.webhook?.verifyToken ?? '', { check });
  }
}

/**
 * Waits up to `timeoutMs` for a priced status of every sent message, then records each status event
 * about them as a `status` observation (cohort, wamid, status, pricing[]).
 */
export async function recordStatusPricing(ctx: CheckContext, hub: WebhookHub, check: string, sent: ReadonlyMap<string, string>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const priced = (): Set<string> => new Set(hub.events().filter((e) => e.kind === 'status' && e.messageId !== undefined && sent.has(e.messageId) && statusPricings(e.value).length > 0).map((e) => e.messageId as string));
  while (priced().size < sent.size && performance.now() < deadline && !ctx.signal.aborted) await abortableDelay(100, ctx.signal);
  for (const event of hub.events()) {
    if (event.kind !== 'status' || event.messageId === undefined || !sent.has(event.messageId)) continue;
    const pricing = statusPricings(event.value).map((p) => ({ ...p }) as JsonObject);
    ctx.record({ check, cohort: sent.get(event.messageId) ?? event.cohort ?? '*', kind: 'status', exchanges: [event.exchangeId], data: { wamid: event.messageId, status: event.status ?? null, pricing } });
  }
}

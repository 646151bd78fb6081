/**
 * Status webhooks for every accepted outbound message: sent, delivered and read, each after a fresh draw
 * from the role's `statusDelay`, cumulative from the moment the API answered.
 */
import type { AcceptedMessage, SimContext } from './context.js';
import { sampleMs } from './distribution.js';
import { envelope, statusValue, type MessageStatus } from './webhook-payloads.js';

const LIFECYCLE: readonly MessageStatus[] = ['sent', 'delivered', 'read'];

/** Subscribes to accepted messages and schedules their status webhooks to the number's callback. */
export function attachStatusWebhooks(ctx: SimContext): void {
  // A stream of its own, so webhook activity never shifts the draws behind API latencies.
  const rng = ctx.rng.fork('status-webhooks');
  ctx.events.on('message-accepted', (message: AcceptedMessage) => {
    const phoneNumberId = message.cohort.phoneNumberId;
    if (ctx.webhooks.callbackFor(phoneNumberId) === undefined) return;
    const distribution = ctx.treatment(message.cohort).statusDelay;
    let atMs = message.responseDelayMs;
    for (const status of LIFECYCLE) {
      atMs += sampleMs(distribution, rng);
      ctx.webhooks.schedule(phoneNumberId, 'status', atMs, () => envelope(message.cohort, statusValue(message, status, nowSec())));
    }
  });
}

function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

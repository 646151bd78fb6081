/**
 * Status webhooks for every accepted outbound message: sent, delivered and read, each after a fresh draw
 * from the role's `statusDelay`, cumulative from the moment the API answered. Each status waits for the
 * previous one to be delivered (or given up), so a receiver sees them in lifecycle order.
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
    let dueMs = ctx.nowMs() + message.responseDelayMs;
    let previous = Promise.resolve();
    for (const status of LIFECYCLE) {
      dueMs += sampleMs(distribution, rng);
      const due = dueMs;
      previous = previous.then(() =>
        ctx.webhooks.schedule(phoneNumberId, 'status', due - ctx.nowMs(), () =>
          envelope(message.cohort, statusValue(message, status, nowSec())),
        ),
      );
    }
  });
}

function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

/** Makes the platform send webhooks to every cohort that has had none yet: one message each, then status callbacks follow. */
import type { CheckContext } from '../../../src/engine/check.js';
import type { HttpExchange } from '../../../src/http/types.js';
import { withBackoff } from '../../../src/targets/whatsapp/graph-errors.js';
import { graphErrorCode, messageId } from '../../../src/targets/whatsapp/graph-errors.js';

/** Sends one probe message per cohort without events and waits (bounded) for a webhook for it; records a `webhook-probe`. */
export async function provokeWebhooks(ctx: CheckContext, check: string): Promise<void> {
  const hub = ctx.webhooks();
  const to = ctx.config.recipient?.waId ?? '';
  const timeoutMs = ctx.config.limits.timeoutMs;
  await Promise.all(
    ctx.cohorts.map(async (cohort) => {
      if (hub.events().some((event) => event.cohort === cohort.id)) return;
      const send = (): Promise<HttpExchange> =>
        ctx.business(cohort.id).sendMessage(to, { type: 'text', text: { body: 'dma-audit webhook probe' } }, { check });
      const attempts = await withBackoff(send, { signal: ctx.signal });
      const final = attempts[attempts.length - 1] as HttpExchange;
      const startedMs = performance.now();
      const event =
        final.status >= 200 && final.status < 300
          ? await hub.waitFor((e) => e.cohort === cohort.id, timeoutMs)
          : undefined;
      ctx.record({
        check,
        cohort: cohort.id,
        kind: 'webhook-probe',
        outcome: final.outcome,
        exchanges: attempts.map((a) => a.id).filter((id) => id !== ''),
        data: {
          status: final.status,
          errorCode: graphErrorCode(final.json),
          messageId: messageId(final.json),
          isEventReceived: event !== undefined,
          // Up, not to the nearest: the loop's cached clock can fire a timeout up to a millisecond early by
          // performance.now(), and a full wait must not read as a shorter one.
          waitedMs: Math.ceil(performance.now() - startedMs),
        },
      });
    }),
  );
}

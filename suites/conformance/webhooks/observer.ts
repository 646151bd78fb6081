/**
 * What CONF-WH-001..003 record when the engine opens the webhook receiver: the override handshake of
 * each cohort and every delivery. The analysis of those checks is then a pure function of the samples.
 */
import type { JsonObject, JsonValue, ObservationInput } from '../../../src/core/types.js';
import type { OverrideResult, WebhookObserver } from '../../../src/engine/webhooks.js';
import type { WebhookDelivery } from '../../../src/webhook/receiver.js';

/** Check ids whose observations this observer records. */
export const WEBHOOK_CHECKS = { override: 'CONF-WH-001', signature: 'CONF-WH-002', payload: 'CONF-WH-003' } as const;

/** The observer the composition root hands the engine. */
export const conformanceWebhookObserver: WebhookObserver = {
  overrideCheck: WEBHOOK_CHECKS.override,
  onOverride: overrideObservations,
  onDelivery: deliveryObservations,
};

/** One CONF-WH-001 sample per cohort: the answer to the override and the hub GETs it caused. */
function overrideObservations({ cohort, exchange, verifications }: OverrideResult): ObservationInput[] {
  return [
    {
      check: WEBHOOK_CHECKS.override,
      cohort,
      kind: 'webhook-override',
      outcome: exchange.outcome,
      exchanges: [exchange.id, ...verifications.map((g) => g.exchangeId)].filter((id) => id !== ''),
      data: {
        status: exchange.status,
        body: toJson(exchange.json),
        hubGets: verifications.length,
        isChallengeAnswered: verifications.some((g) => g.isTokenValid),
        hasInvalidToken: verifications.some((g) => !g.isTokenValid),
      },
    },
  ];
}

/** One CONF-WH-002 sample per delivery and routed cohort; authentic ones also give a CONF-WH-003 sample with the body. */
function deliveryObservations(delivery: WebhookDelivery): ObservationInput[] {
  const cohorts = delivery.cohorts.length > 0 ? delivery.cohorts : ['*'];
  return cohorts.flatMap((cohort): ObservationInput[] => [
    {
      check: WEBHOOK_CHECKS.signature,
      cohort,
      kind: 'webhook-delivery',
      exchanges: [delivery.exchangeId],
      data: { signature: delivery.signature, status: delivery.status, events: delivery.events.length },
    },
    ...(delivery.signature === 'valid'
      ? [
          {
            check: WEBHOOK_CHECKS.payload,
            cohort,
            kind: 'webhook-payload',
            exchanges: [delivery.exchangeId],
            data: {
              isJson: delivery.isJson,
              payload: toJson(delivery.payload),
              // Past the run's recorded-body allowance the payload is not kept; it is not judged either.
              ...(delivery.isPayloadKept ? {} : { isOmitted: true }),
            },
          },
        ]
      : []),
  ]);
}

function toJson(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonObject);
}

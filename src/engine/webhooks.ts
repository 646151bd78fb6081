/**
 * Opens the webhook receiver for a run and points every cohort's number at it (the Cloud API's
 * per-number callback override). The handshake and every delivery are recorded as observations of
 * CONF-WH-001/002/003, so those checks' analysis is a pure function of the samples.
 */
import type { AuditConfig, CohortConfig } from '../config/types.js';
import type { Recorder } from '../evidence/recorder.js';
import type { HttpClient } from '../http/client.js';
import { createWhatsAppCloud } from '../targets/whatsapp/cloud.js';
import type { JsonObject, JsonValue } from '../core/types.js';
import type { WebhookHub } from '../webhook/hub.js';
import { startWebhookReceiver, type RunningWebhookHub, type WebhookDelivery } from '../webhook/receiver.js';
import type { Clock } from '../core/clock.js';

/** Check ids whose observations this module records. */
export const WEBHOOK_CHECKS = { override: 'CONF-WH-001', signature: 'CONF-WH-002', payload: 'CONF-WH-003' } as const;

/** The receiver, or undefined when the config has no webhook section with both secrets. */
export async function openWebhookHub(
  config: AuditConfig,
  recorder: Recorder,
  clock: Clock,
  http: HttpClient,
): Promise<WebhookHub | undefined> {
  const webhook = config.webhook;
  if (webhook?.appSecret === undefined || webhook.verifyToken === undefined) return undefined;
  const hub = await startWebhookReceiver({
    listen: webhook.listen,
    publicUrl: webhook.publicUrl,
    appSecret: webhook.appSecret,
    verifyToken: webhook.verifyToken,
    recorder,
    clock,
    cohorts: config.cohorts,
    onDelivery: (delivery) => recordDelivery(recorder, delivery),
  });
  if (config.target.businessApi !== undefined) {
    for (const cohort of config.cohorts)
      await overrideCallback(config, cohort, { hub, recorder, http, verifyToken: webhook.verifyToken });
  }
  return hub;
}

interface OverrideParts {
  hub: RunningWebhookHub;
  recorder: Recorder;
  http: HttpClient;
  verifyToken: string;
}

/** Sends one cohort's override and records what the handshake showed: the answer, and the hub GETs it caused. */
async function overrideCallback(config: AuditConfig, cohort: CohortConfig, parts: OverrideParts): Promise<void> {
  const api = config.target.businessApi;
  if (api === undefined || cohort.phoneNumberId === undefined || cohort.token === undefined) return;
  const business = createWhatsAppCloud({
    http: parts.http,
    api,
    cohort: cohort.id,
    token: cohort.token,
    phoneNumberId: cohort.phoneNumberId,
  });
  const before = parts.hub.verifications().length;
  const exchange = await business.overrideWebhook(parts.hub.callbackUrl, parts.verifyToken, {
    check: WEBHOOK_CHECKS.override,
  });
  // Overrides run one cohort at a time, so the hub GETs that arrived meanwhile were caused by this one.
  const gets = parts.hub.verifications().slice(before);
  parts.recorder.record({
    check: WEBHOOK_CHECKS.override,
    cohort: cohort.id,
    kind: 'webhook-override',
    outcome: exchange.outcome,
    exchanges: [exchange.id, ...gets.map((g) => g.exchangeId)].filter((id) => id !== ''),
    data: {
      status: exchange.status,
      body: toJson(exchange.json),
      hubGets: gets.length,
      isChallengeAnswered: gets.some((g) => g.isTokenValid),
      hasInvalidToken: gets.some((g) => !g.isTokenValid),
    },
  });
}

/** One CONF-WH-002 sample per delivery and routed cohort; authentic ones also give a CONF-WH-003 sample with the body. */
function recordDelivery(recorder: Recorder, delivery: WebhookDelivery): void {
  const cohorts = delivery.cohorts.length > 0 ? delivery.cohorts : ['*'];
  for (const cohort of cohorts) {
    recorder.record({
      check: WEBHOOK_CHECKS.signature,
      cohort,
      kind: 'webhook-delivery',
      exchanges: [delivery.exchangeId],
      data: { signature: delivery.signature, status: delivery.status, events: delivery.events.length },
    });
    if (delivery.signature !== 'valid') continue;
    recorder.record({
      check: WEBHOOK_CHECKS.payload,
      cohort,
      kind: 'webhook-payload',
      exchanges: [delivery.exchangeId],
      data: { isJson: delivery.isJson, payload: toJson(delivery.payload) },
    });
  }
}

function toJson(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonObject);
}

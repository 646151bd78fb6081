/**
 * Opens the webhook receiver for a run and points every cohort's number at it (the Cloud API's
 * per-number callback override). What the handshake and each delivery show is handed to a
 * `WebhookObserver` that the composition root supplies (the conformance suite records them), so the
 * engine knows no check by name.
 */
import type { AuditConfig, CohortConfig } from '../config/types.js';
import type { Clock } from '../core/clock.js';
import type { ObservationInput } from '../core/types.js';
import type { Recorder } from '../evidence/recorder.js';
import type { HttpClient } from '../http/client.js';
import type { HttpExchange } from '../http/types.js';
import { createWhatsAppCloud } from '../targets/whatsapp/cloud.js';
import type { WebhookHub } from '../webhook/hub.js';
import { startWebhookReceiver, type RunningWebhookHub, type WebhookDelivery } from '../webhook/receiver.js';

/** What one cohort's callback override showed: the platform's answer and the hub GETs it caused. */
export interface OverrideResult {
  cohort: string;
  exchange: HttpExchange;
  verifications: ReturnType<RunningWebhookHub['verifications']>;
}

/** Turns webhook set-up and deliveries into observations; the engine records whatever it returns. */
export interface WebhookObserver {
  /** The check id the override request is recorded under in the HAR. */
  overrideCheck: string;
  onOverride(result: OverrideResult): ObservationInput[];
  onDelivery(delivery: WebhookDelivery): ObservationInput[];
}

/** What opening the hub needs besides the config. */
export interface WebhookHubParts {
  recorder: Recorder;
  clock: Clock;
  http: HttpClient;
  observer?: WebhookObserver | undefined;
}

/** The receiver, or undefined when the config has no webhook section with both secrets. */
export async function openWebhookHub(config: AuditConfig, parts: WebhookHubParts): Promise<WebhookHub | undefined> {
  const webhook = config.webhook;
  if (webhook?.appSecret === undefined || webhook.verifyToken === undefined) return undefined;
  const { recorder, observer } = parts;
  const hub = await startWebhookReceiver({
    listen: webhook.listen,
    publicUrl: webhook.publicUrl,
    appSecret: webhook.appSecret,
    verifyToken: webhook.verifyToken,
    recorder,
    clock: parts.clock,
    cohorts: config.cohorts,
    allowance: parts.http.allowance,
    onDelivery: (delivery) => recordAll(recorder, observer?.onDelivery(delivery) ?? []),
  });
  if (config.target.businessApi !== undefined) {
    for (const cohort of config.cohorts) await overrideCallback(config, cohort, hub, parts, webhook.verifyToken);
  }
  return hub;
}

/** Sends one cohort's override; the hub GETs that arrive meanwhile were caused by it (overrides run one at a time). */
async function overrideCallback(
  config: AuditConfig,
  cohort: CohortConfig,
  hub: RunningWebhookHub,
  parts: WebhookHubParts,
  verifyToken: string,
): Promise<void> {
  const api = config.target.businessApi;
  if (api === undefined || cohort.phoneNumberId === undefined || cohort.token === undefined) return;
  const business = createWhatsAppCloud({
    http: parts.http,
    api,
    cohort: cohort.id,
    token: cohort.token,
    phoneNumberId: cohort.phoneNumberId,
  });
  const before = hub.verifications().length;
  const check = parts.observer?.overrideCheck ?? 'webhook-setup';
  const exchange = await business.overrideWebhook(hub.callbackUrl, verifyToken, { check });
  const verifications = hub.verifications().slice(before);
  recordAll(parts.recorder, parts.observer?.onOverride({ cohort: cohort.id, exchange, verifications }) ?? []);
}

function recordAll(recorder: Recorder, observations: readonly ObservationInput[]): void {
  for (const observation of observations) recorder.record(observation);
}

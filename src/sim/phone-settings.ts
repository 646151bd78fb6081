/**
 * `POST /{version}/{phone-number-id}` with `webhook_configuration` (https://developers.facebook.com/docs/whatsapp/embedded-signup/webhooks/override):
 * the platform verifies the callback with the hub challenge GET before it answers, then routes that number's
 * webhooks there. No throughput or policy treatment applies: it configures the account, it sends nothing.
 */
import type { SimContext } from './context.js';
import { graphError } from './graph-error.js';
import type { SimCohort, SimResponse } from './types.js';
import { CallbackRejected } from './webhooks.js';

/** Applies a phone number settings update (only the webhook override is supported). */
export async function configurePhoneNumber(
  ctx: SimContext,
  cohort: SimCohort,
  body: Record<string, unknown>,
): Promise<SimResponse> {
  const config = body.webhook_configuration as { override_callback_uri?: unknown; verify_token?: unknown } | undefined;
  if (config === undefined || config === null || typeof config !== 'object') {
    return invalid('webhook_configuration is required (the only phone number setting this platform supports)');
  }
  if (typeof config.override_callback_uri !== 'string' || config.override_callback_uri === '')
    return invalid('webhook_configuration.override_callback_uri must be a URL');
  if (typeof config.verify_token !== 'string' || config.verify_token === '')
    return invalid('webhook_configuration.verify_token must be a non-empty string');
  try {
    await ctx.webhooks.register(cohort.phoneNumberId, config.override_callback_uri, config.verify_token);
  } catch (error: unknown) {
    if (error instanceof CallbackRejected) return invalid(error.message);
    throw error;
  }
  return { status: 200, json: { success: true } };
}

function invalid(details: string): SimResponse {
  return graphError(400, 100, '(#100) Invalid parameter', details);
}

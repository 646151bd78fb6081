/** Helpers for the sim's HTTP-level tests and demos: a cohort's view of the business API and user driver, timed from outside. */
import { SIM_RECIPIENT } from './cohorts.js';
import type { RunningSim } from './server.js';
import type { SimCohort } from './types.js';

export interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> & {
    error?: { code?: number; error_data?: { details?: string } };
    messages?: Array<{ id: string }>;
  };
  ms: number;
}

/** The cohort with this id (throws when absent, so a typo fails loudly). */
export function cohortOf(sim: RunningSim, id: string): SimCohort {
  const cohort = sim.cohorts.find((c) => c.id === id);
  if (cohort === undefined) throw new Error(`no cohort ${id}`);
  return cohort;
}

/** POST to `{graph}/{version}/{pnid}{path}` as the cohort, timed with the monotonic clock. */
export async function graphPost(sim: RunningSim, cohort: SimCohort, path: string, body: unknown): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${sim.urls.businessApi}/${sim.apiVersion}/${cohort.phoneNumberId}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${cohort.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Answer['json'];
  return { status: response.status, headers: response.headers, json, ms: performance.now() - started };
}

/** Sends one message of `type` (text by default) to the default recipient. */
export function sendMessage(
  sim: RunningSim,
  cohort: SimCohort,
  type = 'text',
  content: unknown = { body: 'hello' },
  to = SIM_RECIPIENT,
): Promise<Answer> {
  return graphPost(sim, cohort, '/messages', {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type,
    [type]: content,
  });
}

/** A message from a test user to a cohort's number through the user driver; resolves with its wamid. */
export async function sendAsUser(
  sim: RunningSim,
  cohort: SimCohort,
  waId = SIM_RECIPIENT,
  body: Record<string, unknown> = { type: 'text', text: { body: 'hi' } },
): Promise<string> {
  const response = await fetch(`${sim.urls.userDriver}/_sim/v1/users/${waId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to: cohort.phoneNumberId, ...body }),
  });
  const json = (await response.json()) as { id?: string };
  if (response.status !== 200 || json.id === undefined) throw new Error(`user driver answered ${response.status}`);
  return json.id;
}

/** Points the cohort's webhooks at `url` (the platform verifies it first). */
export function overrideWebhook(sim: RunningSim, cohort: SimCohort, url: string, verifyToken: string): Promise<Answer> {
  return graphPost(sim, cohort, '', {
    webhook_configuration: { override_callback_uri: url, verify_token: verifyToken },
  });
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

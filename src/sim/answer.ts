/** Shaping the business API's answers: the role's latency for a message type, and rate headers on errors. */
import type { SimContext } from './context.js';
import { sampleMs } from './distribution.js';
import type { SimResponse, Treatment } from './types.js';

/** One latency draw for a message type (or a capability such as mark_read) from the role's distribution. */
export function latencyMs(ctx: SimContext, treatment: Treatment, type: string): number {
  return sampleMs(treatment.latency.byType[type] ?? treatment.latency.default, ctx.rng);
}

/** `response`, held for the role's latency for `type`. */
export function delayed(ctx: SimContext, treatment: Treatment, type: string, response: SimResponse): SimResponse {
  return { ...response, delayMs: latencyMs(ctx, treatment, type) };
}

/** A Graph error answered after the role's latency for `type`, with the rate headers attached. */
export function rejection(
  ctx: SimContext,
  treatment: Treatment,
  type: string,
  response: SimResponse,
  headers: Record<string, string>,
): SimResponse {
  return delayed(ctx, treatment, type, { ...response, headers: { ...headers, ...(response.headers ?? {}) } });
}

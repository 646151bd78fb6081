/**
 * PAR-FEAT-*: a third-party assistant may use every capability the gatekeeper's own assistant uses
 * (DMA Art. 6(7): "the same features"): outbound message types and capabilities (PAR-FEAT-001) and
 * inbound event types delivered to its webhook (PAR-FEAT-002).
 */
import { defineCheck, type AnalysisContext, type CheckContext } from '../../../src/engine/check.js';
import type { HttpExchange } from '../../../src/http/types.js';
import type { Finding, JsonObject, Observation } from '../../../src/core/types.js';
import { messageId } from '../../../src/targets/whatsapp/graph-errors.js';
import { DMA_6_7, EC_INTERIM, cloudApi } from '../../shared/references.js';
import { CAPABILITIES, baseType, subtype, type Capability } from './capabilities.js';
import { inboundChecks } from './inbound.js';
import {
  buildMatrix,
  isTransient,
  missingFor,
  transientFaults,
  unavailableToAll,
  wasRefused,
  type Matrix,
} from './matrix.js';
import { exchangeIds, isAcceptedSend, probeRate, sendFacts } from '../../shared/send.js';
import { findingHead } from '../../shared/finding.js';

const OUTBOUND = 'PAR-FEAT-001';
const CAPABILITY = 'capability';
/** Attempts per capability: failures that may be transient get more tries than definite refusals. */
const MAX_TRANSIENT_ATTEMPTS = 4;
const MAX_REFUSAL_ATTEMPTS = 2;

/** The message id replies, reactions and read receipts point at: a user's message when a user driver exists, else the cohort's own text. */
async function targetIds(ctx: CheckContext, textIds: Map<string, string>): Promise<Map<string, string>> {
  const targets = new Map(textIds);
  if (ctx.config.target.userDriver === undefined) return targets;
  for (const cohort of ctx.cohorts) {
    const exchange = await ctx
      .userDriver()
      .sendAsUser(
        ctx.config.recipient?.waId ?? '',
        cohort.phoneNumberId ?? '',
        'dma-audit capability probe: a user message to reply to',
        { check: OUTBOUND, cohort: cohort.id },
      );
    ctx.record({
      check: OUTBOUND,
      cohort: cohort.id,
      kind: 'user-message',
      outcome: exchange.outcome,
      exchanges: exchangeIds(exchange),
      data: sendFacts(exchange),
    });
    const id = (exchange.json as { id?: unknown } | undefined)?.id ?? messageId(exchange.json);
    if (exchange.outcome === 'ok' && typeof id === 'string') targets.set(cohort.id, id);
  }
  return targets;
}

function attempt(
  ctx: CheckContext,
  cohort: string,
  capability: Capability,
  target: string,
  scheduledNs: number,
): Promise<HttpExchange> {
  const api = ctx.business(cohort);
  const options = { check: OUTBOUND, scheduledNs };
  if (capability.kind === 'read') return api.markRead(target, { ...options, typing: capability.isTyping });
  return api.sendMessage(ctx.config.recipient?.waId ?? '', capability.message(target), options);
}

/** Tries `capabilities` for every cohort, interleaved, retrying failures up to their attempt limit. */
async function tryAll(
  ctx: CheckContext,
  capabilities: readonly Capability[],
  targets: ReadonlyMap<string, string>,
  textIds: Map<string, string>,
): Promise<void> {
  const pending = new Map(
    ctx.cohorts.map((c) => [
      c.id,
      capabilities.map((capability) => ({ capability, attempts: 0, limit: MAX_TRANSIENT_ATTEMPTS })),
    ]),
  );
  for (let pass = 1; [...pending.values()].some((list) => list.length > 0) && !ctx.signal.aborted; pass += 1) {
    const rounds = Math.max(...[...pending.values()].map((list) => list.length));
    const snapshot = new Map([...pending].map(([cohort, list]) => [cohort, [...list]]));
    await ctx.scheduler.interleave(
      {
        cohorts: ctx.cohorts.map((c) => c.id),
        rounds,
        warmupRounds: 0,
        ratePerSec: probeRate(ctx, 10),
        rng: ctx.rng.fork(`${OUTBOUND}:${pass}`),
      },
      async (slot) => {
        const item = snapshot.get(slot.cohort)?.[slot.round];
        if (item === undefined) return;
        item.attempts += 1;
        const exchange = await attempt(
          ctx,
          slot.cohort,
          item.capability,
          targets.get(slot.cohort) ?? '',
          slot.scheduledNs,
        );
        const facts = sendFacts(exchange);
        if (item.capability.id === 'text' && typeof facts.wamid === 'string') textIds.set(slot.cohort, facts.wamid);
        ctx.record({
          check: OUTBOUND,
          cohort: slot.cohort,
          variant: item.capability.id,
          kind: CAPABILITY,
          round: item.attempts,
          outcome: exchange.outcome,
          exchanges: exchangeIds(exchange),
          data: facts,
        });
        const list = pending.get(slot.cohort) ?? [];
        const isOk = exchange.outcome === 'ok';
        if (!isTransient(exchange.outcome, exchange.status)) item.limit = MAX_REFUSAL_ATTEMPTS;
        if (isOk || item.attempts >= item.limit) list.splice(list.indexOf(item), 1);
      },
    );
  }
}

const isOkAttempt = (o: Observation): boolean =>
  isAcceptedSend(o.outcome, typeof o.data?.status === 'number' ? o.data.status : 0);

const outbound = defineCheck({
  id: OUTBOUND,
  title: 'Outbound capability parity',
  suite: 'parity',
  description:
    'Every outbound message type and capability ' +
    '(mark-as-read, typing indicator, replies with ' +
    'context, reactions) the gatekeeper’s own assistant ' +
    'may use, a third-party assistant may use too.',
  references: [DMA_6_7, EC_INTERIM, cloudApi('messages')],
  requires: ['businessApi', 'recipient'],
  async run(ctx) {
    const textIds = new Map<string, string>();
    const [first, ...rest] = CAPABILITIES;
    if (first !== undefined) await tryAll(ctx, [first], new Map(), textIds);
    await tryAll(ctx, rest, await targetIds(ctx, textIds), textIds);
  },
  analyse(observations, ctx) {
    const matrix = buildMatrix(observations, CAPABILITY, isOkAttempt);
    return ctx.subjects.map((subject) => compareMatrix(subject, matrix, observations, ctx));
  },
});

function compareMatrix(
  subject: { id: string; label: string },
  matrix: Matrix,
  observations: readonly Observation[],
  ctx: AnalysisContext,
): Finding {
  const all = missingFor(matrix, ctx.reference.id, subject.id);
  // A capability the subject only ever met transient faults on is a refusal only when the reference met none.
  const referenceFaults = transientFaults(observations, CAPABILITY, ctx.reference.id);
  const isRefusal = (m: { capability: string }): boolean =>
    wasRefused(observations, CAPABILITY, subject.id, m.capability) || referenceFaults === 0;
  const missing = all.filter(isRefusal);
  const faulted = all.filter((m) => !isRefusal(m));
  const missingTypes = [...new Set(missing.map((m) => baseType(m.capability)))];
  const cohorts = [ctx.reference.id, subject.id];
  const view = Object.fromEntries(
    Object.entries(matrix).map(([capability, row]) => [
      capability,
      Object.fromEntries(cohorts.map((c) => [c, row[c] ?? 'not tried'])),
    ]),
  );
  const measurements: JsonObject = {
    matrix: view,
    missing: missing.map((m) => m.capability),
    missingTypes,
    unavailableToAll: unavailableToAll(matrix),
    faulted: faulted.map((m) => m.capability),
    transientFaults: { reference: referenceFaults, subject: transientFaults(observations, CAPABILITY, subject.id) },
  };
  const evidence = observations
    .filter((o) => o.kind === CAPABILITY && o.cohort === subject.id && missing.some((m) => m.capability === o.variant))
    .slice(0, 10)
    .flatMap((o) => o.exchanges ?? []);
  const head = {
    ...findingHead(outbound, subject.id, ctx.reference.id),
    measurements,
    evidence,
  };
  if (missing.length > 0) {
    const byType = missingTypes.map((type) => {
      const cells = missing.filter((m) => baseType(m.capability) === type);
      const variants =
        cells.length > 1 || cells[0]?.capability !== type
          ? ` (${cells.map((m) => subtype(m.capability)).join(', ')})`
          : '';
      return `${type}${variants} [${[...new Set(cells.map((m) => m.subject))].join('; ')}]`;
    });
    return {
      ...head,
      verdict: 'fail',
      summary: `${subject.label} may not use ${byType.join(', ')}, which ${ctx.reference.label} may use.`,
    };
  }
  const usable = Object.values(view).filter((row) => row[ctx.reference.id] === 'ok').length;
  if (faulted.length > 0)
    return {
      ...head,
      verdict: 'inconclusive',
      summary:
        `${subject.label}'s attempts at ${faulted.map((m) => m.capability).join(', ')} met only transient faults, which ` +
        `${ctx.reference.label} met too (${referenceFaults}); not evidence of a refusal.`,
    };
  if (usable === 0)
    return {
      ...head,
      verdict: 'inconclusive',
      summary: `${ctx.reference.label} could use no capability, so there is nothing to compare.`,
    };
  return {
    ...head,
    verdict: 'pass',
    summary: `${subject.label} may use every one of the ${usable} capabilities ${ctx.reference.label} may use.`,
  };
}

/** The PAR-FEAT-* checks, in catalogue order. */
export const featureChecks = [outbound, ...inboundChecks];

/**
 * PAR-LAT-*: latency parity, measured open-loop with randomised interleaving of cohorts and timed from
 * each request's scheduled send time (suites/lib/latency-probe.ts, latency-webhooks.ts), compared with
 * the three-outcome rule (suites/lib/latency-compare.ts).
 */
import {
  defineCheck,
  type AnalysisContext,
  type CheckContext,
  type CheckDefinition,
} from '../../../src/engine/check.js';
import type { InterleaveOptions, Slot } from '../../../src/engine/scheduler.js';
import type { FindingDraft, Observation } from '../../../src/core/types.js';
import { graphErrorCode, messageId } from '../../../src/targets/whatsapp/graph-errors.js';
import { compareLatency } from './compare.js';
import { latencyStrata } from './stratified.js';
import { LATENCY_TYPES, probeMessage } from '../../shared/probe-messages.js';
import { harnessSlip, latencyRate, recordSlip, sampleCount, typeSampleCount } from '../../shared/probe-rounds.js';
import { probeInbound, probeStatuses, STATUSES } from './webhooks.js';
import { DMA_6_5, DMA_6_7, EC_INTERIM, cloudApi } from '../../shared/references.js';
import { findingHead } from '../../shared/finding.js';

const SEND_LATENCY = 'PAR-LAT-001';
const INBOUND_LATENCY = 'PAR-LAT-002';
const STATUS_LATENCY = 'PAR-LAT-003';

const sendLatency = defineCheck({
  id: SEND_LATENCY,
  title: 'Send-message latency parity',
  suite: 'parity',
  description:
    'Sending a message, of every type, takes no longer for a third-party assistant than for the gatekeeper’s own assistant.',
  references: [DMA_6_5, DMA_6_7, EC_INTERIM, cloudApi('messages')],
  requires: ['businessApi', 'recipient'],
  async run(ctx) {
    const types = latencyTypes(ctx);
    // A reaction must point at a message; each cohort reacts to one it sent itself.
    const sentIds = new Map<string, string>();
    const send = (slot: Slot): Promise<void> => sendProbe(ctx, slot, sentIds);
    if (types.includes('text')) {
      const report = await ctx.scheduler.interleave(
        schedule(ctx, SEND_LATENCY, 'text', sampleCount(ctx), ctx.config.analysis.warmup),
        send,
      );
      recordSlip(ctx, SEND_LATENCY, report, 'text');
    }
    const others = types.filter((type) => type !== 'text');
    if (others.length === 0 || ctx.signal.aborted) return;
    // One warm-up round of every type: the connections are already warm from the text schedule.
    const report = await ctx.scheduler.interleave(
      { ...schedule(ctx, SEND_LATENCY, 'types', typeSampleCount(ctx), 1), variants: others },
      send,
    );
    recordSlip(ctx, SEND_LATENCY, report, 'other message types');
  },
  analyse(observations, ctx) {
    const order = (variant: string): number => {
      const index = (LATENCY_TYPES as readonly string[]).indexOf(variant);
      return index === -1 ? LATENCY_TYPES.length : index;
    };
    const variants = variantsOf(observations).sort((a, b) => order(a) - order(b));
    return variants.flatMap((variant) =>
      compareVariant(sendLatency, observations, ctx, variant, `send-message latency (${variant})`),
    );
  },
  analyseStrata: (strata, ctx) => latencyStrata(sendLatency, strata, ctx, (v) => `send-message latency (${v})`),
});

const inboundLatency = defineCheck({
  id: INBOUND_LATENCY,
  title: 'Inbound message delivery latency parity',
  suite: 'parity',
  description:
    'A user’s message reaches a third-party assistant’s webhook no later than it reaches the gatekeeper’s own assistant.',
  references: [DMA_6_5, DMA_6_7, EC_INTERIM, cloudApi('webhooks')],
  requires: ['userDriver', 'webhook', 'recipient'],
  async run(ctx) {
    const report = await ctx.scheduler.interleave(
      schedule(ctx, INBOUND_LATENCY, 'inbound', sampleCount(ctx), ctx.config.analysis.warmup),
      (slot) => probeInbound(ctx, INBOUND_LATENCY, slot),
    );
    recordSlip(ctx, INBOUND_LATENCY, report, 'inbound');
  },
  analyse(observations, ctx) {
    return compareVariant(inboundLatency, observations, ctx, 'inbound', 'inbound message delivery latency');
  },
  analyseStrata: (strata, ctx) => latencyStrata(inboundLatency, strata, ctx, () => 'inbound message delivery latency'),
});

const statusLatency = defineCheck({
  id: STATUS_LATENCY,
  title: 'Status callback latency parity',
  suite: 'parity',
  description:
    'The sent, delivered and read status callbacks of a third-party assistant’s messages arrive no later than the gatekeeper’s own assistant’s.',
  references: [DMA_6_5, DMA_6_7, EC_INTERIM, cloudApi('webhooks/components#statuses-object')],
  requires: ['businessApi', 'webhook', 'recipient'],
  async run(ctx) {
    const report = await ctx.scheduler.interleave(
      schedule(ctx, STATUS_LATENCY, 'statuses', sampleCount(ctx), ctx.config.analysis.warmup),
      (slot) => probeStatuses(ctx, STATUS_LATENCY, slot),
    );
    recordSlip(ctx, STATUS_LATENCY, report, 'statuses');
  },
  analyse(observations, ctx) {
    return STATUSES.flatMap((status) => {
      const isReceived = observations.some(
        (o) => o.kind === 'latency' && o.variant === status && o.outcome === 'ok' && (o.round ?? 0) >= 0,
      );
      if (!isReceived) return [noStatusAtAll(statusLatency, ctx, status)];
      return compareVariant(statusLatency, observations, ctx, status, `'${status}' status callback latency`);
    });
  },
  analyseStrata: (strata, ctx) => latencyStrata(statusLatency, strata, ctx, (s) => `'${s}' status callback latency`),
});

/** The latency checks, in catalogue order. */
export const latencyChecks: CheckDefinition[] = [sendLatency, inboundLatency, statusLatency];

/** The message types to time: the configured ones, or only the first of them (text) for a `--quick` smoke run. */
function latencyTypes(ctx: CheckContext): string[] {
  const types = ctx.config.analysis.latencyTypes ?? [...LATENCY_TYPES];
  if (!ctx.isQuick) return types;
  return types.includes('text') ? ['text'] : types.slice(0, 1);
}

/** An interleaved schedule of every cohort at the latency rate, with its own RNG stream per check and label. */
function schedule(
  ctx: CheckContext,
  check: string,
  label: string,
  rounds: number,
  warmupRounds: number,
): InterleaveOptions {
  return {
    cohorts: ctx.cohorts.map((c) => c.id),
    rounds,
    warmupRounds,
    ratePerSec: latencyRate(ctx),
    rng: ctx.rng.fork(`${check}:${label}`),
  };
}

async function sendProbe(ctx: CheckContext, slot: Slot, sentIds: Map<string, string>): Promise<void> {
  const type = slot.variant ?? 'text';
  const to = ctx.config.recipient?.waId ?? '';
  const body = probeMessage(type, `dma-audit latency probe ${slot.round}`, sentIds.get(slot.cohort) ?? null);
  const exchange = await ctx
    .business(slot.cohort)
    .sendMessage(to, body, { check: SEND_LATENCY, scheduledNs: slot.scheduledNs });
  const id = messageId(exchange.json);
  if (id !== null && !sentIds.has(slot.cohort)) sentIds.set(slot.cohort, id);
  ctx.record({
    check: SEND_LATENCY,
    variant: type,
    cohort: slot.cohort,
    kind: 'latency',
    round: slot.round,
    scheduledNs: slot.scheduledNs,
    sentNs: exchange.sentNs,
    latencyUs: exchange.latencyUs,
    outcome: exchange.outcome,
    exchanges: exchange.id === '' ? [] : [exchange.id],
    data: { status: exchange.status, errorCode: graphErrorCode(exchange.json) },
  });
}

function variantsOf(observations: readonly Observation[]): string[] {
  return [...new Set(observations.filter((o) => o.kind === 'latency').map((o) => o.variant ?? 'text'))];
}

/** One finding per subject for one variant, each carrying the harness's schedule slip. */
function compareVariant(
  check: CheckDefinition,
  observations: readonly Observation[],
  ctx: AnalysisContext,
  variant: string,
  metric: string,
): FindingDraft[] {
  const samples = observations.filter((o) => o.kind === 'latency' && (o.variant ?? 'text') === variant);
  const of = (cohort: string): Observation[] => samples.filter((o) => o.cohort === cohort);
  const slip = harnessSlip(observations);
  return ctx.subjects.map((subject) =>
    compareLatency({
      check,
      metric,
      variant,
      subject,
      reference: ctx.reference,
      subjectSamples: of(subject.id),
      referenceSamples: of(ctx.reference.id),
      ctx,
      ...(slip === null ? {} : { extra: { scheduleSlipUs: slip } }),
    }),
  );
}

/** No cohort got this status at all: the target does not send it, so there is nothing to compare. */
function noStatusAtAll(check: CheckDefinition, ctx: AnalysisContext, status: string): FindingDraft {
  const reason = `no cohort received a '${status}' status callback, so its latency cannot be compared`;
  return {
    ...findingHead(check, null, ctx.reference.id, status),
    verdict: 'skip',
    reason,
    summary: `Skipped: ${reason}.`,
    measurements: {},
    evidence: [],
  };
}

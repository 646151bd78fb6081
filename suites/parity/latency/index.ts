/**
 * PAR-LAT-*: latency parity. The samples come from the run's shared streams (suites/shared/stream/):
 * PAR-LAT-001 times the outbound stream's sends, PAR-LAT-003 the status callbacks of its text sends,
 * PAR-LAT-002 the inbound stream's webhooks. Each stream is interleaved across cohorts, open-loop and
 * timed from each request's scheduled send time; the comparisons use the sequential design's looks or
 * the fixed-N three-outcome rule (compare.ts), as the run's `analysis.design` says.
 */
import { defineCheck, type AnalysisContext, type CheckDefinition } from '../../../src/engine/check.js';
import type { FindingDraft, JsonObject, Observation } from '../../../src/core/types.js';
import { compareLatency } from './compare.js';
import { LATENCY_TYPES } from '../../shared/probe-messages.js';
import { latencyStrata } from './stratified.js';
import { DMA_6_5, DMA_6_7, EC_INTERIM, cloudApi } from '../../shared/references.js';
import { findingHead } from '../../shared/finding.js';
import { inboundStream, outboundStream } from '../../shared/stream/streams.js';
import { streamLatencyFinding, streamPlanOrError } from '../../shared/stream/findings.js';
import {
  INBOUND_KIND,
  INBOUND_LATENCY,
  SEND_KIND,
  SEND_LATENCY,
  STATUS_KIND,
  STATUS_LATENCY,
  STATUSES,
  type StreamName,
  type StreamPlan,
} from '../../shared/stream/plan.js';
import { streamPlans } from '../../shared/stream/dry-run.js';

const sendLatency = defineCheck({
  id: SEND_LATENCY,
  title: 'Send-message latency parity',
  suite: 'parity',
  description:
    'Sending a message, of every type, takes no longer for a third-party assistant than for the gatekeeper’s own assistant.',
  references: [DMA_6_5, DMA_6_7, EC_INTERIM, cloudApi('messages')],
  requires: ['businessApi', 'recipient'],
  run: (ctx) => outboundStream(ctx),
  plan: (ctx) => streamPlans(ctx, SEND_LATENCY),
  analyse(observations, ctx) {
    const plan = streamPlanOrError({ check: sendLatency, observations, ctx, stream: 'outbound' }, SEND_KIND, (p) =>
      p.timedTypes.map((t) => [t, t]),
    );
    if (!isPlan(plan)) return [plan];
    const order = (variant: string): number => {
      const index = (LATENCY_TYPES as readonly string[]).indexOf(variant);
      return index === -1 ? LATENCY_TYPES.length : index;
    };
    const types = [...plan.timedTypes].sort((a, b) => order(a) - order(b));
    return types.flatMap((type) =>
      compareAll(sendLatency, observations, ctx, plan, {
        stream: 'outbound',
        variant: type,
        streamVariant: type,
        sampleKind: SEND_KIND,
        metric: `send-message latency (${type})`,
      }),
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
  run: (ctx) => inboundStream(ctx),
  plan: (ctx) => streamPlans(ctx, INBOUND_LATENCY),
  analyse(observations, ctx) {
    const plan = streamPlanOrError(
      { check: inboundLatency, observations, ctx, stream: 'inbound' },
      INBOUND_KIND,
      () => [['inbound', 'inbound']],
    );
    if (!isPlan(plan)) return [plan];
    return compareAll(inboundLatency, observations, ctx, plan, {
      stream: 'inbound',
      variant: 'inbound',
      streamVariant: 'inbound',
      sampleKind: INBOUND_KIND,
      metric: 'inbound message delivery latency',
    });
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
  run: (ctx) => outboundStream(ctx),
  plan: (ctx) => streamPlans(ctx, STATUS_LATENCY),
  analyse(observations, ctx) {
    const plan = streamPlanOrError({ check: statusLatency, observations, ctx, stream: 'outbound' }, STATUS_KIND, () =>
      STATUSES.map((s) => [s, 'text']),
    );
    if (!isPlan(plan)) return [plan];
    return STATUSES.flatMap((status) => {
      const isReceived = observations.some(
        (o) => o.kind === STATUS_KIND && o.variant === status && o.outcome === 'ok' && (o.round ?? 0) >= 0,
      );
      if (!isReceived) return [noStatusAtAll(statusLatency, ctx, status)];
      return compareAll(statusLatency, observations, ctx, plan, {
        stream: 'outbound',
        variant: status,
        streamVariant: 'text',
        sampleKind: STATUS_KIND,
        metric: `'${status}' status callback latency`,
      });
    });
  },
  analyseStrata: (strata, ctx) => latencyStrata(statusLatency, strata, ctx, (s) => `'${s}' status callback latency`),
});

/** The latency checks, in catalogue order. */
export const latencyChecks: CheckDefinition[] = [sendLatency, inboundLatency, statusLatency];

interface VariantSpec {
  stream: StreamName;
  variant: string;
  streamVariant: string;
  sampleKind: string;
  metric: string;
}

function isPlan(value: StreamPlan | FindingDraft): value is StreamPlan {
  return 'stream' in value && 'design' in value;
}

/** One finding per subject for one variant. */
function compareAll(
  check: CheckDefinition,
  observations: readonly Observation[],
  ctx: AnalysisContext,
  plan: StreamPlan,
  spec: VariantSpec,
): FindingDraft[] {
  return ctx.subjects.map((subject) =>
    streamLatencyFinding(
      {
        check,
        observations,
        ctx,
        stream: spec.stream,
        subject,
        metric: spec.metric,
        comparison: {
          check: check.id,
          variant: spec.variant,
          streamVariant: spec.streamVariant,
          subject: subject.id,
          kind: 'latency',
          sampleKind: spec.sampleKind,
        },
      },
      plan,
      (referenceSamples, subjectSamples, extra: JsonObject) =>
        compareLatency({
          check,
          metric: spec.metric,
          variant: spec.variant,
          subject,
          reference: ctx.reference,
          subjectSamples,
          referenceSamples,
          ctx,
          extra,
        }),
    ),
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

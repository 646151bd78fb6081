/** PAR-LAT-*: latency parity, measured open-loop with randomised interleaving of cohorts. */
import { defineCheck, type CheckContext } from '../../src/engine/check.js';
import type { Observation } from '../../src/types.js';
import { graphErrorCode } from '../lib/graph.js';
import { compareLatency } from '../lib/latency-compare.js';
import { DMA_6_5, DMA_6_7, EC_INTERIM, cloudApi } from '../lib/references.js';

const SEND_LATENCY = 'PAR-LAT-001';

/** Offered rate for latency probes: far below any rate limit, and never above half the budget. */
export function latencyRate(ctx: CheckContext): number {
  return Math.min(ctx.config.analysis.latencyRps, ctx.config.limits.maxRps / 2);
}

/** Samples per cohort for this run (`--quick` takes fewer). */
export function sampleCount(ctx: CheckContext): number {
  return ctx.isQuick ? Math.min(60, ctx.config.analysis.samples) : ctx.config.analysis.samples;
}

const sendLatency = defineCheck({
  id: SEND_LATENCY,
  title: 'Send-message latency parity',
  suite: 'parity',
  description: 'Sending a message takes no longer for a third-party assistant than for the gatekeeper’s own assistant.',
  references: [DMA_6_5, DMA_6_7, EC_INTERIM, cloudApi('messages')],
  requires: ['businessApi', 'recipient'],
  async run(ctx) {
    const to = ctx.config.recipient?.waId ?? '';
    const report = await ctx.scheduler.interleave(
      { cohorts: ctx.cohorts.map((c) => c.id), rounds: sampleCount(ctx), warmupRounds: ctx.config.analysis.warmup, ratePerSec: latencyRate(ctx), rng: ctx.rng.fork(`${SEND_LATENCY}:text`) },
      async (slot) => {
        const body = { type: 'text', text: { body: `dma-audit latency probe ${slot.round}` } };
        const exchange = await ctx.business(slot.cohort).sendMessage(to, body, { check: SEND_LATENCY, scheduledNs: slot.scheduledNs });
        ctx.record({
          check: SEND_LATENCY, variant: 'text', cohort: slot.cohort, kind: 'latency', round: slot.round,
          scheduledNs: slot.scheduledNs, sentNs: exchange.sentNs, latencyUs: exchange.latencyUs, outcome: exchange.outcome,
          exchanges: exchange.id === '' ? [] : [exchange.id],
          data: { status: exchange.status, errorCode: graphErrorCode(exchange.json) },
        });
      },
    );
    ctx.log(`${SEND_LATENCY}: ${report.launched} requests launched`);
  },
  analyse(observations, ctx) {
    const samples = observations.filter((o) => o.kind === 'latency');
    const of = (cohort: string, variant: string): Observation[] => samples.filter((o) => o.cohort === cohort && o.variant === variant);
    const variants = [...new Set(samples.map((o) => o.variant ?? 'text'))];
    return variants.flatMap((variant) =>
      ctx.subjects.map((subject) =>
        compareLatency({
          check: sendLatency, metric: `send-message latency (${variant})`, variant, subject, reference: ctx.reference,
          subjectSamples: of(subject.id, variant), referenceSamples: of(ctx.reference.id, variant), ctx,
        }),
      ),
    );
  },
});

/** The latency checks, in catalogue order. */
export const latencyChecks = [sendLatency];

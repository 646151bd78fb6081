/**
 * PAR-ERR-001: success/error rate under identical traffic. Every round each cohort sends the same text
 * message, in a randomly interleaved open-loop order at the latency-probe rate, so load, drift and
 * the platform's shared faults fall on every cohort alike; the check runs its own traffic so it can
 * be selected alone. Errors are the target's failures (HTTP errors, timeouts, resets, network
 * errors); requests the harness itself withheld (budget, cancellation) are not counted.
 */
import { defineCheck, type CheckDefinition } from '../../../src/engine/check.js';
import { graphErrorCode } from '../../../src/targets/whatsapp/graph-errors.js';
import { compareErrorRates, type OutcomeCounts } from './compare.js';
import { latencyRate, recordSlip, sampleCount } from '../../shared/probe-rounds.js';
import { DMA_6_5, DMA_6_7, EC_INTERIM, cloudApi } from '../../shared/references.js';
import type { Observation } from '../../../src/core/types.js';

const ERROR_RATE = 'PAR-ERR-001';

/** Outcomes that say nothing about the target: the harness did not send the request. */
const NOT_SENT = new Set(['budget-exhausted', 'cancelled']);

const errorRate = defineCheck({
  id: ERROR_RATE,
  title: 'Success rate parity',
  suite: 'parity',
  description:
    'Under identical, interleaved traffic, a third-party assistant’s messages fail no more often than the gatekeeper’s own assistant’s.',
  references: [DMA_6_5, DMA_6_7, EC_INTERIM, cloudApi('messages')],
  requires: ['businessApi', 'recipient'],
  async run(ctx) {
    const to = ctx.config.recipient?.waId ?? '';
    const options = {
      cohorts: ctx.cohorts.map((c) => c.id),
      rounds: sampleCount(ctx),
      warmupRounds: ctx.config.analysis.warmup,
      ratePerSec: latencyRate(ctx),
      rng: ctx.rng.fork(`${ERROR_RATE}:text`),
    };
    const report = await ctx.scheduler.interleave(options, async (slot) => {
      const body = { type: 'text', text: { body: `dma-audit success-rate probe ${slot.round}` } };
      const exchange = await ctx
        .business(slot.cohort)
        .sendMessage(to, body, { check: ERROR_RATE, scheduledNs: slot.scheduledNs });
      ctx.record({
        check: ERROR_RATE,
        variant: 'text',
        cohort: slot.cohort,
        kind: 'outcome',
        round: slot.round,
        scheduledNs: slot.scheduledNs,
        sentNs: exchange.sentNs,
        latencyUs: exchange.latencyUs,
        outcome: exchange.outcome,
        exchanges: exchange.id === '' ? [] : [exchange.id],
        data: { status: exchange.status, errorCode: graphErrorCode(exchange.json) },
      });
    });
    recordSlip(ctx, ERROR_RATE, report, 'text');
  },
  analyse(observations, ctx) {
    const counted = observations.filter(
      (o) => o.kind === 'outcome' && (o.round ?? 0) >= 0 && o.outcome !== undefined && !NOT_SENT.has(o.outcome),
    );
    const countsOf = (cohort: string): OutcomeCounts => counts(counted.filter((o) => o.cohort === cohort));
    return ctx.subjects.map((subject) =>
      compareErrorRates({
        check: errorRate,
        subject,
        reference: ctx.reference,
        subjectCounts: countsOf(subject.id),
        referenceCounts: countsOf(ctx.reference.id),
        ctx,
      }),
    );
  },
});

/** The PAR-ERR-* checks, in catalogue order. */
export const errorRateChecks: CheckDefinition[] = [errorRate];

function counts(samples: readonly Observation[]): OutcomeCounts {
  const byError: Record<string, number> = {};
  const evidence: string[] = [];
  for (const sample of samples) {
    if (sample.outcome === 'ok') continue;
    const code = sample.data?.errorCode;
    const key =
      typeof code === 'number'
        ? `error ${code}`
        : sample.outcome === 'http-error'
          ? `HTTP ${String(sample.data?.status ?? '?')}`
          : String(sample.outcome);
    byError[key] = (byError[key] ?? 0) + 1;
    if (evidence.length < 3) evidence.push(...(sample.exchanges ?? []));
  }
  const errors = Object.values(byError).reduce((sum, n) => sum + n, 0);
  return { n: samples.length, errors, byError, evidence };
}

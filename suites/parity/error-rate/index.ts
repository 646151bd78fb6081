/**
 * PAR-ERR-001: success/error rate under identical traffic. The outcomes are those of the outbound
 * stream's text sends (suites/shared/stream/): every round each cohort sends the same text message, in
 * a randomly interleaved open-loop order, so load, drift and the platform's shared faults fall on every
 * cohort alike. Errors are the target's failures (HTTP errors, timeouts, resets, network errors);
 * requests the harness itself withheld (budget, cancellation) are not counted.
 */
import { defineCheck, type CheckDefinition } from '../../../src/engine/check.js';
import { compareErrorRates, ERROR_MARGIN_PP, type OutcomeCounts } from './compare.js';
import { DMA_6_5, DMA_6_7, EC_INTERIM, cloudApi } from '../../shared/references.js';
import type { FindingDraft, Observation } from '../../../src/core/types.js';
import { outboundStream } from '../../shared/stream/streams.js';
import { streamErrorRateFinding, streamPlanOrError } from '../../shared/stream/findings.js';
import { ERROR_RATE, SEND_KIND, type StreamPlan } from '../../shared/stream/plan.js';
import { streamPlans } from '../../shared/stream/dry-run.js';

const errorRate = defineCheck({
  id: ERROR_RATE,
  title: 'Success rate parity',
  suite: 'parity',
  description:
    'Under identical, interleaved traffic, a third-party assistant’s messages fail no more often than the gatekeeper’s own assistant’s.',
  references: [DMA_6_5, DMA_6_7, EC_INTERIM, cloudApi('messages')],
  requires: ['businessApi', 'recipient'],
  run: (ctx) => outboundStream(ctx),
  plan: (ctx) => streamPlans(ctx, ERROR_RATE),
  analyse(observations, ctx) {
    const plan = streamPlanOrError({ check: errorRate, observations, ctx, stream: 'outbound' }, SEND_KIND, () => [
      ['text', 'text'],
    ]);
    if (!isPlan(plan)) return [plan];
    return ctx.subjects.map((subject) =>
      streamErrorRateFinding(
        {
          check: errorRate,
          observations,
          ctx,
          stream: 'outbound',
          subject,
          metric: 'error rate',
          comparison: {
            check: ERROR_RATE,
            variant: 'text',
            streamVariant: 'text',
            subject: subject.id,
            kind: 'error-rate',
            sampleKind: SEND_KIND,
          },
        },
        plan,
        (reference, subjectSamples) =>
          compareErrorRates({
            check: errorRate,
            subject,
            reference: ctx.reference,
            subjectCounts: counts(subjectSamples),
            referenceCounts: counts(reference),
            ctx,
          }),
        ERROR_MARGIN_PP,
      ),
    );
  },
});

/** The PAR-ERR-* checks, in catalogue order. */
export const errorRateChecks: CheckDefinition[] = [errorRate];

function isPlan(value: StreamPlan | FindingDraft): value is StreamPlan {
  return 'stream' in value && 'design' in value;
}

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

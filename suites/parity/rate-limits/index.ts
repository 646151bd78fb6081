/**
 * PAR-RL-*: the same rate limits for a third-party assistant as for the gatekeeper's own assistant,
 * as advertised in headers (PAR-RL-001) and as measured by a bounded probe (PAR-RL-002).
 */
import { defineCheck, type CheckContext } from '../../../src/engine/check.js';
import type { Finding, FindingDraft, JsonObject } from '../../../src/core/types.js';
import { pickRateHeaders } from './headers.js';
import { DMA_6_5, DMA_6_7, EC_INTERIM, cloudApi } from '../../shared/references.js';
import { exchangeIds, sendFacts, sendRounds } from '../../shared/send.js';
import { cohortAdvert, compareAdverts, quotaText, type CohortAdvert } from './advertised.js';
import { compareBurst, compareRate } from './compare.js';
import { estimateThrottle } from './estimate.js';
import { PROBE, runThrottleProbe } from './probe.js';
import { findingHead } from '../../shared/finding.js';

const ADVERTISED = 'PAR-RL-001';
const EMPIRICAL = 'PAR-RL-002';
const REFERENCES = [DMA_6_5, DMA_6_7, EC_INTERIM, cloudApi('throughput')];

const advertised = defineCheck({
  id: ADVERTISED,
  title: 'Advertised rate limits parity',
  suite: 'parity',
  description:
    'The rate limits the platform advertises in ' +
    'response headers (RateLimit, X-RateLimit-*, Meta ' +
    'usage headers) are no lower for a third-party ' +
    'assistant than for the gatekeeper’s own assistant.',
  references: REFERENCES,
  requires: ['businessApi', 'recipient'],
  async run(ctx) {
    await sendRounds(ctx, {
      check: ADVERTISED,
      rounds: ctx.isQuick ? 3 : 5,
      perCohortRps: 5,
      message: (round) => ({ type: 'text', text: { body: `dma-audit rate header probe ${round}` } }),
      onAnswer: (slot, exchange) =>
        ctx.record({
          check: ADVERTISED,
          cohort: slot.cohort,
          kind: 'advert',
          round: slot.round,
          outcome: exchange.outcome,
          exchanges: exchangeIds(exchange),
          data: { ...sendFacts(exchange), rateHeaders: pickRateHeaders(exchange.headers) },
        }),
    });
  },
  analyse(observations, ctx) {
    const ref = cohortAdvert(observations, ctx.reference.id);
    return ctx.subjects.map((subject) =>
      compareAdvertised(subject, cohortAdvert(observations, subject.id), ref, ctx.reference),
    );
  },
});

function compareAdvertised(
  subject: { id: string; label: string },
  sub: CohortAdvert,
  ref: CohortAdvert,
  reference: { id: string; label: string },
): Finding {
  const differences = compareAdverts(ref, sub);
  const measurements: JsonObject = {
    advertised: { reference: ref as unknown as JsonObject, subject: sub as unknown as JsonObject },
    differences: differences as unknown as JsonObject[],
    usagePct: { reference: ref.maxUsagePct, subject: sub.maxUsagePct },
  };
  const head = {
    ...findingHead(advertised, subject.id, reference.id),
    measurements,
    evidence: [sub.evidence, ref.evidence].filter((id): id is string => id !== null),
  };
  const worse = differences.filter((d) => d.isWorse);
  if (worse.length > 0) {
    const list = worse.map((d) => `${d.policy} ${quotaText(d.subject)} vs ${quotaText(d.reference)}`).join('; ');
    return {
      ...head,
      verdict: 'fail',
      summary: `The platform advertises lower limits to ${subject.label} than to ${reference.label}: ${list}.`,
    };
  }
  if (differences.length === 0) {
    if (sub.answers === 0 || ref.answers === 0)
      return {
        ...head,
        verdict: 'error',
        reason: 'no answers to read headers from',
        summary: `No answers from the platform to read rate-limit headers from.`,
      };
    return {
      ...head,
      verdict: 'skip',
      reason: 'no rate-limit headers advertised',
      summary: `Skipped: the platform advertises no rate limits to ${subject.label} or ${reference.label} (PAR-RL-002 measures them).`,
    };
  }
  const oneSided = differences.filter((d) => d.reference === null || d.subject === null);
  if (oneSided.length > 0) {
    return {
      ...head,
      verdict: 'warn',
      summary:
        `Advertised limits differ in kind: ` +
        `${oneSided.map((d) => `${d.policy} (${subject.label}: ${quotaText(d.subject)}, ${reference.label}: ${quotaText(d.reference)})`).join('; ')}.`,
    };
  }
  return {
    ...head,
    verdict: 'pass',
    summary:
      `Advertised limits for ${subject.label} ` +
      `are no lower than for ${reference.label} ` +
      `(${differences.map((d) => `${d.policy} ${quotaText(d.subject)}`).join('; ')}).`,
  };
}

/** Probe parameters from the run's limits: the offered rate and the request share stay under the budget. */
export function probePlan(ctx: CheckContext): {
  ratePerCohort: number;
  maxRequestsPerCohort: number;
  maxDurationMs: number;
} {
  const n = ctx.cohorts.length;
  const { maxRps, maxRequests, maxRequestsPerCohort } = ctx.config.limits;
  const share = Math.min(
    (maxRequests * 0.25) / n,
    maxRequestsPerCohort === null ? Number.POSITIVE_INFINITY : maxRequestsPerCohort * 0.5,
    1500,
  );
  return {
    ratePerCohort: (0.9 * maxRps) / n,
    maxRequestsPerCohort: Math.max(1, Math.floor(share)),
    maxDurationMs: ctx.isQuick ? 2500 : 4000,
  };
}

const empirical = defineCheck({
  id: EMPIRICAL,
  title: 'Empirical throughput limit parity',
  suite: 'parity',
  description:
    'A bounded probe, offering every cohort the same rate ' +
    'in the same time windows and honouring Retry-After, ' +
    'finds no lower sustained rate or burst for a third-party ' +
    'assistant than for the gatekeeper’s own assistant.',
  references: REFERENCES,
  requires: ['businessApi', 'recipient'],
  async run(ctx) {
    const plan = probePlan(ctx);
    await runThrottleProbe(ctx, {
      check: EMPIRICAL,
      cohorts: ctx.cohorts.map((c) => c.id),
      ...plan,
      episodes: 3,
      settleMs: ctx.isQuick ? 500 : 1000,
      rng: ctx.rng.fork(EMPIRICAL),
    });
  },
  analyse(observations, ctx) {
    const ref = estimateThrottle(observations, ctx.reference.id);
    const evidenceOf = (cohort: string): string[] =>
      observations
        .filter((o) => o.kind === PROBE && o.cohort === cohort && o.data?.isEpisodeStart === true)
        .slice(0, 2)
        .flatMap((o) => o.exchanges ?? []);
    return ctx.subjects.flatMap((subject): FindingDraft[] => {
      const pair = {
        check: empirical,
        subject,
        reference: ctx.reference,
        sub: estimateThrottle(observations, subject.id),
        ref,
        evidence: [...evidenceOf(subject.id), ...evidenceOf(ctx.reference.id)],
        ctx,
      };
      return [compareRate(pair), compareBurst(pair)];
    });
  },
});

/** The PAR-RL-* checks, in catalogue order. */
export const rateLimitChecks = [advertised, empirical];

/** PAR-POL-*: the platform does not refuse a third-party assistant's traffic on policy grounds (the Oct 2025 ban). */
import { defineCheck } from '../../../src/engine/check.js';
import type { Finding, Observation } from '../../../src/core/types.js';
import { DMA_6_7, EC_INTERIM, cloudApi } from '../../shared/references.js';
import { exchangeIds, numberField, sendFacts, sendRounds, stringField } from '../../shared/send.js';
import { findingHead } from '../../shared/finding.js';

const POLICY = 'PAR-POL-001';

/**
 * Graph codes that refuse traffic on policy or permission grounds: 368 blocked for policy violations,
 * 131049 not delivered "to maintain healthy ecosystem engagement", 131031 account locked, 130497
 * messaging restricted, 3/10/200 capability or permission refused.
 */
export const POLICY_CODES: readonly number[] = [368, 131049, 131031, 130497, 3, 10, 200];

/** Refusal texts that name the policy even under another code. */
const POLICY_TEXT = /\bAI provider|polic(y|ies)/i;

/** Whether an answer is a policy refusal. */
export function isPolicyRejection(errorCode: number | null, errorMessage: string | null): boolean {
  return (
    (errorCode !== null && POLICY_CODES.includes(errorCode)) ||
    (errorCode !== null && errorMessage !== null && POLICY_TEXT.test(errorMessage))
  );
}

interface Tally {
  answered: number;
  accepted: number;
  rejected: Observation[];
}

/**
 * Decisive answers only: an acceptance (ok) or a refusal (4xx). A 5xx, a reset or a body that is not
 * an answer says nothing about policy, so it neither counts as served nor as refused.
 */
function isDecisive(o: Observation): boolean {
  const status = numberField(o.data?.status) ?? 0;
  return o.outcome === 'ok' || (o.outcome === 'http-error' && status >= 400 && status < 500);
}

function tally(observations: readonly Observation[], cohort: string): Tally {
  const mine = observations.filter((o) => o.cohort === cohort && o.kind === 'send' && isDecisive(o));
  const rejected = mine.filter((o) =>
    isPolicyRejection(numberField(o.data?.errorCode), stringField(o.data?.errorMessage)),
  );
  return { answered: mine.length, accepted: mine.filter((o) => o.outcome === 'ok').length, rejected };
}

const policyBlock = defineCheck({
  id: POLICY,
  title: 'No policy block of third-party assistants',
  suite: 'parity',
  description:
    'The platform does not refuse a third-party ' +
    'assistant’s messages on policy grounds (error 368, ' +
    '131049 or any refusal naming AI providers) ' +
    'while the gatekeeper’s own assistant is served.',
  references: [DMA_6_7, EC_INTERIM, cloudApi('error codes')],
  requires: ['businessApi', 'recipient'],
  async run(ctx) {
    await sendRounds(ctx, {
      check: POLICY,
      rounds: ctx.isQuick ? 5 : 10,
      perCohortRps: 10,
      message: (round) => ({ type: 'text', text: { body: `dma-audit policy probe ${round}` } }),
      onAnswer: (slot, exchange) =>
        ctx.record({
          check: POLICY,
          cohort: slot.cohort,
          kind: 'send',
          round: slot.round,
          outcome: exchange.outcome,
          exchanges: exchangeIds(exchange),
          data: sendFacts(exchange),
        }),
    });
  },
  analyse(observations, ctx) {
    const reference = tally(observations, ctx.reference.id);
    return ctx.subjects.map((subject): Finding => {
      const mine = tally(observations, subject.id);
      const base = findingHead(policyBlock, subject.id, ctx.reference.id);
      const first = mine.rejected[0] ?? reference.rejected[0];
      const measurements = {
        answered: { reference: reference.answered, subject: mine.answered },
        accepted: { reference: reference.accepted, subject: mine.accepted },
        rejections: { reference: reference.rejected.length, subject: mine.rejected.length },
        codes: { reference: codeCounts(reference.rejected), subject: codeCounts(mine.rejected) },
        firstRejection:
          first === undefined
            ? null
            : {
                cohort: first.cohort,
                code: numberField(first.data?.errorCode),
                message: stringField(first.data?.errorMessage),
                exchange: first.exchanges?.[0] ?? null,
              },
      };
      const evidence = [...mine.rejected, ...reference.rejected].slice(0, 5).flatMap((o) => o.exchanges ?? []);
      if (mine.answered === 0)
        return {
          ...base,
          verdict: 'inconclusive',
          summary: `No answered message from ${subject.label}, so policy refusals could not be observed.`,
          measurements,
          evidence,
        };
      if (mine.rejected.length === 0 && mine.accepted === 0)
        return {
          ...base,
          verdict: 'inconclusive',
          summary:
            `No message from ${subject.label} was accepted (${mine.answered} refused for other ` +
            `reasons), so the absence of policy refusals shows nothing.`,
          measurements,
          evidence,
        };
      if (mine.rejected.length === 0) {
        return {
          ...base,
          verdict: 'pass',
          summary: `No policy refusal of ${subject.label} in ${mine.answered} answered messages.`,
          measurements,
          evidence,
        };
      }
      const what = describeRejection(mine.rejected[0]);
      if (reference.rejected.length > 0) {
        return {
          ...base,
          verdict: 'warn',
          summary:
            `Both ${subject.label} (${mine.rejected.length}/${mine.answered}) ` +
            `and ${ctx.reference.label} ` +
            `(${reference.rejected.length}/${reference.answered}) were refused on ` +
            `policy grounds (${what}); not discriminatory, but the service is blocked.`,
          measurements,
          evidence,
        };
      }
      return {
        ...base,
        verdict: 'fail',
        summary:
          `The platform refused ${mine.rejected.length} ` +
          `of ${mine.answered} messages ` +
          `from ${subject.label} with ${what}; ` +
          `${ctx.reference.label} was never refused.`,
        measurements,
        evidence,
      };
    });
  },
});

function describeRejection(observation: Observation | undefined): string {
  const code = numberField(observation?.data?.errorCode);
  const message = stringField(observation?.data?.errorMessage);
  return `error ${code ?? '?'}${message === null ? '' : ` (“${message}”)`}`;
}

function codeCounts(rejected: readonly Observation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of rejected) {
    const key = String(numberField(o.data?.errorCode) ?? 'unknown');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The PAR-POL-* checks, in catalogue order. */
export const policyChecks = [policyBlock];

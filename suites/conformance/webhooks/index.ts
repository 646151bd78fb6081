/**
 * CONF-WH-*: the webhook override handshake, signatures and payloads
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks). The engine records the
 * handshake and every delivery when it opens the receiver, through ./observer.ts.
 */
import { defineCheck } from '../../../src/engine/check.js';
import type { Observation } from '../../../src/core/types.js';
import { graphErrorCode } from '../../../src/targets/whatsapp/graph-errors.js';
import { DMA_6_7, cloudApi } from '../../shared/references.js';
import {
  cohortFinding,
  count,
  describeViolations,
  everyCohort,
  exchangeOf,
  samplesOf,
  violationMeasurements,
  violationsOf,
} from '../findings.js';
import { provokeWebhooks } from './provoke.js';

const overrideHandshake = defineCheck({
  id: 'CONF-WH-001',
  title: 'Webhook override and hub verification work',
  suite: 'conformance',
  description:
    'Pointing each cohort’s number at the harness ' +
    '(webhook_configuration.override_callback_uri) ' +
    'is accepted, and the platform first verifies ' +
    'the callback with the hub challenge.',
  references: [cloudApi('webhook override'), DMA_6_7],
  requires: ['businessApi', 'webhook'],
  async run(ctx) {
    // The override is sent when the receiver opens, before any check, since every webhook check depends on it.
    ctx.log(`CONF-WH-001: ${ctx.webhooks().verifications().length} hub verification request(s) so far`);
  },
  analyse(observations, ctx) {
    return everyCohort(ctx).map((cohort) => {
      const [override] = samplesOf(observations, cohort.id, 'webhook-override');
      if (override === undefined) {
        return cohortFinding(overrideHandshake, cohort.id, {
          verdict: 'inconclusive',
          summary: `No webhook override was sent for ${cohort.label}.`,
          measurements: {},
          evidence: [],
        });
      }
      const problems = handshakeProblems(override);
      const data = override.data ?? {};
      const measurements = {
        status: data.status ?? null,
        hubGets: data.hubGets ?? 0,
        isChallengeAnswered: data.isChallengeAnswered ?? false,
        body: data.body ?? null,
        problems,
      };
      const evidence = override.exchanges ?? [];
      if (override.outcome === 'budget-exhausted' || override.outcome === 'cancelled') {
        return cohortFinding(overrideHandshake, cohort.id, {
          verdict: 'inconclusive',
          summary: `The webhook override for ${cohort.label} was not sent (${override.outcome}).`,
          measurements,
          evidence,
        });
      }
      if (UNREACHED.has(override.outcome ?? '')) {
        // No answer at all is a network fact, not a platform refusal: a regulator's file must not say otherwise.
        return cohortFinding(overrideHandshake, cohort.id, {
          verdict: 'inconclusive',
          summary: `The webhook override for ${cohort.label} got no answer (${override.outcome ?? 'no outcome'}), so the handshake could not be judged.`,
          measurements,
          evidence,
        });
      }
      if (problems.length > 0) {
        return cohortFinding(overrideHandshake, cohort.id, {
          verdict: 'fail',
          summary: `The webhook handshake for ${cohort.label} failed: ${problems.join('; ')}.`,
          measurements,
          evidence,
        });
      }
      return cohortFinding(overrideHandshake, cohort.id, {
        verdict: 'pass',
        summary: `The platform verified the harness's callback for ${cohort.label} with the hub challenge and accepted the override.`,
        measurements,
        evidence,
      });
    });
  },
});

/** Outcomes that mean the override never got an answer from the platform. */
const UNREACHED = new Set(['timeout', 'reset', 'refused', 'network-error']);

/** What went wrong in one override, in words (empty when nothing did). */
function handshakeProblems(override: Observation): string[] {
  const data = override.data ?? {};
  const status = Number(data.status ?? 0);
  const problems: string[] = [];
  if (status < 200 || status >= 300) {
    const code = graphErrorCode(data.body);
    problems.push(
      status === 0
        ? `the override request got no answer (${override.outcome ?? 'no outcome'})`
        : `the override was answered HTTP ${status}${code === null ? '' : ` (error ${code})`}`,
    );
  } else if ((data.body as { success?: unknown } | null)?.success !== true) {
    problems.push('the override answer is not {"success":true}');
  }
  if (Number(data.hubGets ?? 0) === 0) problems.push('the platform never sent the hub verification GET');
  else if (data.isChallengeAnswered !== true)
    problems.push('the hub verification GET did not carry the configured verify token');
  return problems;
}

const signatures = defineCheck({
  id: 'CONF-WH-002',
  title: 'Every webhook carries a valid X-Hub-Signature-256',
  suite: 'conformance',
  description:
    'Every webhook POST the harness receives for a ' +
    'cohort is signed with HMAC-SHA256 of the raw ' +
    'body under the app secret; unsigned or forged ' +
    'ones are rejected (401) and kept as evidence.',
  references: [cloudApi('webhooks: validate payloads'), DMA_6_7],
  requires: ['businessApi', 'webhook', 'recipient'],
  async run(ctx) {
    await provokeWebhooks(ctx, 'CONF-WH-002');
  },
  analyse(observations, ctx) {
    const findings = everyCohort(ctx).map((cohort) => {
      const deliveries = samplesOf(observations, cohort.id, 'webhook-delivery');
      const rejected = deliveries.filter((o) => o.data?.signature !== 'valid');
      const measurements = {
        deliveries: deliveries.length,
        rejected: rejected.length,
        missing: rejected.filter((o) => o.data?.signature === 'missing').length,
        invalid: rejected.filter((o) => o.data?.signature !== 'missing').length,
      };
      if (rejected.length > 0) {
        return cohortFinding(signatures, cohort.id, {
          verdict: 'fail',
          summary:
            `${count(rejected.length, 'webhook')} ` +
            `of ${deliveries.length} for ` +
            `${cohort.label} had a missing or invalid ` +
            `X-Hub-Signature-256 and were rejected.`,
          measurements,
          evidence: rejected.map(exchangeOf),
        });
      }
      if (deliveries.length === 0) {
        return cohortFinding(signatures, cohort.id, {
          verdict: 'inconclusive',
          summary: `No webhook arrived for ${cohort.label}${probeNote(observations, cohort.id)}, so no signature could be checked.`,
          measurements,
          evidence: probeEvidence(observations, cohort.id),
        });
      }
      return cohortFinding(signatures, cohort.id, {
        verdict: 'pass',
        summary: `All ${count(deliveries.length, 'webhook')} for ${cohort.label} carried a valid X-Hub-Signature-256.`,
        measurements,
        evidence: deliveries.slice(0, 10).map(exchangeOf),
      });
    });
    const stray = samplesOf(observations, '*', 'webhook-delivery');
    if (stray.length === 0) return findings;
    const strayRejected = stray.filter((o) => o.data?.signature !== 'valid').length;
    return [
      ...findings,
      cohortFinding(signatures, null, {
        verdict: 'warn',
        summary:
          `${count(stray.length, 'webhook')} could ` +
          `not be attributed to any cohort's phone ` +
          `number (${strayRejected} of them rejected ` +
          `for a missing or invalid signature).`,
        measurements: { deliveries: stray.length, rejected: strayRejected },
        evidence: stray.map(exchangeOf),
      }),
    ];
  },
});

const payloads = defineCheck({
  id: 'CONF-WH-003',
  title: 'Webhook payloads conform to the Cloud API',
  suite: 'conformance',
  description:
    'Every authentic webhook body for a ' +
    'cohort has the published shape: object, ' +
    'entry[].changes[].value with metadata, messages[] ' +
    'and statuses[] (with per-message pricing).',
  references: [cloudApi('webhooks: payload components'), DMA_6_7],
  requires: ['businessApi', 'webhook', 'recipient'],
  async run(ctx) {
    await provokeWebhooks(ctx, 'CONF-WH-003');
  },
  analyse(observations, ctx) {
    return everyCohort(ctx).map((cohort) => {
      const all = samplesOf(observations, cohort.id, 'webhook-payload');
      const bodies = all.filter((o) => o.data?.isOmitted !== true);
      const violations = violationsOf(
        'webhook-payload.schema.json',
        bodies.map((o) => ({ body: o.data?.isJson === true ? o.data.payload : undefined, exchange: exchangeOf(o) })),
      );
      const measurements = {
        payloads: bodies.length,
        ...(all.length > bodies.length ? { omitted: all.length - bodies.length } : {}),
        ...violationMeasurements(violations),
      };
      if (violations.length > 0) {
        return cohortFinding(payloads, cohort.id, {
          verdict: 'fail',
          summary: `${count(violations.length, 'schema violation')} in the webhooks for ${cohort.label}: ${describeViolations(violations)}.`,
          measurements,
          evidence: violations.map((v) => v.exchange),
        });
      }
      if (bodies.length === 0) {
        return cohortFinding(payloads, cohort.id, {
          verdict: 'inconclusive',
          summary: `No authentic webhook arrived for ${cohort.label}${probeNote(observations, cohort.id)}, so no payload could be checked.`,
          measurements,
          evidence: probeEvidence(observations, cohort.id),
        });
      }
      return cohortFinding(payloads, cohort.id, {
        verdict: 'pass',
        summary: `All ${count(bodies.length, 'webhook payload')} for ${cohort.label} conform to the Cloud API schema.`,
        measurements,
        evidence: bodies.slice(0, 10).map(exchangeOf),
      });
    });
  },
});

/** Why no webhook came: the probe was refused, or nothing arrived within the wait ("" when no probe was sent). */
function probeNote(observations: readonly Observation[], cohort: string): string {
  const probe = samplesOf(observations, cohort, 'webhook-probe')[0];
  if (probe === undefined) return '';
  const status = Number(probe.data?.status ?? 0);
  if (status < 200 || status >= 300) {
    const code = probe.data?.errorCode;
    return (
      ` (the probe message that should have caused one was refused: ` +
      `${status === 0 ? String(probe.outcome ?? 'no answer') : `HTTP ${status}`}${typeof code === 'number' ? `, error ${code}` : ''})`
    );
  }
  return ` (a probe message was accepted, then nothing came within ${String(probe.data?.waitedMs ?? 0)} ms)`;
}

function probeEvidence(observations: readonly Observation[], cohort: string): string[] {
  return samplesOf(observations, cohort, 'webhook-probe').flatMap((o) => o.exchanges ?? []);
}

/** CONF-WH-001, CONF-WH-002 and CONF-WH-003. */
export const webhookChecks = [overrideHandshake, signatures, payloads];

/**
 * CONF-API-001/002: the Cloud API's send-message answers have the published shape
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages), success and error alike.
 */
import { HARNESS_PROBE_TOKENS } from '../../../src/evidence/redact.js';
import { defineCheck, type CheckContext } from '../../../src/engine/check.js';
import type { HttpExchange } from '../../../src/http/types.js';
import { withBackoff } from '../../../src/targets/whatsapp/graph-errors.js';
import type { OutboundMessage } from '../../../src/targets/types.js';
import { createWhatsAppCloud } from '../../../src/targets/whatsapp/cloud.js';
import type { JsonValue, Observation } from '../../../src/core/types.js';
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

/** A number in the range reserved for fiction (+1 555-555-01xx): it can reach no one. */
export const UNREACHABLE_NUMBER = '15555550199';
const INVALID_TOKEN = HARNESS_PROBE_TOKENS[0] ?? 'dma-audit-deliberately-invalid-token';

/** The answer that counts (the last attempt) and every attempt's HAR id. */
function settled(attempts: HttpExchange[]): { final: HttpExchange; ids: string[] } {
  return {
    final: attempts[attempts.length - 1] as HttpExchange,
    ids: attempts.map((a) => a.id).filter((id) => id !== ''),
  };
}

/** The parsed body as recorded JSON (null when it was not JSON). */
function bodyOf(exchange: HttpExchange): JsonValue {
  return exchange.json === undefined ? null : (exchange.json as JsonValue);
}

const isSuccess = (o: Observation): boolean =>
  typeof o.data?.status === 'number' && o.data.status >= 200 && o.data.status < 300;

const sendConformance = defineCheck({
  id: 'CONF-API-001',
  title: 'Send-message responses conform to the Cloud API',
  suite: 'conformance',
  description:
    'Each cohort sends a few messages; every success answer must have the Cloud API shape (messaging_product, contacts[].wa_id, messages[].id).',
  references: [cloudApi('messages'), DMA_6_7],
  requires: ['businessApi', 'recipient'],
  async run(ctx) {
    const to = ctx.config.recipient?.waId ?? '';
    const perCohort = ctx.isQuick ? 2 : 3;
    await Promise.all(
      ctx.cohorts.map(async (cohort) => {
        for (let i = 0; i < perCohort && !ctx.signal.aborted; i += 1) {
          const message: OutboundMessage = { type: 'text', text: { body: `dma-audit conformance probe ${i + 1}` } };
          const { final, ids } = settled(
            await withBackoff(() => ctx.business(cohort.id).sendMessage(to, message, { check: 'CONF-API-001' }), {
              signal: ctx.signal,
            }),
          );
          ctx.record({
            check: 'CONF-API-001',
            cohort: cohort.id,
            kind: 'send',
            outcome: final.outcome,
            exchanges: ids.slice(-1),
            data: { status: final.status, body: bodyOf(final), attempts: ids.length },
          });
        }
      }),
    );
  },
  analyse(observations, ctx) {
    return everyCohort(ctx).map((cohort) => {
      const sends = samplesOf(observations, cohort.id, 'send');
      const successes = sends.filter(isSuccess);
      const violations = violationsOf(
        'cloud-send-response.schema.json',
        successes.map((o) => ({ body: o.data?.body, exchange: exchangeOf(o) })),
      );
      const measurements = {
        sent: sends.length,
        successes: successes.length,
        errorCodes: sends
          .filter((o) => !isSuccess(o))
          .map((o) => graphErrorCode(o.data?.body) ?? Number(o.data?.status ?? 0)),
        ...violationMeasurements(violations),
      };
      const evidence = violations.length > 0 ? violations.map((v) => v.exchange) : sends.map(exchangeOf);
      if (violations.length > 0) {
        return cohortFinding(sendConformance, cohort.id, {
          verdict: 'fail',
          summary: `${count(violations.length, 'schema violation')} in the send responses to ${cohort.label}: ${describeViolations(violations)}.`,
          measurements,
          evidence,
        });
      }
      if (successes.length === 0) {
        return cohortFinding(sendConformance, cohort.id, {
          verdict: 'inconclusive',
          summary: `No message sent by ${cohort.label} succeeded (${sends.length} tried), so no success response could be checked.`,
          measurements,
          evidence,
        });
      }
      return cohortFinding(sendConformance, cohort.id, {
        verdict: 'pass',
        summary: `All ${count(successes.length, 'success response')} to ${cohort.label} conform to the Cloud API schema.`,
        measurements,
        evidence,
      });
    });
  },
});

interface ErrorProbe {
  name: string;
  expectedCode: number;
  send(ctx: CheckContext, cohort: string): Promise<HttpExchange>;
}

/** Requests the Cloud API must refuse, each with the error code it documents for them. */
const ERROR_PROBES: ErrorProbe[] = [
  {
    name: 'bad-parameter',
    expectedCode: 100,
    send: (ctx, cohort) =>
      ctx
        .business(cohort)
        .sendMessage(ctx.config.recipient?.waId ?? '', { type: 'text', text: {} }, { check: 'CONF-API-002' }),
  },
  {
    name: 'unknown-recipient',
    expectedCode: 131026,
    send: (ctx, cohort) =>
      ctx
        .business(cohort)
        .sendMessage(
          UNREACHABLE_NUMBER,
          { type: 'text', text: { body: 'dma-audit conformance probe' } },
          { check: 'CONF-API-002' },
        ),
  },
  {
    name: 'bad-token',
    expectedCode: 190,
    send: (ctx, cohort) =>
      withInvalidToken(ctx, cohort).sendMessage(
        ctx.config.recipient?.waId ?? '',
        { type: 'text', text: { body: 'dma-audit conformance probe' } },
        { check: 'CONF-API-002' },
      ),
  },
];

function withInvalidToken(ctx: CheckContext, cohortId: string): ReturnType<typeof createWhatsAppCloud> {
  const cohort = ctx.cohorts.find((c) => c.id === cohortId);
  const api = ctx.config.target.businessApi;
  if (cohort === undefined || api === undefined) throw new Error(`no business API for cohort ${cohortId}`);
  return createWhatsAppCloud({
    http: ctx.http,
    api,
    cohort: cohortId,
    token: INVALID_TOKEN,
    phoneNumberId: cohort.phoneNumberId ?? '',
  });
}

const isErrorAnswer = (o: Observation): boolean => typeof o.data?.status === 'number' && o.data.status >= 400;

const errorConformance = defineCheck({
  id: 'CONF-API-002',
  title: 'Error responses conform to the Graph error schema',
  suite: 'conformance',
  description:
    'Each cohort sends a request with a bad parameter, one to ' +
    'an unreachable number and one with an invalid token; ' +
    'every error answer must be a Graph error ' +
    '({error:{message,type,code,fbtrace_id}}) with the documented code.',
  references: [cloudApi('error codes'), DMA_6_7],
  requires: ['businessApi', 'recipient'],
  async run(ctx) {
    await Promise.all(
      ctx.cohorts.map(async (cohort) => {
        for (const probe of ERROR_PROBES) {
          if (ctx.signal.aborted) return;
          const { final, ids } = settled(await withBackoff(() => probe.send(ctx, cohort.id), { signal: ctx.signal }));
          ctx.record({
            check: 'CONF-API-002',
            cohort: cohort.id,
            kind: 'error-probe',
            variant: probe.name,
            outcome: final.outcome,
            exchanges: ids.slice(-1),
            data: {
              probe: probe.name,
              expectedCode: probe.expectedCode,
              status: final.status,
              code: graphErrorCode(final.json),
              body: bodyOf(final),
            },
          });
        }
      }),
    );
  },
  analyse(observations, ctx) {
    return everyCohort(ctx).map((cohort) => {
      const probes = samplesOf(observations, cohort.id, 'error-probe');
      const errors = probes.filter(isErrorAnswer);
      const violations = violationsOf(
        'cloud-graph-error.schema.json',
        errors.map((o) => ({ body: o.data?.body, exchange: exchangeOf(o) })),
      );
      const unexpected = probes
        .filter((o) => o.data?.code !== o.data?.expectedCode)
        .map((o) => ({
          probe: String(o.data?.probe),
          expected: Number(o.data?.expectedCode),
          status: Number(o.data?.status ?? 0),
          code: (o.data?.code ?? null) as number | null,
          exchange: exchangeOf(o),
        }));
      const measurements = {
        probes: probes.length,
        errorAnswers: errors.length,
        unexpected,
        ...violationMeasurements(violations),
      };
      const evidence = violations.length > 0 ? violations.map((v) => v.exchange) : probes.map(exchangeOf);
      if (violations.length > 0) {
        return cohortFinding(errorConformance, cohort.id, {
          verdict: 'fail',
          summary: `${count(violations.length, 'schema violation')} in the error responses to ${cohort.label}: ${describeViolations(violations)}.`,
          measurements,
          evidence,
        });
      }
      if (errors.length === 0) {
        return cohortFinding(errorConformance, cohort.id, {
          verdict: 'inconclusive',
          summary: `None of the ${count(probes.length, 'error probe')} sent as ${cohort.label} got an error answer, so no error body could be checked.`,
          measurements,
          evidence,
        });
      }
      if (unexpected.length > 0) {
        const described = unexpected
          .map((u) => `${u.probe}: expected ${u.expected}, got ${u.code ?? `HTTP ${u.status}`}`)
          .join('; ');
        return cohortFinding(errorConformance, cohort.id, {
          verdict: 'warn',
          summary: `Error bodies to ${cohort.label} have the Graph shape, but not every probe got its documented code (${described}).`,
          measurements,
          evidence: unexpected.map((u) => u.exchange),
        });
      }
      return cohortFinding(errorConformance, cohort.id, {
        verdict: 'pass',
        summary: `All ${count(errors.length, 'error response')} to ${cohort.label} are Graph errors with the documented codes.`,
        measurements,
        evidence,
      });
    });
  },
});

/** CONF-API-001 and CONF-API-002. */
export const apiChecks = [sendConformance, errorConformance];

/** CONF-KEY-001: the interop key API serves the recipient's key bundle in the published shape (docs/architecture.md, "Target surfaces"). */
import { defineCheck } from '../../../src/engine/check.js';
import type { HttpExchange } from '../../../src/http/types.js';
import { withBackoff } from '../../../src/targets/whatsapp/graph-errors.js';
import type { JsonValue } from '../../../src/core/types.js';
import { DMA_7, WA_REFERENCE_OFFER } from '../../shared/references.js';
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

const keyBundles = defineCheck({
  id: 'CONF-KEY-001',
  title: 'Interop key bundles conform to the schema',
  suite: 'conformance',
  description:
    'Each cohort fetches the recipient’s key bundle; it must carry an identity key and, per device, a registration id and a signed prekey in base64.',
  references: [WA_REFERENCE_OFFER, DMA_7],
  requires: ['interop'],
  async run(ctx) {
    const interop = ctx.config.target.interop;
    if (interop === undefined) return;
    await Promise.all(
      ctx.cohorts.map(async (cohort) => {
        const attempts = await withBackoff(
          () => ctx.interop(cohort.id).getKeys(interop.recipient, interop.deviceId, { check: 'CONF-KEY-001' }),
          { signal: ctx.signal },
        );
        const final = attempts[attempts.length - 1] as HttpExchange;
        ctx.record({
          check: 'CONF-KEY-001',
          cohort: cohort.id,
          kind: 'key-bundle',
          outcome: final.outcome,
          exchanges: final.id === '' ? [] : [final.id],
          data: {
            status: final.status,
            body: final.json === undefined ? null : (final.json as JsonValue),
            attempts: attempts.length,
          },
        });
      }),
    );
  },
  analyse(observations, ctx) {
    return everyCohort(ctx).map((cohort) => {
      const fetches = samplesOf(observations, cohort.id, 'key-bundle');
      const served = fetches.filter((o) => o.data?.status === 200);
      const violations = violationsOf(
        'interop-key-bundle.schema.json',
        served.map((o) => ({ body: o.data?.body, exchange: exchangeOf(o) })),
      );
      const statuses = fetches.map((o) => Number(o.data?.status ?? 0));
      const measurements = {
        fetches: fetches.length,
        served: served.length,
        statuses,
        ...violationMeasurements(violations),
      };
      const evidence = violations.length > 0 ? violations.map((v) => v.exchange) : fetches.map(exchangeOf);
      if (violations.length > 0) {
        return cohortFinding(keyBundles, cohort.id, {
          verdict: 'fail',
          summary: `${count(violations.length, 'schema violation')} in the key bundle served to ${cohort.label}: ${describeViolations(violations)}.`,
          measurements,
          evidence,
        });
      }
      if (served.length === 0 && statuses.some((s) => s === 404)) {
        return cohortFinding(keyBundles, cohort.id, {
          verdict: 'fail',
          summary: `The platform served no key bundle for the recipient to ${cohort.label} (HTTP 404).`,
          measurements,
          evidence,
        });
      }
      if (served.length === 0) {
        return cohortFinding(keyBundles, cohort.id, {
          verdict: 'inconclusive',
          summary: `No key bundle could be fetched as ${cohort.label} (HTTP ${statuses.join(', ') || 'none'}).`,
          measurements,
          evidence,
        });
      }
      return cohortFinding(keyBundles, cohort.id, {
        verdict: 'pass',
        summary: `The key bundle served to ${cohort.label} conforms to the schema.`,
        measurements,
        evidence,
      });
    });
  },
});

/** CONF-KEY-001. */
export const keyChecks = [keyBundles];

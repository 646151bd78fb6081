/**
 * PAR-FEE-*: access "free of extra fees" (EC interim measures, 2026-06-09). PAR-FEE-001 compares every
 * fee signal for identical traffic; PAR-FEE-002 looks for a capped free tier (free up to a count, then fees).
 */
import { defineCheck, type AnalysisContext } from '../../../src/engine/check.js';
import type { Finding, JsonObject, Observation } from '../../../src/core/types.js';
import { feeTable, type FeeTableEntry } from './parse.js';
import { DMA_6_7, EC_INTERIM, cloudApi } from '../../shared/references.js';
import { feeOnset, feeRows, type FeeOnset } from './rows.js';
import { numberField } from '../../shared/send.js';
import { findingHead, type CheckHead } from '../../shared/finding.js';
import { outboundStream } from '../../shared/stream/streams.js';
import { FEE_SIGNALS, FREE_TIER, PROBE_START_KIND } from '../../shared/stream/plan.js';
import { streamPlans } from '../../shared/stream/dry-run.js';

const REFERENCES = [DMA_6_7, EC_INTERIM, cloudApi('pricing')];

function base(check: CheckHead, subject: { id: string }, ctx: AnalysisContext) {
  return findingHead(check, subject.id, ctx.reference.id);
}

function money(amount: number | null, currency: string | null): string {
  return amount === null ? 'an unstated amount' : `${currency ?? ''} ${Number(amount.toFixed(6))}`.trim();
}

const feeSignals = defineCheck({
  id: FEE_SIGNALS,
  title: 'No extra fees for third-party assistants',
  suite: 'parity',
  description:
    'For identical traffic, the platform shows no ' +
    'fee signal (fee header, billable pricing, ' +
    'payment refusal) for a third-party assistant ' +
    'where the gatekeeper’s own assistant has none.',
  references: REFERENCES,
  requires: ['businessApi', 'recipient'],
  // Its traffic is the outbound stream's text sends (fee headers) and their status callbacks (pricing).
  run: (ctx) => outboundStream(ctx),
  plan: (ctx) => streamPlans(ctx, FEE_SIGNALS),
  analyse(observations, ctx) {
    const cohorts = [ctx.reference.id, ...ctx.subjects.map((s) => s.id)];
    const rows = feeRows(observations, ctx.target.feeHeaders);
    const table = feeTable(rows, cohorts);
    const statuses = observations.filter((o) => o.kind === 'status').length;
    return ctx.subjects.map((subject) => compareFees(subject, table, statuses, ctx));
  },
});

function compareFees(
  subject: { id: string; label: string },
  table: Record<string, FeeTableEntry>,
  statuses: number,
  ctx: AnalysisContext,
): Finding {
  const ref = table[ctx.reference.id] as FeeTableEntry;
  const sub = table[subject.id] as FeeTableEntry;
  const measurements: JsonObject = {
    fees: { [ctx.reference.id]: ref as unknown as JsonObject, [subject.id]: sub as unknown as JsonObject },
    perMessage: { reference: ref.maxPerMessage, subject: sub.maxPerMessage },
    currency: sub.currency ?? ref.currency,
    statusWebhooks: statuses,
    feeHeaders: ctx.target.feeHeaders,
    firstEvidence: sub.firstEvidence,
  };
  const evidence = [sub.firstEvidence, ref.firstEvidence].filter((id): id is string => id !== null);
  const head = { ...base(feeSignals, subject, ctx), measurements, evidence };
  const extraCategories = Object.entries(sub.categories)
    .filter(([name, c]) => c.charged > 0 && (ref.categories[name]?.charged ?? 0) === 0)
    .map(([name]) => name);
  const isPricier = sub.charged > 0 && ref.charged > 0 && sub.maxPerMessage > ref.maxPerMessage;
  const hasPaymentRefusals = sub.paymentErrors > 0 && ref.paymentErrors === 0;
  if (extraCategories.length > 0 || isPricier) {
    const what =
      `${money(sub.maxPerMessage > 0 ? sub.maxPerMessage : null, sub.currency)} ` +
      `per message for ` +
      `${sub.charged} of ${sub.accepted} accepted ` +
      `${Object.keys(sub.categories).join('/')} messages`;
    const refText = ref.charged === 0 ? 'nothing' : `${money(ref.maxPerMessage, ref.currency)} per message`;
    return {
      ...head,
      verdict: 'fail',
      summary:
        `${subject.label} was charged ${what} (first ` +
        `evidence ${sub.firstEvidence ?? 'n/a'}); ` +
        `${ctx.reference.label} was charged ` +
        `${refText} for the same traffic.`,
    };
  }
  if (hasPaymentRefusals) {
    return {
      ...head,
      verdict: 'fail',
      summary:
        `${subject.label} had ${sub.paymentErrors} messages ` +
        `refused for payment reasons (first evidence ` +
        `${sub.firstEvidence ?? 'n/a'}); ` +
        `${ctx.reference.label} had none for the same traffic.`,
    };
  }
  if (sub.accepted === 0)
    return {
      ...head,
      verdict: 'inconclusive',
      summary: `No message from ${subject.label} was accepted, so no fee could be observed.`,
    };
  return {
    ...head,
    verdict: 'pass',
    summary:
      `No fee signal for ${subject.label} that ` +
      `${ctx.reference.label} does not also get ` +
      `(${sub.accepted} accepted messages, ` +
      `${sub.charged} charged vs ${ref.charged}).`,
  };
}

const freeTier = defineCheck({
  id: FREE_TIER,
  title: 'No capped free tier for third-party assistants',
  suite: 'parity',
  description:
    'Within the probe budget, fees do not ' +
    'start for a third-party assistant after ' +
    'some number of free messages while the ' +
    'gatekeeper’s own assistant stays free.',
  references: REFERENCES,
  requires: ['businessApi', 'recipient'],
  // Its traffic is every message of the outbound stream, counted from the stream's `probe-start` per
  // cohort; the stream sends at least `analysis.feeProbeMessages` text rounds (not shortened by --quick).
  run: (ctx) => outboundStream(ctx),
  plan: (ctx) => streamPlans(ctx, FREE_TIER),
  analyse(observations, ctx) {
    const rows = feeRows(observations, ctx.target.feeHeaders);
    const onsetOf = (cohort: string): FeeOnset =>
      feeOnset(
        rows.filter((r) => r.cohort === cohort),
        acceptedBefore(observations, cohort),
      );
    const ref = onsetOf(ctx.reference.id);
    const table = feeTable(rows, [ctx.reference.id, ...ctx.subjects.map((s) => s.id)]);
    const probed = probeMessagesOf(observations) ?? ctx.analysis.feeProbeMessages;
    return ctx.subjects.map((subject) => compareOnsets(subject, onsetOf(subject.id), ref, table, probed, ctx));
  },
});

/** The probe's length as the run recorded it (older bundles did not: then the config's). */
function probeMessagesOf(observations: readonly Observation[]): number | null {
  return numberField(observations.find((o) => o.kind === PROBE_START_KIND)?.data?.probeMessages) ?? null;
}

/** The messages a cohort had sent before the count began (the first mark: a resumed run records another). */
function acceptedBefore(observations: readonly Observation[], cohort: string): number {
  return (
    numberField(observations.find((o) => o.kind === PROBE_START_KIND && o.cohort === cohort)?.data?.acceptedBefore) ?? 0
  );
}

function compareOnsets(
  subject: { id: string; label: string },
  sub: FeeOnset,
  ref: FeeOnset,
  table: Record<string, FeeTableEntry>,
  probeMessages: number,
  ctx: AnalysisContext,
): Finding {
  const fees = {
    [ctx.reference.id]: table[ctx.reference.id] as unknown as JsonObject,
    [subject.id]: table[subject.id] as unknown as JsonObject,
  };
  const measurements: JsonObject = {
    onset: { reference: ref as unknown as JsonObject, subject: sub as unknown as JsonObject },
    fees,
    threshold: sub.threshold,
    probeMessages,
  };
  const evidence = [sub.evidence, ref.evidence].filter((id): id is string => id !== null);
  const head = { ...base(freeTier, subject, ctx), measurements, evidence };
  const earlier =
    sub.acceptedBefore > 0 ? `, after ${sub.acceptedBefore} messages this cohort sent earlier in this run` : '';
  const refText =
    ref.threshold === null
      ? `${ctx.reference.label} was not charged within ${ref.accepted} messages`
      : `${ctx.reference.label}'s fees start after ${ref.threshold} free messages`;
  if (sub.accepted === 0)
    return {
      ...head,
      verdict: 'inconclusive',
      summary: `No message from ${subject.label} was accepted in the probe, so no fee onset could be observed.`,
    };
  if (sub.freeInProbe === null)
    return {
      ...head,
      verdict: 'pass',
      summary: `No fee for ${subject.label} within ${sub.accepted} accepted probe messages${earlier}.`,
    };
  if (ref.threshold !== null && ref.threshold <= (sub.threshold ?? 0)) {
    return {
      ...head,
      verdict: 'pass',
      summary: `Fees start for ${subject.label} no earlier than for ${ctx.reference.label} (after ${sub.threshold} vs ${ref.threshold} free messages).`,
    };
  }
  if (sub.freeInProbe === 0) {
    return {
      ...head,
      verdict: 'warn',
      summary:
        `${subject.label} was charged ${money(sub.perMessage, sub.currency)} ` +
        `from the first probe message${earlier}: ` +
        `a flat per-message fee (judged by PAR-FEE-001) ` +
        `or a free tier already used up; ${refText}.`,
    };
  }
  return {
    ...head,
    verdict: 'fail',
    summary:
      `Fees start for ${subject.label} after ${sub.threshold} free ` +
      `messages (${sub.freeInProbe} in this probe${earlier}), ` +
      `then ${money(sub.perMessage, sub.currency)} per message ` +
      `(first evidence ${sub.evidence ?? 'n/a'}); ${refText}.`,
  };
}

/** The PAR-FEE-* checks, in catalogue order. */
export const feeChecks = [feeSignals, freeTier];

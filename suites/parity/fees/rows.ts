/** Turns recorded fee observations (sends and priced statuses) into fee rows and per-cohort onsets. Pure. */
import type { Observation } from '../../../src/core/types.js';
import { headerFee, isChargedPricing, isPaymentError, type FeeRow, type StatusPricing } from './parse.js';
import { isAcceptedSend, numberField, stringField } from '../../shared/send.js';

/** Observation kind of one sent message in the fee checks. */
export const SEND = 'send';
/** Observation kind of one status webhook about a sent message. */
export const STATUS = 'status';

/** wamid → the HAR id of a status webhook that priced it as charged. */
function chargedByStatus(observations: readonly Observation[]): Map<string, string> {
  const charged = new Map<string, string>();
  for (const o of observations) {
    if (o.kind !== STATUS) continue;
    const pricing = (Array.isArray(o.data?.pricing) ? o.data.pricing : []) as unknown as StatusPricing[];
    const wamid = stringField(o.data?.wamid);
    if (wamid !== null && pricing.some(isChargedPricing) && !charged.has(wamid))
      charged.set(wamid, o.exchanges?.[0] ?? '');
  }
  return charged;
}

/** One row per sent message, in send order, with every fee signal found for it. */
export function feeRows(observations: readonly Observation[], feeHeaders: readonly string[]): FeeRow[] {
  const byStatus = chargedByStatus(observations);
  return observations
    .filter((o) => o.kind === SEND && o.outcome !== 'budget-exhausted' && o.outcome !== 'cancelled')
    .sort((a, b) => (a.sentNs ?? a.seq) - (b.sentNs ?? b.seq))
    .map((o) => {
      const status = numberField(o.data?.status) ?? 0;
      const headers = (o.data?.feeHeaders ?? {}) as Record<string, string>;
      const fee = headerFee(headers, feeHeaders);
      const wamid = stringField(o.data?.wamid);
      const statusEvidence = wamid === null ? undefined : byStatus.get(wamid);
      return {
        cohort: o.cohort,
        category: stringField(o.data?.category) ?? 'service',
        isAccepted: isAcceptedSend(o.outcome, status),
        fee,
        isChargedByPricing: statusEvidence !== undefined,
        isPaymentError: isPaymentError(status, numberField(o.data?.errorCode)),
        evidence:
          fee === null && statusEvidence !== undefined && statusEvidence !== ''
            ? statusEvidence
            : (o.exchanges?.[0] ?? null),
      };
    });
}

/** Where fees start for one cohort in a probe. */
export interface FeeOnset {
  /** Accepted messages in the probe. */
  accepted: number;
  /** Accepted messages before the first charged one (null: never charged in the probe). */
  freeInProbe: number | null;
  /** Messages accepted for this cohort earlier in the run, before the probe. */
  acceptedBefore: number;
  /** acceptedBefore + freeInProbe: the free messages the cohort got before fees started. */
  threshold: number | null;
  charged: number;
  perMessage: number | null;
  currency: string | null;
  /** HAR id of the first charged exchange. */
  evidence: string | null;
}

/** The onset of fees in one cohort's rows (send order). */
export function feeOnset(rows: readonly FeeRow[], acceptedBefore: number): FeeOnset {
  const accepted = rows.filter((r) => r.isAccepted);
  const first = accepted.findIndex((r) => r.fee !== null || r.isChargedByPricing);
  const charged = accepted.filter((r) => r.fee !== null || r.isChargedByPricing);
  const firstRow = first < 0 ? undefined : accepted[first];
  return {
    accepted: accepted.length,
    freeInProbe: first < 0 ? null : first,
    acceptedBefore,
    threshold: first < 0 ? null : acceptedBefore + first,
    charged: charged.length,
    perMessage: firstRow?.fee?.amount ?? null,
    currency: firstRow?.fee?.currency ?? null,
    evidence: firstRow?.evidence ?? null,
  };
}

/**
 * Fee signals of the WhatsApp Business Platform, read from what a run recorded: the fee headers a
 * config names (`businessApi.feeHeaders`, with an optional `<name>-currency` companion), the `pricing`
 * object of status webhooks (per-message pricing, https://developers.facebook.com/docs/whatsapp/pricing)
 * and error answers that refuse a message for payment reasons. Pure: analysis and verify share it.
 */
import { roundTo } from '../../shared/finding.js';

/** A charge shown for one message. */
export interface FeeSignal {
  amount: number;
  currency: string | null;
  /** Where it was read ("header x-fee-amount"). */
  source: string;
}

/** The `pricing` of one status webhook. */
export interface StatusPricing {
  messageId: string | null;
  status: string | null;
  billable: boolean | null;
  pricingModel: string | null;
  type: string | null;
  category: string | null;
}

/** Graph error codes that refuse a message because of payment (131042: business eligibility payment issue). */
export const PAYMENT_ERROR_CODES: readonly number[] = [131042];

/** The configured fee headers (and their `-currency` companions) present in `headers`, lower-cased. */
export function pickFeeHeaders(
  headers: Readonly<Record<string, string>>,
  names: readonly string[],
): Record<string, string> {
  const wanted = new Set(names.flatMap((name) => [name.toLowerCase(), `${name.toLowerCase()}-currency`]));
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => wanted.has(name.toLowerCase()))
      .map(([name, value]) => [name.toLowerCase(), value]),
  );
}

/** The first configured fee header with a positive amount ("0.0572", "0.0572 EUR" or "EUR 0.0572"), or null. */
export function headerFee(headers: Readonly<Record<string, string>>, names: readonly string[]): FeeSignal | null {
  const picked = pickFeeHeaders(headers, names);
  for (const name of names.map((n) => n.toLowerCase())) {
    const value = picked[name];
    if (value === undefined) continue;
    const parsed = parseAmount(value);
    if (parsed === null || parsed.amount <= 0) continue;
    return {
      amount: parsed.amount,
      currency: parsed.currency ?? picked[`${name}-currency`]?.trim().toUpperCase() ?? null,
      source: `header ${name}`,
    };
  }
  return null;
}

/** Reads "0.0572", "0.0572 EUR", "EUR 0.0572" or "€0.0572". */
export function parseAmount(value: string): { amount: number; currency: string | null } | null {
  const match = /^\s*([A-Za-z]{3}|€|\$|£)?\s*(-?\d+(?:\.\d+)?)\s*([A-Za-z]{3})?\s*$/.exec(value);
  if (match === null) return null;
  const symbol: Record<string, string> = { '€': 'EUR', $: 'USD', '£': 'GBP' };
  const code = match[1] ?? match[3];
  return { amount: Number(match[2]), currency: code === undefined ? null : (symbol[code] ?? code.toUpperCase()) };
}

/** Every `statuses[].pricing` of a webhook change value. */
export function statusPricings(value: unknown): StatusPricing[] {
  const statuses = (value as { statuses?: unknown } | null | undefined)?.statuses;
  if (!Array.isArray(statuses)) return [];
  return statuses.flatMap((status: unknown) => {
    const s = (status ?? {}) as Record<string, unknown>;
    const pricing = s.pricing as Record<string, unknown> | undefined;
    if (pricing === undefined || pricing === null || typeof pricing !== 'object') return [];
    const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    return [
      {
        messageId: text(s.id),
        status: text(s.status),
        billable: typeof pricing.billable === 'boolean' ? pricing.billable : null,
        pricingModel: text(pricing.pricing_model),
        type: text(pricing.type),
        category: text(pricing.category),
      },
    ];
  });
}

/** Pricing that charges the business: type "regular", or billable without a free type. */
export function isChargedPricing(pricing: StatusPricing): boolean {
  if (pricing.billable === false) return false;
  if (pricing.type !== null) return pricing.type === 'regular';
  return pricing.billable === true;
}

/** An answer that refuses the message for payment reasons (HTTP 402 or a payment error code). */
export function isPaymentError(status: number, errorCode: number | null): boolean {
  return status === 402 || (errorCode !== null && PAYMENT_ERROR_CODES.includes(errorCode));
}

/** One sent message as the fee analysis sees it. */
export interface FeeRow {
  cohort: string;
  category: string;
  isAccepted: boolean;
  fee: FeeSignal | null;
  /** A status webhook priced the message as charged. */
  isChargedByPricing: boolean;
  isPaymentError: boolean;
  /** HAR id of the exchange that shows the charge (or the send). */
  evidence: string | null;
}

/** One cohort's line of the fee table. */
export interface FeeTableEntry {
  messages: number;
  accepted: number;
  charged: number;
  amount: number;
  currency: string | null;
  /** Largest amount one message was charged. */
  maxPerMessage: number;
  categories: Record<string, { messages: number; charged: number }>;
  paymentErrors: number;
  /** HAR id of the first exchange with a fee signal, or null. */
  firstEvidence: string | null;
}

/** Totals per cohort: messages, charged, amount, currency, categories (the table reports show). */
export function feeTable(rows: readonly FeeRow[], cohorts: readonly string[]): Record<string, FeeTableEntry> {
  const table: Record<string, FeeTableEntry> = {};
  for (const cohort of cohorts)
    table[cohort] = {
      messages: 0,
      accepted: 0,
      charged: 0,
      amount: 0,
      currency: null,
      maxPerMessage: 0,
      categories: {},
      paymentErrors: 0,
      firstEvidence: null,
    };
  for (const row of rows) {
    const entry = table[row.cohort];
    if (entry === undefined) continue;
    const category = (entry.categories[row.category] ??= { messages: 0, charged: 0 });
    entry.messages += 1;
    category.messages += 1;
    if (row.isAccepted) entry.accepted += 1;
    if (row.isPaymentError) entry.paymentErrors += 1;
    const isCharged = row.fee !== null || row.isChargedByPricing;
    if (!isCharged && !row.isPaymentError) continue;
    entry.firstEvidence ??= row.evidence;
    if (!isCharged) continue;
    entry.charged += 1;
    category.charged += 1;
    entry.amount = roundTo(entry.amount + (row.fee?.amount ?? 0), 6);
    entry.maxPerMessage = Math.max(entry.maxPerMessage, row.fee?.amount ?? 0);
    entry.currency ??= row.fee?.currency ?? null;
  }
  return table;
}

/** Rounds money to 1e-6 so sums of many small fees print cleanly. */

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
  /** What looks wrong with the value (see ParsedFee.flags); absent when nothing does. */
  flags?: string[];
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

/** A per-message amount above this is not a plausible fee; it is kept but flagged. */
export const ABSURD_FEE = 100;

/**
 * The first configured fee header with a positive amount, or null. A header sent twice arrives
 * joined ("0.0572, 0.0572"): every listed value is read, and differing values are flagged.
 */
export function headerFee(headers: Readonly<Record<string, string>>, names: readonly string[]): FeeSignal | null {
  const picked = pickFeeHeaders(headers, names);
  for (const name of names.map((n) => n.toLowerCase())) {
    const value = picked[name];
    if (value === undefined) continue;
    const parsed = parseFeeHeader(value);
    if (parsed === null || parsed.amount <= 0) continue;
    return {
      amount: parsed.amount,
      currency: parsed.currency ?? parseCurrency(picked[`${name}-currency`]),
      source: `header ${name}`,
      ...(parsed.flags.length === 0 ? {} : { flags: parsed.flags }),
    };
  }
  return null;
}

/** What a fee header says: the largest amount it lists, its currency, and what looks wrong with it. */
export interface ParsedFee {
  amount: number;
  currency: string | null;
  /** "negative", "absurd" (above ABSURD_FEE), "conflicting" (duplicates disagree), "mixed-currency". */
  flags: string[];
}

/** Reads a fee header value that may list several amounts (duplicate headers joined by ", "). */
export function parseFeeHeader(value: string): ParsedFee | null {
  const parts = value
    .split(/,\s+|;/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  // "0.0572,0.0572" (one header, no space) is a list too when the whole does not read as one amount.
  const amounts = parts.flatMap((part) => {
    const whole = parseAmount(part);
    return whole !== null || !part.includes(',') ? [whole] : part.split(',').map(parseAmount);
  });
  if (amounts.length === 0 || amounts.some((a) => a === null)) return null;
  const read = amounts as Array<{ amount: number; currency: string | null }>;
  const amount = Math.max(...read.map((a) => a.amount));
  const currencies = [...new Set(read.map((a) => a.currency).filter((c): c is string => c !== null))];
  const flags: string[] = [];
  if (new Set(read.map((a) => a.amount)).size > 1) flags.push('conflicting');
  if (currencies.length > 1) flags.push('mixed-currency');
  if (read.some((a) => a.amount < 0)) flags.push('negative');
  if (amount > ABSURD_FEE) flags.push('absurd');
  return { amount, currency: currencies[0] ?? null, flags };
}

const SYMBOLS: Record<string, string> = { '€': 'EUR', $: 'USD', '£': 'GBP', US$: 'USD' };

/**
 * Reads one amount with its currency before or after it, with or without a space: "0.0572",
 * "0.0572 EUR", "EUR 0.0572", "eur0,0572", "€0.0572", "0,0572 €", "1.234,50 EUR", "-0.01".
 */
export function parseAmount(value: string): { amount: number; currency: string | null } | null {
  const match = /^\s*([A-Za-z]{3}|US\$|€|\$|£)?\s*([-+−]?)\s*(\d[\d.,' ]*)\s*([A-Za-z]{3}|€|\$|£)?\s*$/u.exec(value);
  if (match === null) return null;
  const [, before, sign, digits, after] = match;
  if (before !== undefined && after !== undefined) return null;
  const number = parseDecimal(digits ?? '');
  if (number === null) return null;
  const code = before ?? after;
  return {
    amount: sign === '-' || sign === '−' ? -number : number,
    currency: code === undefined ? null : (SYMBOLS[code] ?? code.toUpperCase()),
  };
}

/** "0.0572", "0,0572", "1.234,56", "1,234.56", "1 234,5": the last separator is the decimal one. */
function parseDecimal(text: string): number | null {
  const clean = text.replace(/[' ]/g, '');
  if (!/^\d[\d.,]*$/.test(clean) || /[.,]$/.test(clean)) return null;
  const lastDot = clean.lastIndexOf('.');
  const lastComma = clean.lastIndexOf(',');
  const decimal = Math.max(lastDot, lastComma);
  const intPart = decimal < 0 ? clean : clean.slice(0, decimal);
  const fraction = decimal < 0 ? '' : clean.slice(decimal + 1);
  const grouping = clean[decimal] === '.' ? ',' : '.';
  if (intPart.includes(clean[decimal] ?? '#')) return null;
  const isGrouped = new RegExp(`^\\d{1,3}(\\${grouping}\\d{3})*$`).test(intPart);
  if (intPart.includes(grouping) && !isGrouped) return null;
  const integer = intPart.split(grouping).join('');
  if (!/^\d+$/.test(integer) || !/^\d*$/.test(fraction)) return null;
  const parsed = Number(`${integer}.${fraction || '0'}`);
  return Number.isFinite(parsed) ? parsed : null;
}

/** A `-currency` companion header ("eur", " EUR ", "€"), or null. */
function parseCurrency(value: string | undefined): string | null {
  const text = value?.split(/,\s*/)[0]?.trim() ?? '';
  if (text === '') return null;
  return SYMBOLS[text] ?? text.toUpperCase();
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

import { describe, expect, it } from 'vitest';
import {
  feeTable,
  headerFee,
  isChargedPricing,
  isPaymentError,
  parseAmount,
  parseFeeHeader,
  pickFeeHeaders,
  statusPricings,
  type FeeRow,
} from './parse.js';

describe('headerFee', () => {
  it('reads the amount and its currency companion from a configured header', () => {
    expect(headerFee({ 'x-fee-amount': '0.0572', 'x-fee-amount-currency': 'eur' }, ['x-fee-amount'])).toEqual({
      amount: 0.0572,
      currency: 'EUR',
      source: 'header x-fee-amount',
    });
  });

  it('prefers a currency written in the value, matches names in any case, and ignores zero fees', () => {
    expect(headerFee({ 'X-Price': 'USD 0.0691' }, ['x-fee-amount', 'X-Price'])).toEqual({
      amount: 0.0691,
      currency: 'USD',
      source: 'header x-price',
    });
    expect(headerFee({ 'x-fee-amount': '0.0000' }, ['x-fee-amount'])).toBeNull();
    expect(headerFee({ 'x-other': '1.00' }, ['x-fee-amount'])).toBeNull();
  });
});

describe('parseAmount', () => {
  it('reads plain numbers, codes on either side and currency symbols', () => {
    expect(parseAmount('0.0572')).toEqual({ amount: 0.0572, currency: null });
    expect(parseAmount('0.0572 EUR')).toEqual({ amount: 0.0572, currency: 'EUR' });
    expect(parseAmount('€0.05')).toEqual({ amount: 0.05, currency: 'EUR' });
    expect(parseAmount('free')).toBeNull();
  });
});

describe('pickFeeHeaders', () => {
  it('keeps the configured headers and their currency companions only', () => {
    expect(
      pickFeeHeaders({ 'x-fee-amount': '1', 'x-fee-amount-currency': 'EUR', ratelimit: 'x' }, ['x-fee-amount']),
    ).toEqual({ 'x-fee-amount': '1', 'x-fee-amount-currency': 'EUR' });
  });
});

describe('statusPricings and isChargedPricing', () => {
  const value = {
    statuses: [
      {
        id: 'wamid.1',
        status: 'sent',
        pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'service' },
      },
      {
        id: 'wamid.2',
        status: 'delivered',
        pricing: { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' },
      },
      { id: 'wamid.3', status: 'read' },
    ],
  };

  it('reads every pricing object and skips statuses without one', () => {
    expect(statusPricings(value)).toEqual([
      {
        messageId: 'wamid.1',
        status: 'sent',
        billable: true,
        pricingModel: 'PMP',
        type: 'regular',
        category: 'service',
      },
      {
        messageId: 'wamid.2',
        status: 'delivered',
        billable: false,
        pricingModel: 'PMP',
        type: 'free_customer_service',
        category: 'service',
      },
    ]);
    expect(statusPricings({ messages: [] })).toEqual([]);
  });

  it('counts regular pricing as charged and free types as not', () => {
    const [regular, free] = statusPricings(value);
    expect(regular && isChargedPricing(regular)).toBe(true);
    expect(free && isChargedPricing(free)).toBe(false);
    expect(
      isChargedPricing({
        messageId: null,
        status: null,
        billable: true,
        pricingModel: null,
        type: null,
        category: null,
      }),
    ).toBe(true);
    expect(
      isChargedPricing({
        messageId: null,
        status: null,
        billable: true,
        pricingModel: 'PMP',
        type: 'free_entry_point',
        category: null,
      }),
    ).toBe(false);
  });
});

describe('isPaymentError', () => {
  it('recognises HTTP 402 and the payment error code', () => {
    expect(isPaymentError(402, null)).toBe(true);
    expect(isPaymentError(400, 131042)).toBe(true);
    expect(isPaymentError(400, 368)).toBe(false);
  });
});

describe('feeTable', () => {
  const row = (cohort: string, fee: number | null, evidence: string): FeeRow => ({
    cohort,
    category: 'service',
    isAccepted: true,
    fee: fee === null ? null : { amount: fee, currency: 'EUR', source: 'header x-fee-amount' },
    isChargedByPricing: false,
    isPaymentError: false,
    evidence,
  });

  it('totals messages, charges and amounts per cohort and keeps the first evidence', () => {
    const table = feeTable(
      [row('ref', null, 'ex-1'), row('sub', null, 'ex-2'), row('sub', 0.0572, 'ex-3'), row('sub', 0.0572, 'ex-4')],
      ['ref', 'sub'],
    );
    expect(table.ref).toMatchObject({
      messages: 1,
      accepted: 1,
      charged: 0,
      amount: 0,
      currency: null,
      firstEvidence: null,
    });
    expect(table.sub).toMatchObject({
      messages: 3,
      charged: 2,
      amount: 0.1144,
      currency: 'EUR',
      maxPerMessage: 0.0572,
      firstEvidence: 'ex-3',
      categories: { service: { messages: 3, charged: 2 } },
    });
  });
});

describe('fee headers that try to fool the parser', () => {
  const names = ['x-fee-amount'];
  const fee = (value: string, extra: Record<string, string> = {}) =>
    headerFee({ 'x-fee-amount': value, ...extra }, names);
  it.each([
    ['0.0572, 0.0572', 0.0572, null],
    ['0,0572 EUR', 0.0572, 'EUR'],
    ['EUR 0,0572', 0.0572, 'EUR'],
    ['eur0.0572', 0.0572, 'EUR'],
    ['0.0572EUR', 0.0572, 'EUR'],
    ['€ 0,0572', 0.0572, 'EUR'],
    ['0,0572 €', 0.0572, 'EUR'],
    ['0.0572,0.0572', 0.0572, null],
    ['1.234,50 EUR', 1234.5, 'EUR'],
    ['1,234.50 USD', 1234.5, 'USD'],
  ])('reads %s as %d %s', (value, amount, currency) => {
    expect(fee(value)).toMatchObject({ amount, currency });
  });

  it('flags duplicates that disagree, absurd and negative amounts', () => {
    expect(fee('0, 0.0572')?.flags).toEqual(['conflicting']);
    expect(fee('5000 EUR')?.flags).toEqual(['absurd']);
    expect(parseFeeHeader('-0.05 EUR')).toMatchObject({ amount: -0.05, flags: ['negative'] });
    expect(fee('-0.05 EUR')).toBeNull();
    expect(fee('0.0572', { 'x-fee-amount-currency': ' eur ' })?.currency).toBe('EUR');
  });

  it('refuses values that are not amounts', () => {
    expect(parseAmount('EUR 0.05 USD')).toBeNull();
    expect(parseAmount('0.05.06')).toBeNull();
    expect(parseAmount('free')).toBeNull();
  });
});

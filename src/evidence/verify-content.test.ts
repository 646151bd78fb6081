import { describe, expect, it } from 'vitest';
import { validateAgainst } from '../core/schemas.js';
import { buildHar } from './har.js';
import type { ExchangeRecord } from './recorder.js';
import { fixtureHar } from './verify-fixture.test-helpers.js';

function record(overrides: Partial<ExchangeRecord> = {}): ExchangeRecord {
  return {
    id: 'ex-000000',
    direction: 'outbound',
    cohort: 'assistant',
    check: 'PAR-LAT-001',
    seq: 0,
    startedDateTime: '2026-07-01T10:00:00.000Z',
    scheduledNs: 0,
    sentNs: 1_000,
    endNs: 41_001_000,
    waitNs: 40_000_000,
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:4010/v24.0/1002/messages?access_token=%5BREDACTED%5D',
      headers: { authorization: '[REDACTED]', 'content-type': 'application/json' },
      bodyText: '{"type":"text"}',
    },
    response: {
      status: 200,
      statusText: 'OK',
      headers: { 'content-type': 'application/json' },
      bodyText: '{}',
      isTruncated: false,
      bodyBytes: 2,
    },
    outcome: 'ok',
    ...overrides,
  };
}

describe('schemas/har.schema.json', () => {
  it('accepts the HAR the evidence writer produces, including failed and annotated exchanges', () => {
    const timeout = record({
      id: 'ex-000001',
      seq: 1,
      outcome: 'timeout',
      errorMessage: 'timed out',
      response: { status: 0, statusText: '', headers: {}, bodyText: '', isTruncated: false, bodyBytes: 0 },
    });
    const { waitNs: _unused, ...noWait } = timeout;
    const inbound = record({
      id: 'in-000002',
      seq: 2,
      direction: 'inbound',
      notes: { signatureValid: true },
      request: { method: 'GET', url: 'http://127.0.0.1:5000/webhook', headers: {}, bodyText: '' },
    });
    expect(validateAgainst('har.schema.json', buildHar([record(), noWait, inbound]))).toEqual([]);
    expect(validateAgainst('har.schema.json', fixtureHar())).toEqual([]);
  });

  it('names missing required HAR fields and custom fields without "_"', () => {
    const har = fixtureHar() as { log: { entries: Array<Record<string, unknown>> } };
    const entry = har.log.entries[0] ?? {};
    delete entry['timings'];
    entry['cohort'] = 'assistant';
    expect(validateAgainst('har.schema.json', har)).toEqual([
      'log.entries[0]: missing required key "timings"',
      'log.entries[0]: unknown key "cohort"',
    ]);
  });

  it('requires version, creator and entries on the log', () => {
    expect(validateAgainst('har.schema.json', { log: { _x: 1 } })).toEqual([
      'log: missing required key "version"',
      'log: missing required key "creator"',
      'log: missing required key "entries"',
    ]);
  });
});

import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packagePath } from '../../src/core/paths.js';
import { validateAgainst } from '../../src/core/schemas.js';
import { parseEvents } from '../../src/webhook/payload.js';
import { payload } from './msw-platform.test-helpers.js';

const SCHEMA_BY_PREFIX: Array<[string, string]> = [
  ['cloud-send-', 'cloud-send-response.schema.json'],
  ['graph-error-', 'cloud-graph-error.schema.json'],
  ['webhook-', 'webhook-payload.schema.json'],
  ['interop-key-bundle', 'interop-key-bundle.schema.json'],
];

describe('payload fixtures conform to their schemas', () => {
  const names = readdirSync(packagePath('fixtures', 'payloads')).filter(
    (f) => f.endsWith('.json') && !f.startsWith('sim-') && f !== 'cloud-override-success.json',
  );
  it.each(names)('%s', (file) => {
    const schema = SCHEMA_BY_PREFIX.find(([prefix]) => file.startsWith(prefix))?.[1];
    expect(schema).toBeDefined();
    expect(validateAgainst(schema ?? '', payload(file.replace(/\.json$/, '')))).toEqual([]);
  });
});

describe('schemas name the broken part by JSON path', () => {
  it('a failed status without errors, a text message without text, and CBP pricing', () => {
    const failed = payload('webhook-status-failed') as {
      entry: Array<{ changes: Array<{ value: { statuses: Array<Record<string, unknown>> } }> }>;
    };
    delete failed.entry[0]?.changes[0]?.value.statuses[0]?.errors;
    expect(validateAgainst('webhook-payload.schema.json', failed)).toEqual([
      'entry[0].changes[0].value.statuses[0]: missing required key "errors"',
    ]);
    const text = payload('webhook-message-text') as {
      entry: Array<{ changes: Array<{ value: { messages: Array<Record<string, unknown>> } }> }>;
    };
    delete text.entry[0]?.changes[0]?.value.messages[0]?.text;
    expect(validateAgainst('webhook-payload.schema.json', text)).toEqual([
      'entry[0].changes[0].value.messages[0]: missing required key "text"',
    ]);
    const sent = payload('webhook-status-sent') as {
      entry: Array<{ changes: Array<{ value: { statuses: Array<{ pricing: Record<string, unknown> }> } }> }>;
    };
    const pricing = sent.entry[0]?.changes[0]?.value.statuses[0]?.pricing;
    if (pricing !== undefined) pricing.pricing_model = 'CBP';
    expect(validateAgainst('webhook-payload.schema.json', sent)).toEqual([
      'entry[0].changes[0].value.statuses[0].pricing.pricing_model: must be "PMP"',
    ]);
  });

  it('does not judge changes of other fields by the messages shape', () => {
    const other = {
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } }] }],
    };
    expect(validateAgainst('webhook-payload.schema.json', other)).toEqual([]);
  });

  it('a key bundle with a null one-time prekey and no Kyber prekey is still well-formed', () => {
    const bundle = payload('interop-key-bundle') as { devices: Array<Record<string, unknown>> };
    bundle.devices[0] = { ...bundle.devices[0], preKey: null, pqPreKey: null };
    expect(validateAgainst('interop-key-bundle.schema.json', bundle)).toEqual([]);
    bundle.devices[0] = { ...bundle.devices[0], pqPreKey: { keyId: 1, publicKey: 'AAAA' } };
    expect(validateAgainst('interop-key-bundle.schema.json', bundle)).toEqual([
      'devices[0].pqPreKey: missing required key "signature"',
    ]);
  });
});

describe('webhook fixtures become one event per message and status', () => {
  it('reads kinds, statuses, message ids and phone numbers', () => {
    const events = ['webhook-status-sent', 'webhook-status-failed', 'webhook-message-text'].flatMap((name) =>
      parseEvents(payload(name)),
    );
    expect(events.map((e) => [e.kind, e.status ?? e.messageType, e.phoneNumberId])).toEqual([
      ['status', 'sent', '1001'],
      ['status', 'failed', '1001'],
      ['message', 'text', '1001'],
    ]);
  });
});

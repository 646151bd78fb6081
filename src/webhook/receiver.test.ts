import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createClock } from '../core/clock.js';
import { Recorder } from '../evidence/recorder.js';
import type { WebhookEvent } from './hub.js';
import { startWebhookReceiver, type RunningWebhookHub, type WebhookDelivery } from './receiver.js';
import { signatureHeader, verifySignature } from './signature.js';

const SECRET = 'app-secret-for-tests-0123';
const TOKEN = 'verify-token-canary-4567';
let hub: RunningWebhookHub | undefined;

async function start(
  maxBodyBytes?: number,
): Promise<{ hub: RunningWebhookHub; recorder: Recorder; deliveries: WebhookDelivery[] }> {
  const clock = createClock();
  const recorder = new Recorder(clock, [SECRET, TOKEN]);
  const deliveries: WebhookDelivery[] = [];
  hub = await startWebhookReceiver({
    listen: '127.0.0.1:0',
    publicUrl: null,
    appSecret: SECRET,
    verifyToken: TOKEN,
    recorder,
    clock,
    cohorts: [
      { id: 'ref', phoneNumberId: '1001' },
      { id: 'sub', phoneNumberId: '1002' },
    ],
    onDelivery: (d) => deliveries.push(d),
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
  });
  return { hub, recorder, deliveries };
}
afterEach(async () => hub?.close());

const statusBody = (phone: string, status = 'delivered'): string =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '9',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '1', phone_number_id: phone },
              statuses: [{ id: 'wamid.A1', status, timestamp: '1', recipient_id: '15550001234' }],
            },
          },
        ],
      },
    ],
  });

function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(
    async (r) => ({ status: r.status, text: await r.text() }),
  );
}

describe('signature', () => {
  it('accepts the HMAC of the exact raw body and nothing else', () => {
    const raw = Buffer.from('{"a":1}');
    expect(verifySignature(SECRET, raw, signatureHeader(SECRET, raw))).toBe('valid');
    expect(verifySignature(SECRET, Buffer.from('{"a": 1}'), signatureHeader(SECRET, raw))).toBe('invalid');
    expect(verifySignature(SECRET, raw, signatureHeader('other', raw))).toBe('invalid');
    expect(verifySignature(SECRET, raw, 'sha1=abc')).toBe('invalid');
    expect(verifySignature(SECRET, raw, undefined)).toBe('missing');
    expect(verifySignature(SECRET, raw, signatureHeader(SECRET, raw).toUpperCase().replace('SHA256', 'sha256'))).toBe(
      'valid',
    );
  });
});

describe('webhook receiver', () => {
  it('answers the hub challenge only for the configured verify token, and redacts the token in the record', async () => {
    const { hub, recorder } = await start();
    const good = await fetch(`${hub.callbackUrl}?hub.mode=subscribe&hub.challenge=12345&hub.verify_token=${TOKEN}`);
    expect([good.status, await good.text()]).toEqual([200, '12345']);
    const bad = await fetch(`${hub.callbackUrl}?hub.mode=subscribe&hub.challenge=12345&hub.verify_token=wrong-token`);
    expect([bad.status, await bad.text()]).toEqual([403, 'verify token mismatch']);
    expect(hub.verifications().map((v) => [v.isTokenValid, v.challenge])).toEqual([
      [true, '12345'],
      [false, '12345'],
    ]);
    expect(JSON.stringify(recorder.exchanges)).not.toContain(TOKEN);
    expect(recorder.exchanges.map((e) => [e.direction, e.check, e.response.status])).toEqual([
      ['inbound', 'CONF-WH-001', 200],
      ['inbound', 'CONF-WH-001', 403],
    ]);
  });

  it('accepts a signed webhook, routes its events by phone number id and times them on the run clock', async () => {
    const { hub, deliveries } = await start();
    const raw = statusBody('1002');
    const answer = await post(hub.callbackUrl, raw, { 'x-hub-signature-256': signatureHeader(SECRET, raw) });
    expect(answer.status).toBe(200);
    const [event] = hub.events();
    expect(event).toMatchObject({
      cohort: 'sub',
      phoneNumberId: '1002',
      kind: 'status',
      status: 'delivered',
      messageId: 'wamid.A1',
      isSignatureValid: true,
    });
    expect(event?.receivedNs).toBeGreaterThan(0);
    expect(deliveries.map((d) => [d.signature, d.status, d.cohorts])).toEqual([['valid', 200, ['sub']]]);
  });

  it('rejects forged and unsigned webhooks with 401 but records them as evidence', async () => {
    const { hub, recorder, deliveries } = await start();
    const raw = statusBody('1001');
    expect((await post(hub.callbackUrl, raw, { 'x-hub-signature-256': signatureHeader('forger', raw) })).status).toBe(
      401,
    );
    expect((await post(hub.callbackUrl, raw)).status).toBe(401);
    expect(deliveries.map((d) => d.signature)).toEqual(['invalid', 'missing']);
    expect(recorder.exchanges.map((e) => [e.notes?.signature, e.cohort, e.request.bodyText === raw])).toEqual([
      ['invalid', 'ref', true],
      ['missing', 'ref', true],
    ]);
    expect(hub.events()).toEqual([]);
    expect(deliveries.flatMap((d) => d.events).every((e) => !e.isSignatureValid)).toBe(true);
  });

  it('waitFor sees events that arrived before it was called, and times out with undefined', async () => {
    const { hub } = await start();
    const raw = statusBody('1001', 'read');
    await post(hub.callbackUrl, raw, { 'x-hub-signature-256': signatureHeader(SECRET, raw) });
    const past = await hub.waitFor((e) => e.status === 'read', 10);
    expect(past?.cohort).toBe('ref');
    const later = hub.waitFor((e) => e.status === 'sent', 2000);
    const rawSent = statusBody('1002', 'sent');
    await post(hub.callbackUrl, rawSent, { 'x-hub-signature-256': signatureHeader(SECRET, rawSent) });
    expect((await later)?.cohort).toBe('sub');
    const thrower = (): boolean => {
      throw new Error('a buggy predicate');
    };
    expect(await hub.waitFor(thrower, 20)).toBeUndefined();
    expect(await hub.waitFor((e: WebhookEvent) => e.status === 'failed', 20)).toBeUndefined();
  });

  it('survives hostile bodies: not JSON, wrong shapes, unknown numbers, oversize', async () => {
    const { hub, deliveries } = await start(4096);
    const bodies = [
      'not json',
      '[]',
      'null',
      '{"entry":"x"}',
      '{"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":{}}}}]}]}',
      statusBody('9999'),
    ];
    for (const raw of bodies)
      expect((await post(hub.callbackUrl, raw, { 'x-hub-signature-256': signatureHeader(SECRET, raw) })).status).toBe(
        200,
      );
    expect(
      (await post(hub.callbackUrl, Buffer.alloc(10_000, 0x7b), { 'x-hub-signature-256': 'sha256=00' })).status,
    ).toBe(413);
    expect(deliveries.map((d) => d.isJson)).toEqual([false, true, true, true, true, true, false]);
    expect(deliveries.at(-2)?.cohorts).toEqual([]);
    expect(hub.events().map((e) => [e.kind, e.cohort])).toEqual([
      ['other', null],
      ['status', null],
    ]);
    expect(await fetch(hub.callbackUrl, { method: 'PUT' }).then((r) => r.status)).toBe(405);
  });

  it('names the public URL as the callback when a tunnel is configured', async () => {
    const clock = createClock();
    hub = await startWebhookReceiver({
      listen: '127.0.0.1:0',
      publicUrl: 'https://tunnel.example/hook',
      appSecret: SECRET,
      verifyToken: TOKEN,
      recorder: new Recorder(clock, []),
      clock,
      cohorts: [],
    });
    expect(hub.callbackUrl).toBe('https://tunnel.example/hook');
    expect(hub.localUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('does not crash on a request that ends half-way', async () => {
    const { hub } = await start();
    await new Promise<void>((resolve) => {
      const req = request(`${hub.callbackUrl}`, { method: 'POST', headers: { 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('{"object":');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 30);
    });
    expect(
      (await fetch(`${hub.callbackUrl}?hub.mode=subscribe&hub.challenge=7&hub.verify_token=${TOKEN}`)).status,
    ).toBe(200);
  });
});

import { readFileSync } from 'node:fs';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BusinessApiConfig } from '../../config/types.js';
import { Budget } from '../../http/budget.js';
import { createClock } from '../../core/clock.js';
import { Recorder } from '../../evidence/recorder.js';
import { HttpClient } from '../../http/client.js';
import { packagePath } from '../../core/paths.js';
import { validateAgainst } from '../../core/schemas.js';
import { classifyGraphError } from './graph-errors.js';
import { createWhatsAppCloud } from './cloud.js';

const BASE = 'https://graph.facebook.test';
const TOKEN = 'EAAG-canary-token-0001';
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(packagePath('fixtures', 'payloads', `${name}.json`), 'utf8')) as Record<string, unknown>;
const server = setupServer();
const seen: Array<{ url: string; auth: string | null; body: unknown }> = [];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

function adapter(apiVersion = 'v23.0'): { api: ReturnType<typeof createWhatsAppCloud>; recorder: Recorder } {
  const clock = createClock();
  const recorder = new Recorder(clock, [TOKEN]);
  const client = new HttpClient({
    budget: new Budget({ maxRps: 1000, maxRequests: 100, maxRequestsPerCohort: null }, clock),
    recorder,
    clock,
    signal: new AbortController().signal,
    timeoutMs: 2000,
    maxBodyBytes: 1 << 20,
  });
  const api: BusinessApiConfig = {
    kind: 'whatsapp-cloud',
    baseUrl: `${BASE}/`,
    apiVersion,
    feeHeaders: [],
    timeoutMs: 2000,
  };
  return {
    api: createWhatsAppCloud({
      http: client,
      api,
      cohort: 'ref',
      token: TOKEN,
      phoneNumberId: '1001',
      backoff: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 50 },
    }),
    recorder,
  };
}

function answer(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return async ({ request }: { request: Request }): Promise<Response> => {
    seen.push({ url: request.url, auth: request.headers.get('authorization'), body: await request.json() });
    return HttpResponse.json(body, { status, headers });
  };
}

describe('whatsapp-cloud adapter against Meta-shaped answers', () => {
  it('sends a message to {base}/{version}/{phone}/messages with the bearer token and the Cloud API body', async () => {
    server.use(http.post(`${BASE}/v23.0/1001/messages`, answer(200, fixture('cloud-send-success'))));
    const { api, recorder } = adapter();
    const exchange = await api.sendMessage('15550001234', { type: 'text', text: { body: 'hi' } }, { check: 'T' });
    expect(exchange.status).toBe(200);
    expect(validateAgainst('cloud-send-response.schema.json', exchange.json)).toEqual([]);
    expect(seen).toEqual([
      {
        url: `${BASE}/v23.0/1001/messages`,
        auth: `Bearer ${TOKEN}`,
        body: {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: '15550001234',
          type: 'text',
          text: { body: 'hi' },
        },
      },
    ]);
    expect(JSON.stringify(recorder.exchanges)).not.toContain(TOKEN);
  });

  it('marks a message read with a typing indicator', async () => {
    server.use(http.post(`${BASE}/v24.0/1001/messages`, answer(200, { success: true })));
    await adapter('v24.0').api.markRead('wamid.X', { check: 'T', typing: true });
    expect(seen[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.X',
      typing_indicator: { type: 'text' },
    });
  });

  it.each([
    ['graph-error-100-bad-parameter', 400, 'bad-parameter'],
    ['graph-error-131026-undeliverable', 400, 'undeliverable'],
    ['graph-error-190-auth', 401, 'auth'],
    ['graph-error-368-policy', 400, 'policy'],
    ['graph-error-131047-window', 400, 'window'],
    ['graph-error-131049-not-delivered', 400, 'not-delivered-by-choice'],
    ['graph-error-130429-throughput', 429, 'throughput'],
    ['graph-error-131056-pair-rate', 400, 'pair-rate'],
    ['graph-error-80007-rate-limit', 400, 'rate-limit'],
    ['graph-error-4-app-rate-limit', 400, 'rate-limit'],
  ])('never retries a send: %s comes back once, as a Graph error classified %s', async (name, status, family) => {
    server.use(http.post(`${BASE}/v23.0/1001/messages`, answer(status, fixture(name), { 'retry-after': '0' })));
    const exchange = await adapter().api.sendMessage(
      '15550001234',
      { type: 'text', text: { body: 'x' } },
      { check: 'T' },
    );
    expect(seen).toHaveLength(1);
    expect([exchange.status, validateAgainst('cloud-graph-error.schema.json', exchange.json)]).toEqual([status, []]);
    expect(classifyGraphError((exchange.json as { error: { code: number } }).error.code).family).toBe(family);
  });

  it('retries the webhook override after throttling, honouring Retry-After within its bound', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/v23.0/1001`, async ({ request }) => {
        seen.push({ url: request.url, auth: request.headers.get('authorization'), body: await request.json() });
        calls += 1;
        return calls === 1
          ? HttpResponse.json(fixture('graph-error-130429-throughput'), {
              status: 429,
              headers: { 'retry-after': '3600' },
            })
          : HttpResponse.json(fixture('cloud-override-success'));
      }),
    );
    const started = Date.now();
    const exchange = await adapter().api.overrideWebhook('https://tunnel.example/hook', 'vt-secret', {
      check: 'CONF-WH-001',
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect([calls, exchange.status, exchange.json]).toEqual([2, 200, { success: true }]);
    expect(seen[0]?.body).toEqual({
      webhook_configuration: { override_callback_uri: 'https://tunnel.example/hook', verify_token: 'vt-secret' },
    });
  });

  it('gives up on the override after the policy’s attempts and does not retry a final error', async () => {
    server.use(http.post(`${BASE}/v23.0/1001`, answer(500, fixture('graph-error-80007-rate-limit'))));
    expect((await adapter().api.overrideWebhook('https://x.example/h', 'vt', { check: 'T' })).status).toBe(500);
    expect(seen).toHaveLength(3);
    server.resetHandlers(http.post(`${BASE}/v23.0/1001`, answer(400, fixture('graph-error-100-bad-parameter'))));
    seen.length = 0;
    expect((await adapter().api.overrideWebhook('https://x.example/h', 'vt', { check: 'T' })).status).toBe(400);
    expect(seen).toHaveLength(1);
  });
});

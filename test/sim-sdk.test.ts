/** A real third-party SDK (whatsapp-api-js) drives the reference platform unchanged apart from the base URL. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webcrypto } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WhatsAppAPI } from 'whatsapp-api-js';
import * as M from 'whatsapp-api-js/messages';
import { SIM_RECIPIENT } from '../src/sim/cohorts.js';
import { startSim, type RunningSim } from '../src/sim/server.js';
import type { SimCohort } from '../src/sim/types.js';

const VERIFY_TOKEN = 'sdk-verify-token';

/** Every outbound message type the platform documents, built with the SDK's own classes. */
function sdkMessages(): Array<
  [
    string,
    (
      | M.Text
      | M.Image
      | M.Document
      | M.Audio
      | M.Video
      | M.Sticker
      | M.Location
      | M.Contacts
      | M.Interactive
      | M.Reaction
      | M.Template
    ),
  ]
> {
  return [
    ['text', new M.Text('hello from the SDK')],
    ['image', new M.Image('https://example.com/a.png', false, 'a caption')],
    ['document', new M.Document('https://example.com/a.pdf', false, 'a caption', 'a.pdf')],
    ['audio', new M.Audio('1234567890', true)],
    ['video', new M.Video('https://example.com/a.mp4')],
    ['sticker', new M.Sticker('https://example.com/a.webp')],
    ['location', new M.Location(2.35, 48.85, 'Paris', 'somewhere')],
    ['contacts', new M.Contacts([new M.Name('Ada Lovelace', 'Ada'), new M.Phone('+15550001111', 'CELL')])],
    [
      'interactive button',
      new M.Interactive(
        new M.ActionButtons(new M.Button('yes', 'Yes'), new M.Button('no', 'No')),
        new M.Body('Pick one'),
      ),
    ],
    [
      'interactive list',
      new M.Interactive(
        new M.ActionList('Menu', new M.ListSection('Section', new M.Row('r1', 'Row 1', 'first'))),
        new M.Body('Pick a row'),
      ),
    ],
    ['interactive cta_url', new M.Interactive(new M.ActionCTA('Open', 'https://example.com'), new M.Body('Go there'))],
    ['template', new M.Template('hello_world', new M.Language('en_US'))],
  ];
}

describe('whatsapp-api-js against the sim', () => {
  let sim: RunningSim;
  let cohort: SimCohort;
  let api: WhatsAppAPI;
  let receiver: Server;
  let callbackUrl: string;
  const seen: {
    statuses: Array<{ id: string; status: string; pricing: unknown }>;
    messages: Array<{ id: string; type: string; from: string; body?: string }>;
    rejected: number;
  } = { statuses: [], messages: [], rejected: 0 };

  beforeAll(async () => {
    sim = await startSim({ scenario: 'compliant', seed: 7 });
    cohort = sim.cohorts.find((c) => c.id === 'assistant') as SimCohort;
    const graph = sim.urls.businessApi;
    api = new WhatsAppAPI({
      token: cohort.token,
      appSecret: sim.appSecret,
      webhookVerifyToken: VERIFY_TOKEN,
      v: sim.apiVersion,
      ponyfill: {
        fetch: (url, init) => fetch(String(url).replace('https://graph.facebook.com', graph), init),
        subtle: webcrypto.subtle as unknown as Pick<typeof crypto.subtle, 'importKey' | 'verify'>,
      },
    });
    api.on.status = ({ id, status, pricing }) => void seen.statuses.push({ id, status, pricing });
    api.on.message = ({ message }) =>
      void seen.messages.push({
        id: message.id,
        type: message.type,
        from: message.from ?? '',
        ...(message.type === 'text' ? { body: message.text.body } : {}),
      });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on(
        'end',
        () =>
          void answer(
            req.method ?? 'GET',
            new URL(req.url ?? '/', 'http://x'),
            Buffer.concat(chunks).toString('utf8'),
            String(req.headers['x-hub-signature-256'] ?? ''),
          ).then(([status, body]) => res.writeHead(status).end(body)),
      );
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });

  /** The receiver is the SDK: its get() answers the hub challenge, its post() verifies the signature. */
  async function answer(method: string, url: URL, raw: string, signature: string): Promise<[number, string]> {
    try {
      if (method === 'GET')
        return [200, api.get(Object.fromEntries(url.searchParams) as Parameters<WhatsAppAPI['get']>[0])];
      await api.post(JSON.parse(raw) as Parameters<WhatsAppAPI['post']>[0], raw, signature);
      return [200, 'ok'];
    } catch {
      seen.rejected += 1;
      return [403, 'rejected'];
    }
  }

  afterAll(async () => {
    await sim.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  test('the webhook override passes the SDK-answered hub verification', async () => {
    const response = await api.$$apiFetch$$(`https://graph.facebook.com/${sim.apiVersion}/${cohort.phoneNumberId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        webhook_configuration: { override_callback_uri: callbackUrl, verify_token: VERIFY_TOKEN },
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ success: true });
    expect(sim.context.webhooks.callbackFor(cohort.phoneNumberId)).toBe(callbackUrl);
  });

  test.each(sdkMessages())('%s is accepted with a wamid', async (_name, message) => {
    const response = await api.sendMessage(cohort.phoneNumberId, SIM_RECIPIENT, message);
    expect('error' in response ? response.error : null).toBeNull();
    expect('messages' in response ? response.messages[0]?.id : undefined).toMatch(/^wamid\.[A-Za-z0-9_-]{20,}$/);
  });

  test('a reaction to an accepted message is accepted', async () => {
    const sent = await api.sendMessage(cohort.phoneNumberId, SIM_RECIPIENT, new M.Text('react to me'));
    const id = 'messages' in sent ? (sent.messages[0]?.id ?? '') : '';
    const reacted = await api.sendMessage(cohort.phoneNumberId, SIM_RECIPIENT, new M.Reaction(id, '👍'));
    expect('messages' in reacted ? reacted.messages[0]?.id : undefined).toMatch(/^wamid\./);
  });

  test('the SDK verifies the signatures of status webhooks and sees sent, delivered and read with pricing', async () => {
    const sent = await api.sendMessage(cohort.phoneNumberId, SIM_RECIPIENT, new M.Text('status please'));
    const id = 'messages' in sent ? sent.messages[0]?.id : undefined;
    await until(() => seen.statuses.filter((s) => s.id === id).length === 3);
    expect(seen.statuses.filter((s) => s.id === id).map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    expect(seen.statuses.find((s) => s.id === id)?.pricing).toEqual({
      billable: false,
      pricing_model: 'PMP',
      type: 'free_customer_service',
      category: 'service',
    });
    expect(seen.rejected).toBe(0);
  });

  test('an inbound message from the user driver (non-ASCII text) passes the SDK signature check, and can be marked read with typing', async () => {
    const driven = await fetch(`${sim.urls.userDriver}/_sim/v1/users/${SIM_RECIPIENT}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: cohort.phoneNumberId, type: 'text', text: { body: 'Grüß dich 👋' } }),
    });
    const { id } = (await driven.json()) as { id: string };
    await until(() => seen.messages.some((m) => m.id === id));
    expect(seen.messages.find((m) => m.id === id)).toEqual({
      id,
      type: 'text',
      from: SIM_RECIPIENT,
      body: 'Grüß dich 👋',
    });
    expect(await api.markAsRead(cohort.phoneNumberId, id, 'text')).toEqual({ success: true });
    expect(seen.rejected).toBe(0);
  });

  test('Cloud API errors reach the SDK: 131047 outside the window, 131026 for an unknown user', async () => {
    const outside = await api.sendMessage(cohort.phoneNumberId, '15550005678', new M.Text('hello?'));
    expect('error' in outside ? outside.error?.code : null).toBe(131047);
    const stranger = await api.sendMessage(cohort.phoneNumberId, '15559999999', new M.Text('hello?'));
    expect('error' in stranger ? stranger.error?.code : null).toBe(131026);
    const template = await api.sendMessage(
      cohort.phoneNumberId,
      '15550005678',
      new M.Template('hello_world', new M.Language('en_US')),
    );
    expect('messages' in template ? template.messages[0]?.id : undefined).toMatch(/^wamid\./);
  });
});

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A small Cloud API + interop platform made of msw handlers, whose answers tests can break one at a
 * time (a missing messages[].id, a wrong error shape, a forged signature). It verifies the harness's
 * callback with the hub challenge and sends status webhooks like the real platform.
 */
import { readFileSync } from 'node:fs';
import { http, HttpResponse, bypass } from 'msw';
import { setupServer, type SetupServerApi } from 'msw/node';
import { loadConfig } from '../../src/config/load.js';
import type { LoadedConfig } from '../../src/config/types.js';
import { packagePath } from '../../src/core/paths.js';
import { signatureHeader } from '../../src/webhook/signature.js';
import { UNREACHABLE_NUMBER } from './api/index.js';

export const GRAPH = 'http://graph.msw.test';
export const INTEROP = 'http://interop.msw.test';
export const APP_SECRET = 'msw-app-secret-0123456789';
const VERIFY_TOKEN = 'msw-verify-token-0123';
const COHORTS = [
  { id: 'reference', role: 'reference', phoneNumberId: '2001', token: 'msw-token-reference-abcdef' },
  { id: 'subject', role: 'subject', phoneNumberId: '2002', token: 'msw-token-subject-abcdef' },
] as const;

/** A recorded-style payload from fixtures/payloads/. */
export function payload(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(packagePath('fixtures', 'payloads', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** What the platform answers; each default is Meta-shaped, each knob breaks one thing. */
export interface PlatformKnobs {
  sendSuccess?: (wamid: string, to: string) => unknown;
  graphError?: (code: number, message: string) => unknown;
  statusWebhook?: (phoneNumberId: string, wamid: string, status: string) => unknown;
  signing?: 'valid' | 'forged' | 'none';
  keyBundle?: unknown;
  /** 'skip-verification' answers success without the hub GET; 'refuse' answers Graph error 100. */
  override?: 'verify' | 'skip-verification' | 'refuse';
  /** False: accepted messages never cause status webhooks. */
  sendsStatuses?: boolean;
}

const defaults: Required<PlatformKnobs> = {
  sendSuccess: (wamid, to) => ({
    messaging_product: 'whatsapp',
    contacts: [{ input: to, wa_id: to }],
    messages: [{ id: wamid }],
  }),
  graphError: (code, message) => ({
    error: {
      message,
      type: 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details: message },
      fbtrace_id: 'AbCdEf0123',
    },
  }),
  statusWebhook: (phoneNumberId, wamid, status) => {
    const body = payload(`webhook-status-${status}`) as {
      entry: Array<{
        changes: Array<{ value: { metadata: { phone_number_id: string }; statuses: Array<{ id: string }> } }>;
      }>;
    };
    const value = body.entry[0]?.changes[0]?.value;
    if (value !== undefined) {
      value.metadata.phone_number_id = phoneNumberId;
      for (const s of value.statuses) s.id = wamid;
    }
    return body;
  },
  signing: 'valid',
  keyBundle: payload('interop-key-bundle'),
  override: 'verify',
  sendsStatuses: true,
};

/** Starts msw with the platform's handlers; close it with `server.close()`. */
export function startMswPlatform(knobs: PlatformKnobs = {}): SetupServerApi {
  const k = { ...defaults, ...knobs };
  const callbacks = new Map<string, string>();
  let next = 0;
  const cohortOf = (auth: string | null): (typeof COHORTS)[number] | undefined =>
    COHORTS.find((c) => auth === `Bearer ${c.token}`);
  const server = setupServer(
    http.post(`${GRAPH}/:version/:phone/messages`, async ({ request, params }) => {
      const body = (await request.json()) as { to?: string; text?: { body?: string } };
      if (cohortOf(request.headers.get('authorization')) === undefined)
        return HttpResponse.json(
          k.graphError(190, 'Invalid OAuth access token - Cannot parse access token') as object,
          { status: 401 },
        );
      if (typeof body.text?.body !== 'string')
        return HttpResponse.json(k.graphError(100, '(#100) Invalid parameter') as object, { status: 400 });
      if (body.to === UNREACHABLE_NUMBER)
        return HttpResponse.json(k.graphError(131026, 'Message undeliverable') as object, { status: 400 });
      const wamid = `wamid.msw${String((next += 1)).padStart(6, '0')}`;
      const phone = String(params.phone);
      setTimeout(() => void sendStatuses(phone, wamid), 2);
      return HttpResponse.json(k.sendSuccess(wamid, body.to ?? '') as object);
    }),
    http.post(`${GRAPH}/:version/:phone`, async ({ request, params }) => {
      const body = (await request.json()) as {
        webhook_configuration?: { override_callback_uri?: string; verify_token?: string };
      };
      const uri = body.webhook_configuration?.override_callback_uri ?? '';
      if (k.override === 'refuse')
        return HttpResponse.json(k.graphError(100, 'Unsupported post request') as object, { status: 400 });
      if (k.override === 'skip-verification') {
        callbacks.set(String(params.phone), uri);
        return HttpResponse.json({ success: true });
      }
      const probe = new URL(uri);
      probe.searchParams.set('hub.mode', 'subscribe');
      probe.searchParams.set('hub.challenge', '1158201444');
      probe.searchParams.set('hub.verify_token', body.webhook_configuration?.verify_token ?? '');
      const answer = await fetch(bypass(probe.toString()));
      if ((await answer.text()) !== '1158201444')
        return HttpResponse.json(k.graphError(100, 'callback not verified') as object, { status: 400 });
      callbacks.set(String(params.phone), uri);
      return HttpResponse.json({ success: true });
    }),
    http.get(`${INTEROP}/v2/keys/:id/:device`, () => HttpResponse.json(k.keyBundle as object)),
  );

  async function sendStatuses(phone: string, wamid: string): Promise<void> {
    const uri = callbacks.get(phone);
    if (uri === undefined || !k.sendsStatuses) return;
    for (const status of ['sent', 'delivered', 'read']) {
      const raw = JSON.stringify(k.statusWebhook(phone, wamid, status));
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (k.signing !== 'none')
        headers['x-hub-signature-256'] = signatureHeader(
          k.signing === 'valid' ? APP_SECRET : 'a-forger-does-not-know-it',
          raw,
        );
      await fetch(bypass(new Request(uri, { method: 'POST', headers, body: raw }))).catch(() => undefined);
    }
  }

  server.listen({ onUnhandledRequest: 'bypass' });
  return server;
}

/** A validated config for the msw platform (secrets from a private env). */
export function mswConfig(): LoadedConfig {
  const env = {
    APP_SECRET,
    VERIFY_TOKEN,
    REF_TOKEN: COHORTS[0].token,
    SUBJECT_TOKEN: COHORTS[1].token,
    INTEROP_TOKEN: 'msw-interop-token-abc',
  };
  return loadConfig(
    {
      target: {
        name: 'msw platform',
        businessApi: { kind: 'whatsapp-cloud', baseUrl: GRAPH, apiVersion: 'v24.0' },
        interop: { kind: 'signal-keys', baseUrl: INTEROP, recipient: '15550001234' },
      },
      cohorts: [
        {
          id: 'reference',
          role: 'reference',
          token: 'env:REF_TOKEN',
          phoneNumberId: '2001',
          interopToken: 'env:INTEROP_TOKEN',
        },
        {
          id: 'subject',
          role: 'subject',
          token: 'env:SUBJECT_TOKEN',
          phoneNumberId: '2002',
          interopToken: 'env:INTEROP_TOKEN',
        },
      ],
      recipient: { waId: '15550001234' },
      webhook: { listen: '127.0.0.1:0', appSecret: 'env:APP_SECRET', verifyToken: 'env:VERIFY_TOKEN' },
      limits: { maxRps: 1000, timeoutMs: 1500 },
    },
    env,
  );
}

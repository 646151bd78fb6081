/** Builders shared by the interop tests: treatments, cohorts, requests, and a harness-side round trip. */
import { checkEcho, type EchoCheck } from '../../e2ee/echo.js';
import { parseKeyBundle } from '../../e2ee/bundle.js';
import { createClientIdentity, type ClientIdentity } from '../../e2ee/keys.js';
import {
  decryptFrom,
  encryptFor,
  establishSession,
  sendBody,
  type DecryptResult,
  type EstablishResult,
} from '../../e2ee/session.js';
import type { E2eeTreatment, SimCohort, SimRequest, SimResponse, SimRoute, Treatment } from '../types.js';

export const RECIPIENT = '15550001234';

export const REFERENCE: SimCohort = {
  id: 'meta-ai',
  label: 'Reference',
  role: 'reference',
  token: 't1',
  phoneNumberId: '1001',
  interopToken: 'ref-interop',
};
export const SUBJECT: SimCohort = {
  id: 'assistant',
  label: 'Subject',
  role: 'subject',
  token: 't2',
  phoneNumberId: '1002',
  interopToken: 'sub-interop',
};

/** A treatment that only sets E2EE behaviour (everything else neutral). */
export function treatment(e2ee: Partial<E2eeTreatment> = {}): Treatment {
  const constant = { dist: 'constant', ms: 0 } as const;
  return {
    latency: { default: constant, byType: {} },
    fees: null,
    rateLimit: null,
    disabledTypes: [],
    policyBlock: null,
    webhookDelay: constant,
    statusDelay: constant,
    e2ee: {
      kyberPreKey: true,
      badSignature: false,
      substituteIdentityKey: false,
      oneTimePreKeys: 100,
      tamperRelay: false,
      ...e2ee,
    },
  };
}

/** A request as the sim's server would pass it. */
export function request(method: string, path: string, cohort: SimCohort | null, json?: unknown): SimRequest {
  const rawBody = Buffer.from(json === undefined ? '' : JSON.stringify(json));
  const headers = cohort === null ? {} : { authorization: `Bearer ${cohort.interopToken}` };
  return { method, path, query: new URLSearchParams(), headers, rawBody, json };
}

/** Calls the route and insists it answered. */
export async function call(route: SimRoute, req: SimRequest): Promise<SimResponse> {
  const response = await route(req);
  if (response === undefined) throw new Error(`${req.method} ${req.path} not handled`);
  return response;
}

/** Everything a harness round trip observed, step by step. */
export interface RoundTrip {
  client: ClientIdentity;
  bundleJson: unknown;
  session: EstablishResult;
  send: SimResponse | null;
  replies: Array<{ type: number; content: string; guid: string }>;
  decrypted: DecryptResult | null;
  echo: EchoCheck | null;
}

/** Does what the harness does for E2EE-SES-001/002: publish, fetch, establish, send, fetch the reply, check the echo. */
export async function roundTrip(
  route: SimRoute,
  cohort: SimCohort,
  plaintext = `ping from ${cohort.id}`,
): Promise<RoundTrip> {
  const client = createClientIdentity(undefined, { name: cohort.id });
  await call(route, request('PUT', '/v2/keys', cohort, client.uploadBody()));
  const bundleJson = (await call(route, request('GET', `/v2/keys/${RECIPIENT}/1`, cohort))).json;
  const parsed = parseKeyBundle(bundleJson);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const address = { name: RECIPIENT, deviceId: 1 };
  const session = await establishSession(client, address, parsed.bundle);
  const result: RoundTrip = { client, bundleJson, session, send: null, replies: [], decrypted: null, echo: null };
  if (!session.ok) return result;
  const encrypted = await encryptFor(client, address, plaintext);
  if (!encrypted.ok) throw new Error(encrypted.detail);
  result.send = await call(
    route,
    request(
      'PUT',
      `/v1/messages/${RECIPIENT}`,
      cohort,
      sendBody(encrypted, { deviceId: 1, registrationId: session.registrationId }),
    ),
  );
  result.replies = (
    (await call(route, request('GET', '/v1/messages', cohort))).json as { messages: RoundTrip['replies'] }
  ).messages;
  const reply = result.replies[0];
  if (reply === undefined) return result;
  result.decrypted = await decryptFrom(client, address, reply);
  if (result.decrypted.ok) result.echo = checkEcho(plaintext, result.decrypted.text);
  return result;
}

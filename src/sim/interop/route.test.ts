import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../e2ee/safety-number.js';
import { parseKeyBundle } from '../../e2ee/bundle.js';
import { createClientIdentity } from '../../e2ee/keys.js';
import { decryptFrom, encryptFor, sendBody } from '../../e2ee/session.js';
import { createInteropRoute } from './route.js';
import { call, RECIPIENT, REFERENCE, request, roundTrip, SUBJECT, treatment } from './round-trip.test-helpers.js';

function compliant(options: { keyFetchLimit?: number; basePath?: string } = {}) {
  return createInteropRoute({
    cohorts: [REFERENCE, SUBJECT],
    treatmentFor: () => treatment(),
    recipient: RECIPIENT,
    ...options,
  });
}

describe('interop route: a compliant platform', () => {
  it('completes a PQXDH session with the recipient and echoes the digest of the plaintext', async () => {
    const interop = compliant();
    const trip = await roundTrip(interop.route, SUBJECT, 'hello recipient');
    expect(trip.session).toMatchObject({ ok: true, protocol: 'pqxdh', sessionVersion: 4, usedOneTimePreKey: true });
    expect(trip.send).toEqual({ status: 200, json: { needsSync: false } });
    expect(trip.replies).toHaveLength(1);
    expect(trip.replies[0]).toMatchObject({ type: 1, source: RECIPIENT, sourceDevice: 1 });
    expect(trip.echo).toMatchObject({ ok: true });
    expect(interop.stats()).toMatchObject({
      decrypted: { assistant: 1 },
      keyUploads: { assistant: 1 },
      oneTimePreKeysServed: { subject: 1 },
    });
  });

  it('serves the real device identity to every cohort', async () => {
    const interop = compliant();
    const [a, b] = [await roundTrip(interop.route, REFERENCE), await roundTrip(interop.route, SUBJECT)];
    const key = (json: unknown) => (json as { identityKey: string }).identityKey;
    expect(key(a.bundleJson)).toBe(key(b.bundleJson));
    expect(fingerprint(Buffer.from(key(a.bundleJson), 'base64'))).toBe(fingerprint(interop.device.identityKey));
  });

  it('keeps a session going: the second message is a Signal message and is echoed too', async () => {
    const interop = compliant();
    const trip = await roundTrip(interop.route, SUBJECT);
    const address = { name: RECIPIENT, deviceId: 1 };
    const second = await encryptFor(trip.client, address, 'second');
    if (!second.ok) throw new Error(second.detail);
    expect(second.type).toBe(1);
    const registrationId = trip.session.ok ? trip.session.registrationId : 0;
    await call(
      interop.route,
      request('PUT', `/v1/messages/${RECIPIENT}`, SUBJECT, sendBody(second, { deviceId: 1, registrationId })),
    );
    const queued = (await call(interop.route, request('GET', '/v1/messages', SUBJECT))).json as {
      messages: Array<{ type: number; content: string }>;
    };
    expect(queued.messages).toHaveLength(2);
    const reply = await decryptFrom(trip.client, address, queued.messages[1]!);
    expect(reply).toMatchObject({ ok: true });
    if (reply.ok)
      expect(JSON.parse(reply.text)).toEqual({
        echo: '16367aacb67a4a017c8da8ab95682ccb390863780f7114dda0a0e0c55644c7c4',
      });
  });
});

describe('interop route: HTTP behaviour', () => {
  it('ignores paths that are not its own and honours basePath', async () => {
    const interop = compliant({ basePath: '/interop' });
    expect(await interop.route(request('GET', '/v24.0/1001/messages', REFERENCE))).toBeUndefined();
    expect(await interop.route(request('GET', '/v1/messages', REFERENCE))).toBeUndefined();
    expect(await call(interop.route, request('GET', '/interop/v1/messages', REFERENCE))).toEqual({
      status: 200,
      json: { messages: [], more: false },
    });
  });

  it('answers 401 without a valid interop token', async () => {
    const interop = compliant();
    expect((await call(interop.route, request('GET', '/v1/messages', null))).status).toBe(401);
    const stranger = { ...SUBJECT, interopToken: 'wrong' };
    expect((await call(interop.route, request('GET', `/v2/keys/${RECIPIENT}/1`, stranger))).status).toBe(401);
  });

  it('answers 404 for unknown identifiers and devices, and 429 with Retry-After past the fetch limit', async () => {
    const interop = compliant({ keyFetchLimit: 2 });
    expect((await call(interop.route, request('GET', '/v2/keys/15559999999/1', SUBJECT))).status).toBe(404);
    expect((await call(interop.route, request('GET', `/v2/keys/${RECIPIENT}/7`, SUBJECT))).status).toBe(404);
    expect((await call(interop.route, request('GET', `/v2/keys/${RECIPIENT}/*`, SUBJECT))).status).toBe(200);
    expect((await call(interop.route, request('GET', `/v2/keys/${RECIPIENT}/1`, SUBJECT))).status).toBe(200);
    const limited = await call(interop.route, request('GET', `/v2/keys/${RECIPIENT}/1`, SUBJECT));
    expect(limited).toMatchObject({ status: 429, headers: { 'retry-after': '60' } });
    expect((await call(interop.route, request('GET', `/v2/keys/${RECIPIENT}/1`, REFERENCE))).status).toBe(200);
  });

  it("rejects malformed uploads with every problem, and serves a cohort its peers' published keys", async () => {
    const interop = compliant();
    const bad = await call(
      interop.route,
      request('PUT', '/v2/keys', SUBJECT, { identityKey: 'AAAA', registrationId: 1 }),
    );
    expect(bad.status).toBe(422);
    expect((bad.json as { problems: string[] }).problems).toContain('signedPreKey: missing');
    const client = createClientIdentity(77, { name: SUBJECT.id, preKeyCount: 1, kyberPreKeyCount: 1 });
    expect((await call(interop.route, request('PUT', '/v2/keys', SUBJECT, client.uploadBody()))).status).toBe(204);
    const first = parseKeyBundle(
      (await call(interop.route, request('GET', `/v2/keys/${SUBJECT.id}/1`, REFERENCE))).json,
    );
    const second = parseKeyBundle(
      (await call(interop.route, request('GET', `/v2/keys/${SUBJECT.id}/1`, REFERENCE))).json,
    );
    if (!first.ok || !second.ok) throw new Error('bundle did not parse');
    expect(first.bundle.devices[0]).toMatchObject({ registrationId: 77, preKey: { keyId: 1 }, pqPreKey: { keyId: 1 } });
    expect(second.bundle.devices[0]).toMatchObject({ preKey: null, pqPreKey: { keyId: 2 } });
  });

  it('checks message bodies and destination devices like Signal-Server', async () => {
    const interop = compliant();
    const put = (json: unknown) => call(interop.route, request('PUT', `/v1/messages/${RECIPIENT}`, SUBJECT, json));
    expect((await put({ messages: [] })).status).toBe(400);
    const message = {
      type: 3,
      destinationDeviceId: 2,
      destinationRegistrationId: interop.device.registrationId,
      content: 'AAAA',
    };
    expect(await put({ messages: [message], timestamp: 1 })).toEqual({
      status: 409,
      json: { missingDevices: [1], extraDevices: [2] },
    });
    const stale = { ...message, destinationDeviceId: 1, destinationRegistrationId: interop.device.registrationId + 1 };
    expect(await put({ messages: [stale], timestamp: 1 })).toEqual({ status: 410, json: { staleDevices: [1] } });
  });

  it('acknowledges messages with DELETE', async () => {
    const interop = compliant();
    const trip = await roundTrip(interop.route, SUBJECT);
    const guid = trip.replies[0]!.guid;
    expect((await call(interop.route, request('DELETE', `/v1/messages/uuid/${guid}`, REFERENCE))).status).toBe(404);
    expect((await call(interop.route, request('DELETE', `/v1/messages/uuid/${guid}`, SUBJECT))).status).toBe(204);
    expect((await call(interop.route, request('GET', '/v1/messages', SUBJECT))).json).toEqual({
      messages: [],
      more: false,
    });
  });
});

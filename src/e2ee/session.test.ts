import { describe, expect, it } from 'vitest';
import { parseKeyBundle, verifyBundleSignatures, type KeyBundle } from './bundle.js';
import { checkEcho, echoPayload } from './echo.js';
import { createClientIdentity, type ClientIdentity } from './keys.js';
import { decryptFrom, encryptFor, establishSession, sendBody } from './session.js';
import type { KeysUploadBody, WireKeyBundle } from './wire.js';

/** What a key server would answer for `owner`'s first device, drawing its first one-time keys. */
function bundleOf(owner: ClientIdentity, options: { withPreKey?: boolean; withKyber?: boolean } = {}): KeyBundle {
  const body: KeysUploadBody = owner.uploadBody();
  const wire: WireKeyBundle = {
    identityKey: body.identityKey,
    devices: [
      {
        deviceId: owner.deviceId,
        registrationId: body.registrationId,
        signedPreKey: body.signedPreKey,
        preKey: options.withPreKey === false ? null : (body.preKeys[0] ?? null),
        pqPreKey: options.withKyber === false ? null : (body.pqPreKeys[0] ?? null),
      },
    ],
  };
  const parsed = parseKeyBundle(wire);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.bundle;
}

const alice = () => createClientIdentity(undefined, { name: 'alice' });
const bob = () => createClientIdentity(undefined, { name: 'bob' });

describe('sessions between two clients', () => {
  it('establishes a PQXDH session, round-trips a message and an echo', async () => {
    const [a, b] = [alice(), bob()];
    const established = await establishSession(a, { name: 'bob', deviceId: 1 }, bundleOf(b));
    expect(established).toMatchObject({
      ok: true,
      protocol: 'pqxdh',
      sessionVersion: 4,
      usedOneTimePreKey: true,
      kyberPreKeyId: 1,
    });

    const sent = await encryptFor(a, { name: 'bob', deviceId: 1 }, 'hello bob');
    if (!sent.ok) throw new Error(sent.detail);
    expect(sent.type).toBe(3);
    expect(sent.messageVersion).toBe(4);

    const received = await decryptFrom(b, { name: 'alice', deviceId: 1 }, sent);
    if (!received.ok) throw new Error(received.detail);
    expect(received.text).toBe('hello bob');

    const reply = await encryptFor(b, { name: 'alice', deviceId: 1 }, echoPayload(received.plaintext));
    if (!reply.ok) throw new Error(reply.detail);
    expect(reply.type).toBe(1);
    const echoed = await decryptFrom(a, { name: 'bob', deviceId: 1 }, reply);
    if (!echoed.ok) throw new Error(echoed.detail);
    expect(checkEcho('hello bob', echoed.text)).toMatchObject({ ok: true });
    expect(checkEcho('hello eve', echoed.text)).toMatchObject({ ok: false, reason: 'digest-mismatch' });
  });

  it('works without a one-time prekey (signed prekey and Kyber prekey only)', async () => {
    const [a, b] = [alice(), bob()];
    const established = await establishSession(a, { name: 'bob', deviceId: 1 }, bundleOf(b, { withPreKey: false }));
    expect(established).toMatchObject({ ok: true, usedOneTimePreKey: false });
    const sent = await encryptFor(a, { name: 'bob', deviceId: 1 }, 'x');
    if (!sent.ok) throw new Error(sent.detail);
    expect(await decryptFrom(b, { name: 'alice', deviceId: 1 }, sent)).toMatchObject({ ok: true, text: 'x' });
  });

  it('refuses a bundle without a Kyber prekey', async () => {
    const result = await establishSession(alice(), { name: 'bob', deviceId: 1 }, bundleOf(bob(), { withKyber: false }));
    expect(result).toMatchObject({ ok: false, reason: 'no-kyber-prekey' });
  });

  it('reports a signed prekey whose signature does not verify', async () => {
    const bundle = bundleOf(bob());
    const device = bundle.devices[0]!;
    device.signedPreKey.signature[10]! ^= 0x01;
    expect(verifyBundleSignatures(bundle)).toEqual({ signedPreKey: false, pqPreKey: true });
    const result = await establishSession(alice(), { name: 'bob', deviceId: 1 }, bundle);
    expect(result).toMatchObject({ ok: false, reason: 'invalid-signature' });
  });

  it('reports a missing device and a missing session', async () => {
    const a = alice();
    expect(await establishSession(a, { name: 'bob', deviceId: 2 }, bundleOf(bob()))).toMatchObject({
      ok: false,
      reason: 'no-device',
    });
    expect(await encryptFor(a, { name: 'bob', deviceId: 1 }, 'x')).toMatchObject({ ok: false, reason: 'no-session' });
  });

  it('fails to decrypt a modified ciphertext, and says so instead of throwing', async () => {
    const [a, b] = [alice(), bob()];
    await establishSession(a, { name: 'bob', deviceId: 1 }, bundleOf(b));
    const sent = await encryptFor(a, { name: 'bob', deviceId: 1 }, 'hello');
    if (!sent.ok) throw new Error(sent.detail);
    const bytes = Buffer.from(sent.content, 'base64');
    bytes[bytes.length - 12]! ^= 0xff;
    const result = await decryptFrom(b, { name: 'alice', deviceId: 1 }, { type: 3, content: bytes.toString('base64') });
    expect(result).toMatchObject({ ok: false, reason: 'decryption-failed' });
    expect(await decryptFrom(b, { name: 'alice', deviceId: 1 }, { type: 1, content: '%%%' })).toMatchObject({
      ok: false,
      reason: 'bad-content',
    });
    expect(await decryptFrom(b, { name: 'alice', deviceId: 1 }, { type: 5, content: 'AAAA' })).toMatchObject({
      ok: false,
      reason: 'unsupported-type',
    });
  });

  it('builds the PUT /v1/messages body', () => {
    const body = sendBody({ type: 3, content: 'Zm9v' }, { deviceId: 1, registrationId: 42 }, 1000);
    expect(body).toEqual({
      messages: [{ type: 3, destinationDeviceId: 1, destinationRegistrationId: 42, content: 'Zm9v' }],
      timestamp: 1000,
    });
  });
});

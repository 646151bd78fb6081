import { describe, expect, it } from 'vitest';
import { createClientIdentity, fingerprint, type WireKeyBundle } from '../../src/e2ee/index.js';
import { describeBundle } from './describe-bundle.js';

const owner = createClientIdentity(7);

function wire(): WireKeyBundle {
  const body = owner.uploadBody();
  return {
    identityKey: body.identityKey,
    devices: [
      {
        deviceId: 1,
        registrationId: 7,
        signedPreKey: body.signedPreKey,
        preKey: body.preKeys[0] ?? null,
        pqPreKey: body.pqPreKeys[0] ?? null,
      },
    ],
  };
}

const answered = (json: unknown) => ({ status: 200, outcome: 'ok' as const, json });

/** A copy of the bundle with one device field replaced. */
function withDevice(change: Record<string, unknown>): unknown {
  const bundle = wire();
  return { ...bundle, devices: [{ ...bundle.devices[0], ...change }] };
}

describe('describeBundle', () => {
  it('records key ids, the identity fingerprint and verified signatures of a sound bundle', () => {
    const { record, bundle } = describeBundle(answered(wire()), 1);
    expect(record).toMatchObject({
      state: 'ok',
      problems: [],
      deviceId: 1,
      registrationId: 7,
      signedPreKeyId: 1,
      preKeyId: 1,
      pqPreKeyId: 1,
    });
    expect(record.signatures).toEqual({ signedPreKey: true, pqPreKey: true });
    expect(record.identityFingerprint).toBe(fingerprint(owner.identityKey));
    expect(record.identityKey).toBe(owner.uploadBody().identityKey);
    expect(bundle?.devices).toHaveLength(1);
  });

  it('records a signature that does not verify', () => {
    const signedPreKey = { ...wire().devices[0]!.signedPreKey };
    const bytes = Buffer.from(signedPreKey.signature, 'base64');
    bytes[3] = (bytes[3] ?? 0) ^ 0x10;
    const { record } = describeBundle(
      answered(withDevice({ signedPreKey: { ...signedPreKey, signature: bytes.toString('base64') } })),
      1,
    );
    expect(record.state).toBe('ok');
    expect(record.signatures).toEqual({ signedPreKey: false, pqPreKey: true });
  });

  it('records absent one-time and Kyber prekeys as not offered', () => {
    const { record } = describeBundle(answered(withDevice({ preKey: null, pqPreKey: null })), 1);
    expect(record).toMatchObject({
      state: 'ok',
      preKeyId: null,
      pqPreKeyId: null,
      signatures: { signedPreKey: true, pqPreKey: null },
    });
  });

  it('reports bad base64, a wrong key type byte and a truncated Kyber key as malformed, never throwing', () => {
    const bundle = wire();
    const badBase64 = describeBundle(answered({ ...bundle, identityKey: `${bundle.identityKey.slice(0, -2)}*=` }), 1);
    expect(badBase64.record.state).toBe('malformed');
    expect(badBase64.record.problems).toEqual(['identityKey: bad base64 (standard alphabet expected)']);
    expect(badBase64.bundle).toBeNull();

    const key = Buffer.from(bundle.identityKey, 'base64');
    key[0] = 0x07;
    const wrongType = describeBundle(answered({ ...bundle, identityKey: key.toString('base64') }), 1);
    expect(wrongType.record.problems).toEqual(['identityKey: wrong key type byte 0x07 (0x05 expected)']);

    const pq = bundle.devices[0]!.pqPreKey!;
    const truncated = { ...pq, publicKey: Buffer.from(pq.publicKey, 'base64').subarray(0, 1000).toString('base64') };
    const short = describeBundle(answered(withDevice({ pqPreKey: truncated })), 1);
    expect(short.record.problems).toEqual([
      'devices[0].pqPreKey.publicKey: truncated Kyber key: 1000 bytes (1569 expected)',
    ]);
  });

  it('reports a non-JSON body, a missing device and an HTTP error', () => {
    expect(describeBundle(answered(undefined), 1).record).toMatchObject({
      state: 'malformed',
      problems: ['the answer is not JSON'],
    });
    expect(describeBundle(answered([1]), 1).record.problems).toEqual(['must be an object']);
    const noDevice = describeBundle(answered(wire()), 2).record;
    expect(noDevice).toMatchObject({
      state: 'malformed',
      problems: ['devices: no device 2'],
      identityFingerprint: fingerprint(owner.identityKey),
    });
    expect(describeBundle(answered(wire()), null).record.state).toBe('ok');
    const limited = describeBundle({ status: 429, outcome: 'http-error', json: { code: 429 } }, 1).record;
    expect(limited).toMatchObject({ state: 'unavailable', problems: ['the key fetch was answered with HTTP 429'] });
    const timeout = describeBundle(
      { status: 0, outcome: 'timeout', json: undefined, errorMessage: 'no answer in 10000 ms' },
      1,
    ).record;
    expect(timeout.problems).toEqual(['the key fetch failed (timeout: no answer in 10000 ms)']);
  });
});

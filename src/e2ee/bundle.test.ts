import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './base64.js';
import { parseKeyBundle, verifyBundleSignatures } from './bundle.js';
import { createClientIdentity } from './keys.js';
import { parseKeysUpload } from './upload.js';
import type { WireKeyBundle } from './wire.js';

function wireBundle(): WireKeyBundle {
  const body = createClientIdentity(7).uploadBody();
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

function problemsOf(json: unknown): string[] {
  const result = parseKeyBundle(json);
  return result.ok ? [] : result.problems;
}

describe('base64', () => {
  it('round-trips and rejects the URL-safe alphabet and stray characters', () => {
    expect(fromBase64(toBase64(new Uint8Array([251, 255, 0])))).toEqual(new Uint8Array([251, 255, 0]));
    expect(fromBase64('-_8A')).toBeNull();
    expect(fromBase64('AB C')).toBeNull();
    expect(fromBase64('A')).toBeNull();
  });
});

describe('parseKeyBundle', () => {
  it('decodes a well-formed bundle', () => {
    const result = parseKeyBundle(wireBundle());
    if (!result.ok) throw new Error(result.problems.join('; '));
    const device = result.bundle.devices[0]!;
    expect(result.bundle.identityKey.length).toBe(33);
    expect(result.bundle.identityKey[0]).toBe(0x05);
    expect(device.preKey?.keyId).toBe(1);
    expect(device.pqPreKey?.publicKey.length).toBe(1569);
    expect(verifyBundleSignatures(result.bundle)).toEqual({ signedPreKey: true, pqPreKey: true });
  });

  it('verifies nothing under an identity key that does not deserialize', () => {
    const result = parseKeyBundle(wireBundle());
    if (!result.ok) throw new Error(result.problems.join('; '));
    const bundle = { ...result.bundle, identityKey: new Uint8Array(new ArrayBuffer(33)) };
    expect(verifyBundleSignatures(bundle)).toEqual({ signedPreKey: false, pqPreKey: false });
  });

  it('treats an absent or null preKey and pqPreKey as not offered', () => {
    const wire = wireBundle();
    const device = wire.devices[0]!;
    const result = parseKeyBundle({ ...wire, devices: [{ ...device, preKey: null, pqPreKey: undefined }] });
    if (!result.ok) throw new Error(result.problems.join('; '));
    expect(result.bundle.devices[0]).toMatchObject({ preKey: null, pqPreKey: null });
    expect(verifyBundleSignatures(result.bundle)).toEqual({ signedPreKey: true, pqPreKey: null });
  });

  it('reports bad base64', () => {
    const wire = wireBundle();
    expect(problemsOf({ ...wire, identityKey: wire.identityKey.replace(/\+|\//g, '-').slice(0, -1) + '_' })).toEqual([
      'identityKey: bad base64 (standard alphabet expected)',
    ]);
  });

  it('reports a 32-byte key without its type byte', () => {
    const wire = wireBundle();
    const raw = fromBase64(wire.identityKey)!.subarray(1);
    expect(problemsOf({ ...wire, identityKey: toBase64(raw) })).toEqual([
      'identityKey: 32-byte key without the 0x05 type byte',
    ]);
  });

  it('reports a truncated Kyber key and a short signature, with their paths', () => {
    const wire = wireBundle();
    const device = wire.devices[0]!;
    const kyber = fromBase64(device.pqPreKey!.publicKey)!.subarray(0, 1000);
    const pqPreKey = { ...device.pqPreKey!, publicKey: toBase64(kyber) };
    const signedPreKey = { ...device.signedPreKey, signature: toBase64(new Uint8Array(63)) };
    expect(problemsOf({ ...wire, devices: [{ ...device, pqPreKey, signedPreKey }] })).toEqual([
      'devices[0].signedPreKey.signature: signature of 63 bytes (64 expected)',
      'devices[0].pqPreKey.publicKey: truncated Kyber key: 1000 bytes (1569 expected)',
    ]);
  });

  it('reports an EC key with the wrong type byte and missing fields', () => {
    const wire = wireBundle();
    const device = wire.devices[0]!;
    const bytes = fromBase64(device.signedPreKey.publicKey)!;
    bytes[0] = 0x07;
    const signedPreKey = { keyId: 1, publicKey: toBase64(bytes) };
    expect(problemsOf({ identityKey: wire.identityKey, devices: [{ deviceId: 1, signedPreKey }] })).toEqual([
      'devices[0].registrationId: missing',
      'devices[0].signedPreKey.publicKey: wrong key type byte 0x07 (0x05 expected)',
      'devices[0].signedPreKey.signature: missing',
    ]);
  });

  it('never throws on junk', () => {
    for (const junk of [
      null,
      42,
      'x',
      [],
      { identityKey: 5 },
      { devices: 'no' },
      { identityKey: '', devices: [null] },
    ]) {
      expect(parseKeyBundle(junk).ok).toBe(false);
    }
    expect(problemsOf({})).toEqual(['identityKey: missing', 'devices: missing']);
  });
});

describe('parseKeysUpload', () => {
  it('decodes what a client uploads', () => {
    const result = parseKeysUpload(createClientIdentity(9, { preKeyCount: 3, kyberPreKeyCount: 2 }).uploadBody());
    if (!result.ok) throw new Error(result.problems.join('; '));
    expect(result.upload.registrationId).toBe(9);
    expect(result.upload.preKeys.map((key) => key.keyId)).toEqual([1, 2, 3]);
    expect(result.upload.pqPreKeys.map((key) => key.keyId)).toEqual([1, 2]);
    expect(result.upload.pqLastResortPreKey?.keyId).toBe(3);
  });

  it('lists malformed keys', () => {
    const body = { ...createClientIdentity(9).uploadBody(), preKeys: [{ keyId: 1, publicKey: 'AAAA' }] };
    expect(parseKeysUpload(body)).toEqual({
      ok: false,
      problems: ['preKeys[0].publicKey: wrong key type byte 0x00 (0x05 expected)'],
    });
  });
});

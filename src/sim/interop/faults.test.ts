import { describe, expect, it } from 'vitest';
import { parseKeyBundle, verifyBundleSignatures } from '../../e2ee/bundle.js';
import type { E2eeTreatment, SimCohort } from '../types.js';
import { createInteropRoute } from './route.js';
import { call, RECIPIENT, REFERENCE, request, roundTrip, SUBJECT, treatment } from './round-trip.test-helpers.js';

/** A platform that treats the subject role with `fault` and the reference role compliantly. */
function withSubjectFault(fault: Partial<E2eeTreatment>) {
  return createInteropRoute({
    cohorts: [REFERENCE, SUBJECT],
    treatmentFor: (cohort: SimCohort) => treatment(cohort.role === 'subject' ? fault : {}),
    recipient: RECIPIENT,
  });
}

async function fetchBundle(interop: ReturnType<typeof createInteropRoute>, cohort: SimCohort) {
  const parsed = parseKeyBundle((await call(interop.route, request('GET', `/v2/keys/${RECIPIENT}/1`, cohort))).json);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.bundle;
}

describe('E2EE faults are observable', () => {
  it('no Kyber prekey: the bundle has pqPreKey null and no PQXDH session can be built', async () => {
    const interop = withSubjectFault({ kyberPreKey: false });
    const trip = await roundTrip(interop.route, SUBJECT);
    expect((trip.bundleJson as { devices: Array<{ pqPreKey: unknown }> }).devices[0]?.pqPreKey).toBeNull();
    expect(trip.session).toMatchObject({ ok: false, reason: 'no-kyber-prekey' });
    const reference = await roundTrip(interop.route, REFERENCE);
    expect(reference.echo).toMatchObject({ ok: true });
  });

  it('bad signature: the signed prekey does not verify and libsignal refuses the bundle', async () => {
    const interop = withSubjectFault({ badSignature: true });
    expect(verifyBundleSignatures(await fetchBundle(interop, SUBJECT))).toEqual({
      signedPreKey: false,
      pqPreKey: true,
    });
    expect(verifyBundleSignatures(await fetchBundle(interop, REFERENCE))).toEqual({
      signedPreKey: true,
      pqPreKey: true,
    });
    const trip = await roundTrip(interop.route, SUBJECT);
    expect(trip.session).toMatchObject({ ok: false, reason: 'invalid-signature' });
  });

  it('substituted identity key: a different (validly signed) identity, and the device cannot decrypt', async () => {
    const interop = withSubjectFault({ substituteIdentityKey: true });
    const subject = await fetchBundle(interop, SUBJECT);
    const reference = await fetchBundle(interop, REFERENCE);
    expect(Buffer.from(subject.identityKey).equals(Buffer.from(reference.identityKey))).toBe(false);
    expect(Buffer.from(reference.identityKey).equals(Buffer.from(interop.device.identityKey))).toBe(true);
    expect(verifyBundleSignatures(subject)).toEqual({ signedPreKey: true, pqPreKey: true });

    const trip = await roundTrip(interop.route, SUBJECT);
    expect(trip.session).toMatchObject({ ok: true });
    expect(trip.send?.status).toBe(200);
    expect(trip.replies.map((reply) => reply.type)).toEqual([8]);
    expect(trip.decrypted).toMatchObject({ ok: false, reason: 'recipient-decryption-error' });
    expect(trip.echo).toBeNull();
    expect(interop.stats().decryptFailures).toEqual({ assistant: 1 });
  });

  it('exhausted one-time prekeys: the role gets preKey null after its allowance; the other role is unaffected', async () => {
    const interop = withSubjectFault({ oneTimePreKeys: 2 });
    const preKeys = [];
    for (let fetch = 0; fetch < 4; fetch += 1)
      preKeys.push((await fetchBundle(interop, SUBJECT)).devices[0]?.preKey?.keyId ?? null);
    expect(preKeys).toEqual([1, 2, null, null]);
    expect((await fetchBundle(interop, REFERENCE)).devices[0]?.preKey).not.toBeNull();
    expect(interop.stats().oneTimePreKeysServed).toEqual({ subject: 2, reference: 1 });
    const trip = await roundTrip(interop.route, SUBJECT);
    expect(trip.session).toMatchObject({ ok: true, usedOneTimePreKey: false });
    expect(trip.echo).toMatchObject({ ok: true });
  });

  it('tampering relay: the device decrypts, but the echo it sent arrives modified and fails authentication', async () => {
    const interop = withSubjectFault({ tamperRelay: true });
    const trip = await roundTrip(interop.route, SUBJECT);
    expect(trip.session).toMatchObject({ ok: true });
    expect(trip.replies.map((reply) => reply.type)).toEqual([1]);
    expect(trip.decrypted).toMatchObject({ ok: false, reason: 'decryption-failed' });
    expect(interop.stats()).toMatchObject({ decrypted: { assistant: 1 }, repliesTampered: { assistant: 1 } });
    expect((await roundTrip(interop.route, REFERENCE)).echo).toMatchObject({ ok: true });
  });
});

/** `PUT /v2/keys` and `GET /v2/keys/{identifier}/{deviceId}` (Signal-Server-shaped; docs/architecture.md, "Target surfaces"). */
import { toBase64 } from '../../e2ee/base64.js';
import type { DecodedPreKey, DecodedSignedPreKey } from '../../e2ee/bundle.js';
import { parseKeysUpload } from '../../e2ee/upload.js';
import type { WireKeyBundle, WirePreKey, WireSignedPreKey } from '../../e2ee/wire.js';
import type { SimCohort, SimResponse } from '../types.js';
import type { InteropState, PublishedKeys } from './state.js';

/** Seconds a client is told to wait once it has used up its key-fetch allowance. */
const RETRY_AFTER_SECONDS = 60;

/** Stores the caller's published keys, so others (and the recipient) can reach it. */
export function putKeys(state: InteropState, cohort: SimCohort, body: unknown): SimResponse {
  const parsed = parseKeysUpload(body);
  if (!parsed.ok) return { status: 422, json: { code: 422, message: 'invalid keys', problems: parsed.problems } };
  state.published.set(cohort.id, { upload: parsed.upload, preKeysServed: 0, pqPreKeysServed: 0 });
  state.counters.keyUploads.add(cohort.id);
  return { status: 204 };
}

/** Serves a key bundle: the recipient's (with the caller's treatment applied) or a cohort's published keys. */
export function getKeys(state: InteropState, cohort: SimCohort, identifier: string, deviceId: string): SimResponse {
  if (state.counters.keyFetches.get(cohort.id) >= state.keyFetchLimit) {
    return {
      status: 429,
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
      json: { code: 429, message: 'rate limit exceeded' },
    };
  }
  const published = state.published.get(identifier);
  const isRecipient = identifier === state.device.name;
  if (!isRecipient && published === undefined) return notFound(`no keys for ${identifier}`);
  const wanted = deviceId === '*' ? null : Number(deviceId);
  const ownDeviceId = isRecipient ? state.device.deviceId : 1;
  if (wanted !== null && wanted !== ownDeviceId) return notFound(`no device ${deviceId} for ${identifier}`);
  state.counters.keyFetches.add(cohort.id);
  const bundle = isRecipient ? recipientBundle(state, cohort) : publishedBundle(published!);
  return { status: 200, json: bundle };
}

/**
 * The recipient's bundle as the caller's role is treated: one-time prekeys come from the role's own
 * allowance, the Kyber prekey may be withheld, the signature broken, or the gateway's identity served.
 */
function recipientBundle(state: InteropState, cohort: SimCohort): WireKeyBundle {
  const e2ee = state.treatmentFor(cohort).e2ee;
  const holder = e2ee.substituteIdentityKey ? state.gateway : state.device;
  const hasPreKey = state.preKeysDrawn(cohort.role) < e2ee.oneTimePreKeys;
  const device = holder.serveDevice({
    hasPreKey,
    hasKyberPreKey: e2ee.kyberPreKey,
    hasBadSignature: e2ee.badSignature,
  });
  if (device.preKey !== null) state.counters.oneTimePreKeysServed.add(cohort.role);
  if (device.pqPreKey !== null) state.counters.kyberPreKeysServed.add(cohort.role);
  return { identityKey: toBase64(holder.identityKey), devices: [device] };
}

/** A cohort's own published keys; one-time keys are handed out once, then the last-resort Kyber key. */
function publishedBundle(published: PublishedKeys): WireKeyBundle {
  const { upload } = published;
  const preKey = upload.preKeys[published.preKeysServed];
  const oneTimePqPreKey = upload.pqPreKeys[published.pqPreKeysServed];
  if (preKey !== undefined) published.preKeysServed += 1;
  if (oneTimePqPreKey !== undefined) published.pqPreKeysServed += 1;
  const pqPreKey = oneTimePqPreKey ?? upload.pqLastResortPreKey;
  return {
    identityKey: toBase64(upload.identityKey),
    devices: [
      {
        deviceId: 1,
        registrationId: upload.registrationId,
        signedPreKey: wireSigned(upload.signedPreKey),
        preKey: preKey === undefined ? null : wirePre(preKey),
        pqPreKey: pqPreKey === null ? null : wireSigned(pqPreKey),
      },
    ],
  };
}

function wirePre(key: DecodedPreKey): WirePreKey {
  return { keyId: key.keyId, publicKey: toBase64(key.publicKey) };
}

function wireSigned(key: DecodedSignedPreKey): WireSignedPreKey {
  return { ...wirePre(key), signature: toBase64(key.signature) };
}

/** A Signal-Server-style error body. */
export function notFound(message: string): SimResponse {
  return { status: 404, json: { code: 404, message } };
}

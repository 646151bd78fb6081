/**
 * JSON shapes of the Signal-Server-shaped key API (docs/architecture.md, "Target surfaces"): `PUT /v2/keys` and
 * `GET /v2/keys/{identifier}/{deviceId}`. Keys and signatures travel as standard base64.
 */
import type { KyberPreKeyRecord, PreKeyRecord, SignedPreKeyRecord } from '@signalapp/libsignal-client';
import { toBase64 } from './base64.js';

/** A one-time EC prekey as uploaded and served. */
export interface WirePreKey {
  keyId: number;
  publicKey: string;
}

/** A signed EC prekey or a (signed) Kyber prekey. */
export interface WireSignedPreKey {
  keyId: number;
  publicKey: string;
  signature: string;
}

/** The body of `PUT /v2/keys`. */
export interface KeysUploadBody {
  identityKey: string;
  registrationId: number;
  signedPreKey: WireSignedPreKey;
  preKeys: WirePreKey[];
  pqPreKeys: WireSignedPreKey[];
  pqLastResortPreKey: WireSignedPreKey;
}

/** One device in a `GET /v2/keys` answer. */
export interface WireDeviceBundle {
  deviceId: number;
  registrationId: number;
  signedPreKey: WireSignedPreKey;
  preKey: WirePreKey | null;
  pqPreKey: WireSignedPreKey | null;
}

/** The body of a `GET /v2/keys/{identifier}/{deviceId}` answer. */
export interface WireKeyBundle {
  identityKey: string;
  devices: WireDeviceBundle[];
}

/** The public half of a one-time prekey record, for the wire. */
export function wirePreKey(record: PreKeyRecord): WirePreKey {
  return { keyId: record.id(), publicKey: toBase64(record.publicKey().serialize()) };
}

/** The public half of a signed prekey record, for the wire. */
export function wireSignedPreKey(record: SignedPreKeyRecord): WireSignedPreKey {
  return {
    keyId: record.id(),
    publicKey: toBase64(record.publicKey().serialize()),
    signature: toBase64(record.signature()),
  };
}

/** The public half of a Kyber prekey record, for the wire. */
export function wireKyberPreKey(record: KyberPreKeyRecord): WireSignedPreKey {
  return {
    keyId: record.id(),
    publicKey: toBase64(record.publicKey().serialize()),
    signature: toBase64(record.signature()),
  };
}

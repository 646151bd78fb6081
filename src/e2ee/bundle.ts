/**
 * Decoding and signature checks for `GET /v2/keys/{identifier}/{deviceId}` answers (docs/architecture.md, "Target surfaces").
 * An absent or null `preKey` / `pqPreKey` means the platform offered none; anything else malformed is a problem.
 */
import { PublicKey } from '@signalapp/libsignal-client';
import { join, Problems, readEcKey, readInt, readKyberKey, readObject, readSignature, type Bytes } from './decode.js';

/** A one-time EC prekey, decoded. */
export interface DecodedPreKey {
  keyId: number;
  publicKey: Bytes;
}

/** A signed EC prekey or a Kyber prekey, decoded. */
export interface DecodedSignedPreKey extends DecodedPreKey {
  signature: Bytes;
}

/** One device of a key bundle, decoded. */
export interface DeviceBundle {
  deviceId: number;
  registrationId: number;
  signedPreKey: DecodedSignedPreKey;
  preKey: DecodedPreKey | null;
  pqPreKey: DecodedSignedPreKey | null;
}

/** A key bundle with every key decoded and shape-checked (signatures are not checked here). */
export interface KeyBundle {
  identityKey: Bytes;
  devices: DeviceBundle[];
}

export type ParseKeyBundleResult = { ok: true; bundle: KeyBundle } | { ok: false; problems: string[] };

/** Decodes a key bundle answer; malformed material yields every problem found, never a throw. */
export function parseKeyBundle(json: unknown): ParseKeyBundleResult {
  const problems = new Problems();
  const root = readObject(json, '', problems);
  if (root === null) return { ok: false, problems: problems.list };
  const identityKey = readEcKey(root, 'identityKey', '', problems);
  const devices = readDevices(root['devices'], problems);
  if (identityKey === null || devices === null || problems.list.length > 0)
    return { ok: false, problems: problems.list };
  return { ok: true, bundle: { identityKey, devices } };
}

function readDevices(value: unknown, problems: Problems): DeviceBundle[] | null {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add('devices', value === undefined ? 'missing' : 'must be a non-empty array');
    return null;
  }
  const devices = value.map((item: unknown, index) => readDevice(item, join('devices', index), problems));
  return devices.every((device) => device !== null) ? devices : null;
}

function readDevice(value: unknown, path: string, problems: Problems): DeviceBundle | null {
  const fields = readObject(value, path, problems);
  if (fields === null) return null;
  const deviceId = readInt(fields, 'deviceId', path, problems, 127);
  const registrationId = readInt(fields, 'registrationId', path, problems, 0x3fff);
  const signedPreKey = readSigned(fields['signedPreKey'], join(path, 'signedPreKey'), 'ec', problems);
  const preKey = fields['preKey'] == null ? null : readPreKey(fields['preKey'], join(path, 'preKey'), problems);
  const pqPreKey =
    fields['pqPreKey'] == null ? null : readSigned(fields['pqPreKey'], join(path, 'pqPreKey'), 'kyber', problems);
  if (deviceId === null || registrationId === null || signedPreKey === undefined) return null;
  if (preKey === undefined || pqPreKey === undefined) return null;
  return { deviceId, registrationId, signedPreKey, preKey, pqPreKey };
}

/** A prekey; undefined (with a problem) when present but malformed. */
function readPreKey(value: unknown, path: string, problems: Problems): DecodedPreKey | undefined {
  const fields = readObject(value, path, problems);
  if (fields === null) return undefined;
  const keyId = readInt(fields, 'keyId', path, problems, 0xffffff);
  const publicKey = readEcKey(fields, 'publicKey', path, problems);
  return keyId === null || publicKey === null ? undefined : { keyId, publicKey };
}

function readSigned(
  value: unknown,
  path: string,
  kind: 'ec' | 'kyber',
  problems: Problems,
): DecodedSignedPreKey | undefined {
  const fields = readObject(value, path, problems);
  if (fields === null) return undefined;
  const keyId = readInt(fields, 'keyId', path, problems, 0xffffff);
  const publicKey = (kind === 'ec' ? readEcKey : readKyberKey)(fields, 'publicKey', path, problems);
  const signature = readSignature(fields, 'signature', path, problems);
  if (keyId === null || publicKey === null || signature === null) return undefined;
  return { keyId, publicKey, signature };
}

/** Whether each device's signed prekey and Kyber prekey signatures verify under the bundle's identity key. */
export interface SignatureVerdict {
  signedPreKey: boolean;
  /** null when no device offers a Kyber prekey. */
  pqPreKey: boolean | null;
}

/** Verifies every device's prekey signatures with the identity key (all must verify). */
export function verifyBundleSignatures(bundle: KeyBundle): SignatureVerdict {
  const identity = identityOf(bundle.identityKey);
  const signed = bundle.devices.map((device) =>
    verifies(identity, device.signedPreKey.publicKey, device.signedPreKey.signature),
  );
  const pq = bundle.devices.flatMap((device) =>
    device.pqPreKey === null ? [] : [verifies(identity, device.pqPreKey.publicKey, device.pqPreKey.signature)],
  );
  return { signedPreKey: signed.every(Boolean), pqPreKey: pq.length === 0 ? null : pq.every(Boolean) };
}

/** The identity key, or null when it does not deserialize (then nothing verifies). */
function identityOf(bytes: Bytes): PublicKey | null {
  try {
    return PublicKey.deserialize(bytes);
  } catch {
    return null;
  }
}

/** Signatures cover the serialized public key, type byte included (as libsignal signs them). */
function verifies(identity: PublicKey | null, publicKey: Bytes, signature: Bytes): boolean {
  if (identity === null) return false;
  try {
    return identity.verify(publicKey, signature);
  } catch {
    return false;
  }
}

/** Decoding of `PUT /v2/keys` bodies, for the platform side that stores a client's published keys. */
import {
  join,
  Problems,
  readEcKey,
  readInt,
  readKyberKey,
  readObject,
  readSignature,
  type Bytes,
  type Fields,
} from './decode.js';
import type { DecodedPreKey, DecodedSignedPreKey } from './bundle.js';

/** A client's published keys, decoded. */
export interface KeysUpload {
  identityKey: Bytes;
  registrationId: number;
  signedPreKey: DecodedSignedPreKey;
  preKeys: DecodedPreKey[];
  pqPreKeys: DecodedSignedPreKey[];
  pqLastResortPreKey: DecodedSignedPreKey | null;
}

export type ParseKeysUploadResult = { ok: true; upload: KeysUpload } | { ok: false; problems: string[] };

/** Decodes a `PUT /v2/keys` body; every malformed field is reported, nothing throws. */
export function parseKeysUpload(json: unknown): ParseKeysUploadResult {
  const problems = new Problems();
  const root = readObject(json, '', problems);
  if (root === null) return { ok: false, problems: problems.list };
  const identityKey = readEcKey(root, 'identityKey', '', problems);
  const registrationId = readInt(root, 'registrationId', '', problems, 0x3fff);
  const signedPreKey = readKey(root['signedPreKey'], 'signedPreKey', 'ec', problems);
  const preKeys = readList(root['preKeys'], 'preKeys', problems, (item, path) =>
    readKey(item, path, 'one-time', problems),
  );
  const pqPreKeys = readList(root['pqPreKeys'], 'pqPreKeys', problems, (item, path) =>
    readKey(item, path, 'kyber', problems),
  );
  const lastResort =
    root['pqLastResortPreKey'] == null
      ? null
      : readKey(root['pqLastResortPreKey'], 'pqLastResortPreKey', 'kyber', problems);
  if (identityKey === null || registrationId === null || signedPreKey === null || problems.list.length > 0) {
    return { ok: false, problems: problems.list };
  }
  const upload: KeysUpload = {
    identityKey,
    registrationId,
    signedPreKey,
    preKeys,
    pqPreKeys,
    pqLastResortPreKey: lastResort,
  };
  return { ok: true, upload };
}

function readList<T>(
  value: unknown,
  path: string,
  problems: Problems,
  read: (item: unknown, path: string) => T | null,
): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add(path, 'must be an array');
    return [];
  }
  return value.map((item: unknown, index) => read(item, join(path, index))).filter((item): item is T => item !== null);
}

/** A prekey; signed EC and Kyber keys also carry a signature. */
function readKey(
  value: unknown,
  path: string,
  kind: 'ec' | 'one-time' | 'kyber',
  problems: Problems,
): DecodedSignedPreKey | null {
  const fields: Fields | null = readObject(value, path, problems);
  if (fields === null) return null;
  const keyId = readInt(fields, 'keyId', path, problems, 0xffffff);
  const publicKey = (kind === 'kyber' ? readKyberKey : readEcKey)(fields, 'publicKey', path, problems);
  const signature = kind === 'one-time' ? new Uint8Array(0) : readSignature(fields, 'signature', path, problems);
  if (keyId === null || publicKey === null || signature === null) return null;
  return { keyId, publicKey, signature };
}

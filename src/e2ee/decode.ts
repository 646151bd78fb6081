/**
 * Field readers for target-supplied key material. Each reader records a problem (with the JSON
 * path) instead of throwing, so one pass reports everything wrong with a bundle.
 */
import { KEMPublicKey, PublicKey } from '@signalapp/libsignal-client';
import { fromBase64 } from './base64.js';

/** Serialized EC public keys are a 0x05 type byte followed by 32 bytes of Curve25519 key. */
export const EC_KEY_TYPE = 0x05;
export const EC_KEY_LENGTH = 33;
/** Kyber1024 public keys are a 0x08 type byte followed by 1568 bytes. */
export const KYBER_KEY_TYPE = 0x08;
export const KYBER_KEY_LENGTH = 1569;
/** XEdDSA signatures are 64 bytes. */
export const SIGNATURE_LENGTH = 64;

export type Bytes = Uint8Array<ArrayBuffer>;
export type Fields = Record<string, unknown>;

/** Collects problems with their JSON paths. */
export class Problems {
  readonly list: string[] = [];

  /** Records one problem at `path`. */
  add(path: string, message: string): void {
    this.list.push(path === '' ? message : `${path}: ${message}`);
  }
}

/** The object at `path`, or null (with a problem) when it is missing or not an object. */
export function readObject(value: unknown, path: string, problems: Problems): Fields | null {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Fields;
  problems.add(path, value === undefined ? 'missing' : 'must be an object');
  return null;
}

/** An integer field within [min, max], or null with a problem. */
export function readInt(
  fields: Fields,
  key: string,
  path: string,
  problems: Problems,
  max = 0xffffffff,
): number | null {
  const value = fields[key];
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max) return value;
  problems.add(join(path, key), value === undefined ? 'missing' : `must be an integer from 0 to ${max}`);
  return null;
}

/** A base64 field decoded to bytes, or null with a problem. */
export function readBytes(fields: Fields, key: string, path: string, problems: Problems): Bytes | null {
  const value = fields[key];
  if (typeof value !== 'string') {
    problems.add(join(path, key), value === undefined || value === null ? 'missing' : 'must be a base64 string');
    return null;
  }
  const bytes = fromBase64(value);
  if (bytes === null) return fail(problems, join(path, key), 'bad base64 (standard alphabet expected)');
  return bytes.length > 0 ? bytes : fail(problems, join(path, key), 'empty');
}

/** A serialized EC public key (33 bytes, type 0x05) that libsignal accepts. */
export function readEcKey(fields: Fields, key: string, path: string, problems: Problems): Bytes | null {
  const bytes = readBytes(fields, key, path, problems);
  if (bytes === null) return null;
  const where = join(path, key);
  if (bytes.length === EC_KEY_LENGTH - 1) return fail(problems, where, `32-byte key without the 0x05 type byte`);
  if (bytes[0] !== EC_KEY_TYPE) return fail(problems, where, `wrong key type byte 0x${hex(bytes[0])} (0x05 expected)`);
  if (bytes.length !== EC_KEY_LENGTH)
    return fail(problems, where, `EC key of ${bytes.length} bytes (${EC_KEY_LENGTH} expected)`);
  return accepts(() => PublicKey.deserialize(bytes)) ? bytes : fail(problems, where, 'not a valid EC public key');
}

/** A serialized Kyber1024 public key (1569 bytes, type 0x08) that libsignal accepts. */
export function readKyberKey(fields: Fields, key: string, path: string, problems: Problems): Bytes | null {
  const bytes = readBytes(fields, key, path, problems);
  if (bytes === null) return null;
  const where = join(path, key);
  if (bytes[0] !== KYBER_KEY_TYPE)
    return fail(problems, where, `wrong Kyber key type byte 0x${hex(bytes[0])} (0x08 expected)`);
  if (bytes.length < KYBER_KEY_LENGTH)
    return fail(problems, where, `truncated Kyber key: ${bytes.length} bytes (${KYBER_KEY_LENGTH} expected)`);
  if (bytes.length > KYBER_KEY_LENGTH)
    return fail(problems, where, `Kyber key of ${bytes.length} bytes (${KYBER_KEY_LENGTH} expected)`);
  return accepts(() => KEMPublicKey.deserialize(bytes)) ? bytes : fail(problems, where, 'not a valid Kyber public key');
}

/** A 64-byte signature. */
export function readSignature(fields: Fields, key: string, path: string, problems: Problems): Bytes | null {
  const bytes = readBytes(fields, key, path, problems);
  if (bytes === null) return null;
  if (bytes.length === SIGNATURE_LENGTH) return bytes;
  return fail(problems, join(path, key), `signature of ${bytes.length} bytes (${SIGNATURE_LENGTH} expected)`);
}

/** `path.key`, or `key` at the top level. */
export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function fail(problems: Problems, path: string, message: string): null {
  problems.add(path, message);
  return null;
}

function accepts(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).padStart(2, '0');
}

/**
 * Safety numbers for out-of-band comparison, as Signal shows them (Fingerprint version 2 over
 * service ids, 5200 hash iterations), and a plain SHA-256 fingerprint for reports.
 */
import { Fingerprint, PublicKey } from '@signalapp/libsignal-client';
import { createHash } from 'node:crypto';
import { describeError } from './protocol.js';

const ITERATIONS = 5200;
const VERSION = 2;

/** Hex SHA-256 of a serialized identity key: stable across fetches, short enough to compare in a report. */
export function fingerprint(identityKey: Uint8Array): string {
  return createHash('sha256').update(identityKey).digest('hex');
}

export type SafetyNumberResult = { ok: true; safetyNumber: string } | { ok: false; reason: string };

/** The 60-digit displayable safety number of two identities; both sides compute the same digits. */
export function safetyNumber(
  localIdentity: Uint8Array,
  localId: string,
  remoteIdentity: Uint8Array,
  remoteId: string,
): SafetyNumberResult {
  try {
    const print = Fingerprint.new(
      ITERATIONS,
      VERSION,
      utf8(localId),
      PublicKey.deserialize(copy(localIdentity)),
      utf8(remoteId),
      PublicKey.deserialize(copy(remoteIdentity)),
    );
    return { ok: true, safetyNumber: print.displayableFingerprint().toString() };
  } catch (error: unknown) {
    return { ok: false, reason: describeError(error) };
  }
}

/** Groups the 60 digits in twelve blocks of five, as messengers display them. */
export function formatSafetyNumber(digits: string): string {
  return digits.match(/.{1,5}/g)?.join(' ') ?? digits;
}

function utf8(text: string): Uint8Array<ArrayBuffer> {
  return copy(Buffer.from(text, 'utf8'));
}

function copy(source: Uint8Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(new ArrayBuffer(source.byteLength));
  bytes.set(source);
  return bytes;
}

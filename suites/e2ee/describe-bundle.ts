/**
 * Turns one key-bundle answer into a BundleRecord: decoded, signatures checked, fingerprinted.
 * Malformed key material (bad base64, wrong type byte, truncated keys) becomes a record with its
 * problems, never a throw.
 */
import {
  fingerprint,
  parseKeyBundle,
  toBase64,
  verifyBundleSignatures,
  type DeviceBundle,
  type KeyBundle,
} from '../../src/e2ee/index.js';
import type { HttpExchange } from '../../src/http/types.js';
import type { BundleRecord } from './records.js';

/** A decoded bundle together with what the harness records about it. */
export interface DescribedBundle {
  record: BundleRecord;
  /** The decoded bundle, when it decoded (used to open the session). */
  bundle: KeyBundle | null;
}

const EMPTY: Omit<BundleRecord, 'status' | 'state' | 'problems'> = {
  identityKey: null,
  identityFingerprint: null,
  deviceId: null,
  registrationId: null,
  signedPreKeyId: null,
  preKeyId: null,
  pqPreKeyId: null,
  signatures: null,
};

/** Describes the answer to a key fetch for device `deviceId` of the recipient (null: the first device listed). */
export function describeBundle(
  exchange: Pick<HttpExchange, 'status' | 'outcome' | 'json' | 'errorMessage'>,
  deviceId: number | null,
): DescribedBundle {
  const { status } = exchange;
  if (exchange.outcome !== 'ok' || status !== 200) {
    return {
      record: { ...EMPTY, status, state: 'unavailable', problems: [unavailableReason(exchange)] },
      bundle: null,
    };
  }
  if (exchange.json === undefined)
    return { record: { ...EMPTY, status, state: 'malformed', problems: ['the answer is not JSON'] }, bundle: null };
  const parsed = parseKeyBundle(exchange.json);
  if (!parsed.ok) return { record: { ...EMPTY, status, state: 'malformed', problems: parsed.problems }, bundle: null };
  const device = deviceOf(parsed.bundle, deviceId);
  if (device === undefined) {
    const record: BundleRecord = {
      ...EMPTY,
      ...identityOf(parsed.bundle),
      status,
      state: 'malformed',
      problems: [`devices: no device ${deviceId ?? ''}`],
    };
    return { record, bundle: null };
  }
  const record: BundleRecord = {
    ...identityOf(parsed.bundle),
    status,
    state: 'ok',
    problems: [],
    deviceId: device.deviceId,
    registrationId: device.registrationId,
    signedPreKeyId: device.signedPreKey.keyId,
    preKeyId: device.preKey?.keyId ?? null,
    pqPreKeyId: device.pqPreKey?.keyId ?? null,
    signatures: verifyBundleSignatures(parsed.bundle),
  };
  return { record, bundle: parsed.bundle };
}

function identityOf(bundle: KeyBundle): Pick<BundleRecord, 'identityKey' | 'identityFingerprint'> {
  return { identityKey: toBase64(bundle.identityKey), identityFingerprint: fingerprint(bundle.identityKey) };
}

/** The device asked for; a fetch of every device (`*`) is read as the first one listed. */
function deviceOf(bundle: KeyBundle, deviceId: number | null): DeviceBundle | undefined {
  return deviceId === null ? bundle.devices[0] : bundle.devices.find((device) => device.deviceId === deviceId);
}

function unavailableReason(exchange: Pick<HttpExchange, 'status' | 'outcome' | 'errorMessage'>): string {
  if (exchange.outcome === 'ok' || exchange.outcome === 'http-error')
    return `the key fetch was answered with HTTP ${exchange.status}`;
  return `the key fetch failed (${exchange.outcome}${exchange.errorMessage === undefined ? '' : `: ${exchange.errorMessage}`})`;
}

/**
 * E2EE-KEY-003 and E2EE-KEY-004: is every cohort served the same recipient, with the same supply
 * of one-time prekeys? A different identity key for one cohort is a man in the middle.
 */
import { defineCheck, type AnalysisContext } from '../../../src/engine/check.js';
import { fingerprint, fromBase64 } from '../../../src/e2ee/index.js';
import type { Finding, JsonObject, Observation } from '../../../src/core/types.js';
import {
  bundlesOf,
  common,
  decided,
  errored,
  fetchCounts,
  noBundleReason,
  partiesOf,
  share,
  type BundleReadings,
  type Party,
} from '../findings.js';
import { recordProbe } from '../probe.js';
import { KIND } from '../records.js';
import { PARITY_BASIS, X3DH_AUTH, X3DH_ONE_TIME } from '../references.js';

const IDENTITY = 'E2EE-KEY-003';
const ONE_TIME = 'E2EE-KEY-004';

const identity = defineCheck({
  id: IDENTITY,
  title: 'Recipient identity key consistent (no substitution)',
  suite: 'e2ee',
  description:
    'Every cohort is served the same identity key for the recipient on every fetch, equal to the pinned key when one is configured.',
  references: [...PARITY_BASIS, X3DH_AUTH],
  requires: ['interop'],
  run: (ctx) => recordProbe(ctx, IDENTITY, [KIND.bundle]),
  analyse: (observations, ctx) => {
    const pinned = readPinned(ctx.target.pinnedIdentityKey);
    const referenceKeys = keysOf(bundlesOf(observations, ctx.reference.id));
    return partiesOf(ctx).map((party) => judgeIdentity(observations, party, { ctx, pinned, referenceKeys }));
  },
});

type Pinned = { fingerprint: string } | { problem: string } | null;

/** The pinned key's fingerprint, or why the configured value cannot be used. */
function readPinned(value: string | null): Pinned {
  if (value === null || value === '') return null;
  const bytes = fromBase64(value.trim());
  if (bytes === null || (bytes.length !== 32 && bytes.length !== 33)) {
    return {
      problem:
        'the pinned identity key in the config (target.interop.pinnedIdentityKey) is not a base64 Curve25519 public key',
    };
  }
  // Keys copied from other tools often lack the 0x05 type byte that served keys carry.
  return { fingerprint: fingerprint(bytes.length === 32 ? Uint8Array.of(0x05, ...bytes) : bytes) };
}

/** The distinct identity-key fingerprints a cohort was served. */
function keysOf(readings: BundleReadings): string[] {
  return [
    ...new Set(readings.all.map((r) => r.record.identityFingerprint).filter((f): f is string => typeof f === 'string')),
  ];
}

interface IdentityInput {
  ctx: AnalysisContext;
  pinned: Pinned;
  referenceKeys: string[];
}

function judgeIdentity(observations: readonly Observation[], party: Party, input: IdentityInput): Finding {
  const { ctx, pinned, referenceKeys } = input;
  const base = common(identity, party, ctx);
  const readings = bundlesOf(observations, party.id);
  const keys = keysOf(readings);
  const pinnedFingerprint = pinned !== null && 'fingerprint' in pinned ? pinned.fingerprint : null;
  const measurements: JsonObject = {
    fetches: fetchCounts(readings),
    identityKeyFingerprints: keys,
    referenceFingerprints: party.isReference ? null : referenceKeys,
    pinnedFingerprint,
  };
  const fail = (summary: string): Finding => decided(base, 'fail', summary, measurements, readings.evidence);
  const { label } = party;
  if (pinned !== null && 'problem' in pinned) return errored(base, pinned.problem, measurements, readings.evidence);
  if (keys.length === 0) return errored(base, noBundleReason(party, readings), measurements, readings.evidence);
  if (keys.length > 1) {
    return fail(
      `The recipient's identity key served to ${label} changed between ` +
        `fetches (${keys.length} different keys in ${readings.all.length} ` +
        `fetches): at least one of them is not the recipient's, and a key ` +
        `that is not the recipient's lets the gateway read the messages.`,
    );
  }
  const isSubstituted = !party.isReference && referenceKeys.length > 0 && !referenceKeys.includes(keys[0] as string);
  if (isSubstituted) {
    return fail(
      `The identity key served to ${label} differs from the one served to ${ctx.reference.label}: a substituted key lets the gateway read the messages.`,
    );
  }
  if (pinnedFingerprint !== null && keys[0] !== pinnedFingerprint) {
    return fail(
      `The identity key served to ${label} differs from the recipient's key pinned out of band: whoever holds the served key can read the messages.`,
    );
  }
  if (!party.isReference && referenceKeys.length === 0 && pinnedFingerprint === null) {
    return errored(
      base,
      `nothing to compare ${label}'s key with: no identity key was served to ${ctx.reference.label} and none is pinned`,
      measurements,
      readings.evidence,
    );
  }
  const against = [
    party.isReference ? '' : `the one served to ${ctx.reference.label}`,
    pinnedFingerprint === null ? '' : 'the pinned key',
  ]
    .filter(Boolean)
    .join(' and ');
  const summary =
    `The identity key served to ${label} was ` +
    `the same in all ${readings.all.length} ` +
    `fetches${against === '' ? '' : ` and matches ${against}`} ` +
    `(fingerprint ${keys[0]?.slice(0, 16)}…).`;
  return decided(base, 'pass', summary, measurements, readings.evidence);
}

const oneTime = defineCheck({
  id: ONE_TIME,
  title: 'One-time prekey availability parity',
  suite: 'e2ee',
  description:
    'A third party is served one-time prekeys as often as the gatekeeper’s own assistant, so its first messages get the same protection.',
  references: [...PARITY_BASIS, X3DH_ONE_TIME],
  requires: ['interop'],
  run: (ctx) => recordProbe(ctx, ONE_TIME, [KIND.bundle]),
  analyse: (observations, ctx) => {
    const reference = bundlesOf(observations, ctx.reference.id);
    return partiesOf(ctx)
      .filter((party) => !party.isReference)
      .map((party) => judgeOneTime(bundlesOf(observations, party.id), reference, party, ctx));
  },
});

function judgeOneTime(
  readings: BundleReadings,
  reference: BundleReadings,
  party: Party,
  ctx: AnalysisContext,
): Finding {
  const base = common(oneTime, party, ctx);
  const offered = readings.decoded.filter((r) => r.preKeyId !== null).length;
  const refOffered = reference.decoded.filter((r) => r.preKeyId !== null).length;
  const n = readings.decoded.length;
  const refN = reference.decoded.length;
  const measurements: JsonObject = {
    oneTimePreKeysServed: { subject: offered, reference: refOffered },
    oneTimePreKeyIds: { subject: preKeyIds(readings), reference: preKeyIds(reference) },
    decodedFetches: { subject: n, reference: refN },
    fetches: { subject: fetchCounts(readings), reference: fetchCounts(reference) },
  };
  const evidence = [...readings.evidence, ...reference.evidence];
  if (n === 0) return errored(base, noBundleReason(party, readings), measurements, evidence);
  if (refN === 0)
    return errored(base, noBundleReason({ ...ctx.reference, isReference: true }, reference), measurements, evidence);
  const { label } = party;
  const counts = `${share(offered, n)} fetches for ${label}, ${share(refOffered, refN)} for ${ctx.reference.label}`;
  if (offered === 0 && refOffered > 0) {
    const summary =
      `${label} was served no one-time prekey while ` +
      `${ctx.reference.label} was (${counts}): its sessions start ` +
      `without the one-time key that protects a first message ` +
      `should the recipient's signed prekey later leak.`;
    return decided(base, 'fail', summary, measurements, evidence);
  }
  if (offered / n < refOffered / refN) {
    return decided(
      base,
      'warn',
      `${label} was served one-time prekeys less often than ${ctx.reference.label} (${counts}).`,
      measurements,
      evidence,
    );
  }
  if (refOffered === 0) {
    return decided(
      base,
      'warn',
      `No cohort was served a one-time prekey (${counts}): availability is equal, but first messages lack that protection for everyone.`,
      measurements,
      evidence,
    );
  }
  return decided(
    base,
    'pass',
    `One-time prekeys were available to ${label} as to ${ctx.reference.label} (${counts}).`,
    measurements,
    evidence,
  );
}

function preKeyIds(readings: BundleReadings): number[] {
  return readings.decoded.flatMap((r) => (r.preKeyId === null ? [] : [r.preKeyId]));
}

/** E2EE-KEY-003 and E2EE-KEY-004, in catalogue order. */
export const keyParityChecks = [identity, oneTime];

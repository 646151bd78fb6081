/** E2EE-KEY-001 and E2EE-KEY-002: is the key material each cohort is served sound and post-quantum? */
import { defineCheck, type AnalysisContext } from '../../../src/engine/check.js';
import type { Finding, Observation } from '../../../src/core/types.js';
import {
  bundlesOf,
  common,
  decided,
  errored,
  fetchCounts,
  noBundleReason,
  partiesOf,
  problemsOf,
  share,
  type BundleReadings,
  type Party,
} from '../findings.js';
import { recordProbe } from '../probe.js';
import { KIND } from '../records.js';
import { E2EE_BASIS, PQXDH_KEYS } from '../references.js';

const SIGNATURES = 'E2EE-KEY-001';
const KYBER = 'E2EE-KEY-002';

const signatures = defineCheck({
  id: SIGNATURES,
  title: 'Prekey signatures verify under the identity key',
  suite: 'e2ee',
  description:
    'The signed prekey and the Kyber prekey the recipient publishes carry signatures that verify under its identity key, for every cohort and every fetch.',
  references: [...E2EE_BASIS, PQXDH_KEYS],
  requires: ['interop'],
  run: (ctx) => recordProbe(ctx, SIGNATURES, [KIND.bundle]),
  analyse: (observations, ctx) => partiesOf(ctx).map((party) => judgeSignatures(observations, party, ctx)),
});

function judgeSignatures(observations: readonly Observation[], party: Party, ctx: AnalysisContext): Finding {
  const base = common(signatures, party, ctx);
  const readings = bundlesOf(observations, party.id);
  const failedSigned = readings.decoded.filter((r) => r.signatures?.signedPreKey !== true);
  const failedKyber = readings.decoded.filter((r) => r.signatures?.pqPreKey === false);
  const withKyber = readings.decoded.filter((r) => r.pqPreKeyId !== null);
  const measurements = {
    fetches: fetchCounts(readings),
    signedPreKey: { verified: readings.decoded.length - failedSigned.length, failed: failedSigned.length },
    kyberPreKey: {
      offered: withKyber.length,
      verified: withKyber.length - failedKyber.length,
      failed: failedKyber.length,
    },
    signedPreKeyIds: [...new Set(readings.decoded.map((r) => r.signedPreKeyId))],
    problems: problemsOf(readings.malformed),
  };
  const { label } = party;
  const n = readings.all.length;
  if (failedSigned.length > 0 || failedKyber.length > 0) {
    const which = [
      failedSigned.length > 0 ? `signed prekey (${share(failedSigned.length, n)} fetches)` : '',
      failedKyber.length > 0 ? `Kyber prekey (${share(failedKyber.length, n)} fetches)` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    const summary =
      `The ${which} served to ${label} carries a signature ` +
      `that does not verify under the recipient's identity ` +
      `key: the keys were altered after the recipient ` +
      `signed them, and a Signal client must refuse them.`;
    return decided(base, 'fail', summary, measurements, readings.evidence);
  }
  if (readings.malformed.length > 0) {
    const summary =
      `The key bundle served to ${label} is malformed ` +
      `in ${share(readings.malformed.length, n)} ` +
      `fetches (${problemsOf(readings.malformed).join('; ')}), ` +
      `so its signatures cannot be verified.`;
    return decided(base, 'fail', summary, measurements, readings.evidence);
  }
  if (readings.decoded.length === 0)
    return errored(base, noBundleReason(party, readings), measurements, readings.evidence);
  const keys = withKyber.length === 0 ? 'signed prekey' : 'signed prekey and Kyber prekey';
  const note = withKyber.length === 0 ? ' (no Kyber prekey was offered to check; see E2EE-KEY-002)' : '';
  const summary = `The ${keys} signatures in every bundle served to ${label} (${readings.decoded.length}) verify under the recipient's identity key${note}.`;
  return decided(base, 'pass', summary, measurements, readings.evidence);
}

const kyber = defineCheck({
  id: KYBER,
  title: 'Post-quantum (Kyber) prekey offered',
  suite: 'e2ee',
  description:
    'Every bundle the recipient serves offers a Kyber prekey, so a post-quantum (PQXDH) session is possible for every cohort.',
  references: [...E2EE_BASIS, PQXDH_KEYS],
  requires: ['interop'],
  run: (ctx) => recordProbe(ctx, KYBER, [KIND.bundle]),
  analyse: (observations, ctx) => {
    const reference = bundlesOf(observations, ctx.reference.id);
    return partiesOf(ctx).map((party) => judgeKyber(bundlesOf(observations, party.id), reference, party, ctx));
  },
});

function judgeKyber(readings: BundleReadings, reference: BundleReadings, party: Party, ctx: AnalysisContext): Finding {
  const base = common(kyber, party, ctx);
  const offered = readings.decoded.filter((r) => r.pqPreKeyId !== null);
  const refOffered = reference.decoded.filter((r) => r.pqPreKeyId !== null);
  const measurements = {
    fetches: fetchCounts(readings),
    kyberPreKeyOffered: offered.length,
    kyberPreKeyIds: [...new Set(offered.map((r) => r.pqPreKeyId))],
    reference: { decoded: reference.decoded.length, kyberPreKeyOffered: refOffered.length },
  };
  const n = readings.decoded.length;
  if (n === 0) return errored(base, noBundleReason(party, readings), measurements, readings.evidence);
  const { label } = party;
  if (offered.length === n) {
    const summary = `A Kyber (post-quantum) prekey was offered to ${label} in all ${n} bundles: post-quantum (PQXDH) sessions are possible.`;
    return decided(base, 'pass', summary, measurements, readings.evidence);
  }
  const contrast =
    party.isReference || refOffered.length === 0
      ? ''
      : `, while ${ctx.reference.label} was offered one in ${share(refOffered.length, reference.decoded.length)}`;
  const what =
    offered.length === 0
      ? `No Kyber (post-quantum) prekey was offered to ${label} in any of ${n} bundles`
      : `A Kyber (post-quantum) prekey was offered to ${label} in only ${share(offered.length, n)} bundles`;
  const summary =
    `${what}${contrast}. Without it PQXDH is impossible, and as current Signal clients ` +
    `no longer fall back to X3DH-only sessions, ${label} cannot open an end-to-end encrypted session from those bundles at all.`;
  return decided(base, 'fail', summary, measurements, readings.evidence);
}

/** E2EE-KEY-001 and E2EE-KEY-002, in catalogue order. */
export const keyMaterialChecks = [signatures, kyber];

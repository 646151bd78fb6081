/**
 * `verify`: checks a bundle offline, with no network and no credentials — integrity (manifest,
 * digests, DSSE signature), format (results schema, HAR 1.2), safety (no secrets) and truth
 * (every finding recomputed from the raw samples).
 */
import type { Results } from '../core/types.js';
import { checkAttestation } from './sign.js';
import { keyIdOf, parsePublicKey } from './keys.js';
import { checkHar, checkResults, checkSecrets, readResults, readSamples, type Parsed } from './verify-content.js';
import { checkDigests, checkManifest, checkPaths, readSnapshot, type BundleSnapshot } from './verify-files.js';
import { checkRecompute } from './verify-recompute.js';
import type { RecomputeFindings, VerifyCheck, VerifyOptions, VerifyReport } from './verify-types.js';

export type { RecomputeFindings, VerifyCheck, VerifyOptions, VerifyReport } from './verify-types.js';

/** Verifies the bundle in `dir`; throws BundleReadError only when the folder cannot be read at all. */
export async function verifyBundle(dir: string, options: VerifyOptions): Promise<VerifyReport> {
  const snapshot = await readSnapshot(dir);
  const [signature, publicKey] = await checkSignature(dir, options.publicKeyPem);
  const results = readResults(snapshot);
  const checks: VerifyCheck[] = [
    checkManifest(snapshot),
    checkPaths(snapshot),
    checkDigests(snapshot),
    signature,
    publicKey,
    checkResults(snapshot, results),
    checkHar(snapshot),
    checkSecrets(snapshot),
    recomputeStep(snapshot, results, options.recompute),
  ];
  return { ok: checks.every((check) => check.ok), checks };
}

async function checkSignature(dir: string, pinnedPem: string | undefined): Promise<[VerifyCheck, VerifyCheck]> {
  const attestation = await checkAttestation(dir);
  const signature: VerifyCheck = {
    name: 'signature',
    ok: attestation.ok,
    details: attestation.ok
      ? [`DSSE Ed25519 signature by key ${attestation.keyId ?? '?'} covers manifest.json and every file it lists`]
      : attestation.problems,
  };
  if (pinnedPem === undefined) {
    return [
      signature,
      { name: 'public-key', ok: true, details: ['no key pinned: the signature shows integrity, not who signed'] },
    ];
  }
  const pinnedId = keyIdOf(parsePublicKey(pinnedPem));
  const isPinned = attestation.keyId === pinnedId;
  const details = isPinned
    ? [`signed by the pinned key ${pinnedId}`]
    : [`signed by key ${attestation.keyId ?? '(unreadable)'}, not the pinned key ${pinnedId}`];
  return [signature, { name: 'public-key', ok: isPinned && attestation.ok, details }];
}

function recomputeStep(snapshot: BundleSnapshot, results: Parsed<Results>, recompute: RecomputeFindings): VerifyCheck {
  const samples = readSamples(snapshot);
  if (results.value === null || samples.value === null) {
    return { name: 'recompute', ok: false, details: ['cannot recompute:', ...results.problems, ...samples.problems] };
  }
  return checkRecompute(results.value, samples.value, recompute);
}

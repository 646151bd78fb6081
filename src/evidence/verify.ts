/**
 * `verify`: checks a bundle offline, with no network and no credentials — integrity (manifest,
 * digests, DSSE signature), format (results schema, HAR 1.2), safety (no secrets) and truth
 * (every finding recomputed from the raw samples).
 */
import type { Observation, Results, RunCheckpoint } from '../core/types.js';
import { checkAttestation } from './sign.js';
import { keyIdOf, parsePublicKey } from './keys.js';
import { checkResults, readResults, scanContent, type Parsed } from './verify-content.js';
import { checkDigests, checkManifest, checkPaths, readSnapshot } from './verify-files.js';
import { checkRecompute } from './verify-recompute.js';
import type { RecomputeFindings, VerifyCheck, VerifyOptions, VerifyReport } from './verify-types.js';

export type { RecomputeFindings, VerifyCheck, VerifyOptions, VerifyReport } from './verify-types.js';

/** Verifies the bundle in `dir`; throws BundleReadError only when the folder cannot be read at all. */
export async function verifyBundle(dir: string, options: VerifyOptions): Promise<VerifyReport> {
  const snapshot = await readSnapshot(dir);
  const [signature, publicKey] = await checkSignature(dir, options.publicKeyPem);
  const results = await readResults(snapshot);
  const content = await scanContent(snapshot);
  const checks: VerifyCheck[] = [
    checkManifest(snapshot),
    checkPaths(snapshot),
    checkDigests(snapshot),
    signature,
    publicKey,
    checkResults(snapshot, results),
    content.har,
    content.secrets,
    recomputeStep(results, content.samples, options.recompute),
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

function recomputeStep(
  results: Parsed<Results>,
  samples: Parsed<Observation[]>,
  recompute: RecomputeFindings,
): VerifyCheck {
  if (results.value === null || samples.value === null) {
    return { name: 'recompute', ok: false, details: ['cannot recompute:', ...results.problems, ...samples.problems] };
  }
  const checkpoint = results.value.run.checkpoint;
  if (checkpoint !== undefined) return checkCheckpoint(results.value, checkpoint, samples.value.length);
  return checkRecompute(results.value, samples.value, recompute);
}

/**
 * A checkpoint vouches for the raw data so far and claims no finding yet: what is checked is that
 * it claims none and that it counts the samples on disk.
 */
function checkCheckpoint(results: Results, checkpoint: RunCheckpoint, samples: number): VerifyCheck {
  const details: string[] = [];
  if (results.findings.length > 0)
    details.push(`a checkpoint records no findings, this one has ${results.findings.length}`);
  if (checkpoint.samples !== samples)
    details.push(`run.checkpoint.samples is ${checkpoint.samples}, samples.ndjson holds ${samples}`);
  const ok = details.length === 0;
  return {
    name: 'recompute',
    ok,
    details: ok
      ? [`checkpoint at ${checkpoint.at} of an unfinished run: ${samples} samples, no findings yet`]
      : details,
  };
}

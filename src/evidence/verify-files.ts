/** The integrity checks of `verify`: the manifest, what the folder holds, and every digest. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleReadError } from '../core/errors.js';
import type { Digest } from './bundle/append-file.js';
import { hashFile } from './bundle/seal.js';
import type { VerifyCheck } from './verify-types.js';
import {
  ATTESTATION_FILE,
  MANIFEST_FILE,
  listBundleFiles,
  parseManifest,
  unsafePathReason,
  type BundleManifest,
  type FoundFile,
} from './verify-manifest.js';

/** A bundle folder as found: its files, each one's digest (streamed, never held whole) and the manifest. */
export interface BundleSnapshot {
  dir: string;
  found: FoundFile[];
  /** sha256 and size of every regular file found, by relative path. */
  digests: Map<string, Digest>;
  manifest: BundleManifest | null;
  manifestProblems: string[];
}

/** Hashes every file of the bundle; throws BundleReadError when the folder itself cannot be read. */
export async function readSnapshot(dir: string): Promise<BundleSnapshot> {
  let found: FoundFile[];
  try {
    found = await listBundleFiles(dir);
  } catch (error: unknown) {
    throw new BundleReadError(
      `cannot read bundle folder ${dir}: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
  const digests = new Map<string, Digest>();
  let manifestBytes: Buffer | undefined;
  for (const file of found) {
    if (file.isSymlink) continue;
    try {
      if (file.path === MANIFEST_FILE) manifestBytes = await readFile(join(dir, file.path));
      digests.set(file.path, await hashFile(join(dir, file.path)));
    } catch (error: unknown) {
      throw new BundleReadError(`cannot read ${join(dir, file.path)}`, error);
    }
  }
  const parsed =
    manifestBytes === undefined
      ? { manifest: null, problems: [`${MANIFEST_FILE} is missing`] }
      : parseManifest(manifestBytes);
  return { dir, found, digests, manifest: parsed.manifest, manifestProblems: parsed.problems };
}

/** manifest.json is present, JSON and schema-valid. */
export function checkManifest(snapshot: BundleSnapshot): VerifyCheck {
  const { manifest, manifestProblems } = snapshot;
  if (manifest === null) return { name: 'manifest', ok: false, details: manifestProblems };
  return { name: 'manifest', ok: true, details: [`run ${manifest.runId}, ${manifest.files.length} files listed`] };
}

/** No unsafe path in the manifest, no path listed twice, no file in the folder the manifest does not list. */
export function checkPaths(snapshot: BundleSnapshot): VerifyCheck {
  const listed = snapshot.manifest?.files.map((file) => file.path) ?? [];
  const details: string[] = [];
  const seen = new Set<string>();
  for (const path of listed) {
    const reason = unsafePathReason(path);
    if (reason !== null) details.push(`${JSON.stringify(path)}: manifest path ${reason}`);
    if (seen.has(path)) details.push(`${path}: listed twice in ${MANIFEST_FILE}`);
    seen.add(path);
  }
  for (const file of snapshot.found) {
    if (file.isSymlink) details.push(`${file.path}: is a symbolic link`);
    const isOwn = file.path === MANIFEST_FILE || file.path === ATTESTATION_FILE;
    if (!isOwn && !seen.has(file.path)) details.push(`${file.path}: in the folder but not listed in ${MANIFEST_FILE}`);
  }
  if (snapshot.manifest === null)
    return { name: 'paths', ok: false, details: [`${MANIFEST_FILE} unreadable, paths not checked`] };
  const ok = details.length === 0;
  return { name: 'paths', ok, details: ok ? [`every path is inside the bundle and every file is listed`] : details };
}

/** Every listed file exists with the listed byte count and sha256. */
export function checkDigests(snapshot: BundleSnapshot): VerifyCheck {
  if (snapshot.manifest === null)
    return { name: 'digests', ok: false, details: [`${MANIFEST_FILE} unreadable, digests not checked`] };
  const details: string[] = [];
  for (const file of snapshot.manifest.files) {
    if (unsafePathReason(file.path) !== null) continue;
    const digest = snapshot.digests.get(file.path);
    if (digest === undefined) {
      details.push(`${file.path}: listed in ${MANIFEST_FILE} but missing`);
      continue;
    }
    if (digest.bytes !== file.bytes)
      details.push(`${file.path}: ${digest.bytes} bytes, ${MANIFEST_FILE} lists ${file.bytes}`);
    const sha = digest.sha256;
    if (sha !== file.sha256) details.push(`${file.path}: sha256 ${sha}, ${MANIFEST_FILE} lists ${file.sha256}`);
  }
  const ok = details.length === 0;
  return { name: 'digests', ok, details: ok ? [`${snapshot.manifest.files.length} files match`] : details };
}

/**
 * Sealing a bundle: manifest.json over every file (sha256 and size) and attestation.json over the
 * manifest. Small files are replaced atomically (written beside the bundle, then renamed in), so a
 * crash never leaves a half-written manifest or a stray temporary file inside the bundle.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OutputError } from '../../core/errors.js';
import { TOOL } from '../../core/version.js';
import type { SigningKey } from '../keys.js';
import { buildStatement, serialiseEnvelope, signStatement } from '../sign.js';
import { listBundleFiles, sha256Hex, type BundleManifest, type ManifestEntry } from '../verify-manifest.js';
import type { Vantage } from '../../core/types.js';
import type { Digest } from './append-file.js';
import { ATTESTATION_FILE, isSealFile, MANIFEST_FILE } from './layout.js';

/** What the manifest says about the run besides its files. */
export interface SealMeta {
  runId: string;
  createdAt: string;
  seed: number;
  configDigest: string | null;
  /** Where the run was measured from, as the user stated it (`run --vantage`). */
  vantage?: Vantage;
}

/** Writes `text` to `dir/name` by rename, so readers see the old or the new file, never a torn one. */
export async function replaceFile(dir: string, name: string, text: string | Uint8Array): Promise<Digest> {
  const temporary = join(dirname(dir), `.${basename(dir)}.${name}.tmp`);
  try {
    await writeFile(temporary, text);
    await rename(temporary, join(dir, name));
  } catch (error: unknown) {
    await rm(temporary, { force: true });
    throw new OutputError(`cannot write ${join(dir, name)}: ${(error as Error).message}`, error);
  }
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  return { sha256: sha256Hex(bytes), bytes: bytes.length };
}

/** Streams a file through sha256. */
export async function hashFile(path: string): Promise<Digest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Writes manifest.json over every file in `dir` (taking the digests in `known` as given, hashing
 * the rest from disk) and signs it into attestation.json.
 */
export async function sealBundle(
  dir: string,
  meta: SealMeta,
  known: ReadonlyMap<string, Digest>,
  key: SigningKey,
): Promise<BundleManifest> {
  const paths = (await listBundleFiles(dir)).map((file) => file.path).filter((path) => !isSealFile(path));
  const files: ManifestEntry[] = [];
  for (const path of paths) {
    const digest = known.get(path) ?? (await hashFile(join(dir, path)));
    files.push({ path, sha256: digest.sha256, bytes: digest.bytes });
  }
  const manifest: BundleManifest = {
    schemaVersion: 1,
    tool: { name: TOOL.name, version: TOOL.version },
    ...meta,
    files,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const sealed = await replaceFile(dir, MANIFEST_FILE, manifestText);
  const envelope = signStatement(buildStatement(manifest, sealed.sha256, key), key.privateKey, key.keyId);
  await replaceFile(dir, ATTESTATION_FILE, serialiseEnvelope(envelope));
  return manifest;
}

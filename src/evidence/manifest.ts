/** Writes manifest.json: the sha256 and size of every other file of the bundle (docs/architecture.md, "Evidence bundle"). */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Vantage } from '../core/types.js';
import { TOOL } from '../core/version.js';
import { ATTESTATION_FILE, listBundleFiles, MANIFEST_FILE, sha256Hex, type BundleManifest } from './verify-manifest.js';

/** Hashes every file in `dir` (except the manifest and attestation) and writes manifest.json. */
export async function writeManifest(
  dir: string,
  meta: { runId: string; createdAt: string; seed: number; configDigest: string | null; vantage?: Vantage },
): Promise<BundleManifest> {
  const found = await listBundleFiles(dir);
  const paths = found
    .map((file) => file.path)
    .filter((path) => path !== MANIFEST_FILE && path !== ATTESTATION_FILE)
    .sort();
  const files = await Promise.all(
    paths.map(async (path) => {
      const bytes = await readFile(join(dir, path));
      return { path, sha256: sha256Hex(bytes), bytes: bytes.length };
    }),
  );
  const manifest: BundleManifest = {
    schemaVersion: 1,
    tool: { name: TOOL.name, version: TOOL.version },
    ...meta,
    files,
  };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

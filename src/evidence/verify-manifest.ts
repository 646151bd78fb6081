/** Reading manifest.json for checking: schema validation, safe paths, and digests of what is on disk. */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { validateAgainst } from '../core/schemas.js';
import { ATTESTATION_FILE, MANIFEST_FILE } from './bundle/layout.js';

export { ATTESTATION_FILE, MANIFEST_FILE } from './bundle/layout.js';

/** One file the manifest vouches for. */
export interface ManifestEntry {
  path: string;
  sha256: string;
  bytes: number;
}

/** manifest.json (schemas/manifest.schema.json). */
export interface BundleManifest {
  schemaVersion: 1;
  tool: { name: 'dma-audit'; version: string };
  runId: string;
  createdAt: string;
  seed: number;
  configDigest: string | null;
  /** The run's vantage point (results.json run.vantage), when one was given. */
  vantage?: { name: string } & { [key: string]: string };
  files: ManifestEntry[];
}

/** A manifest parsed from bytes: `manifest` is null when it is not JSON or fails the schema. */
export interface ParsedManifest {
  manifest: BundleManifest | null;
  problems: string[];
}

/** Hex sha256 of some bytes. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Parses and schema-checks manifest.json; every problem is named with its JSON path. */
export function parseManifest(bytes: Uint8Array): ParsedManifest {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error: unknown) {
    return {
      manifest: null,
      problems: [`${MANIFEST_FILE} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
  const problems = validateAgainst('manifest.schema.json', value).map((line) => `${MANIFEST_FILE}: ${line}`);
  return problems.length > 0 ? { manifest: null, problems } : { manifest: value as BundleManifest, problems: [] };
}

/**
 * Why a manifest path may not be opened, or null when it is a plain relative path inside the
 * bundle. A manifest is untrusted input: `../` or an absolute path would make verify hash (and
 * vouch for) files outside the folder it was asked about.
 */
export function unsafePathReason(path: string): string | null {
  if (path.includes('\0')) return 'contains a NUL byte';
  if (path.includes('\\')) return 'contains a backslash (paths are "/"-separated)';
  if (path.startsWith('/') || isAbsolute(path) || /^[A-Za-z]:/.test(path)) return 'is absolute';
  const parts = path.split('/');
  if (parts.includes('..')) return 'climbs out of the bundle ("..")';
  if (parts.some((part) => part === '' || part === '.')) return 'is not normalised (empty or "." segment)';
  if (path === MANIFEST_FILE || path === ATTESTATION_FILE) return 'names a file the manifest cannot cover';
  return null;
}

/** A non-directory entry found in a bundle folder. */
export interface FoundFile {
  /** '/'-separated, relative to the bundle folder. */
  path: string;
  /** Symbolic links are refused: they could point a digest at a file outside the bundle. */
  isSymlink: boolean;
}

/** Every non-directory entry under `dir`, sorted by path. */
export async function listBundleFiles(dir: string): Promise<FoundFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => ({
      path: relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'),
      isSymlink: entry.isSymbolicLink(),
    }));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

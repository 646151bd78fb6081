/**
 * The files of an evidence bundle (docs/architecture.md, "Evidence bundle"). Every
 * module that opens a bundle file takes its name from here.
 */

/** Run metadata and findings (schemas/results.schema.json). */
export const RESULTS_FILE = 'results.json';
/** Every raw measurement, one JSON object a line (schemas/samples.schema.json). */
export const SAMPLES_FILE = 'samples.ndjson';
/**
 * HAR 1.2 of every exchange, gzip-compressed: a multi-member gzip (RFC 1952 §2.2) whose
 * decompressed text is one HAR document with one entry a line (see har-stream.ts).
 */
export const EXCHANGES_FILE = 'exchanges.har.gz';
/** Bundles written before streaming kept the HAR uncompressed and pretty-printed; they stay readable. */
export const LEGACY_HAR_FILE = 'exchanges.har';
/** sha256 and size of every other file. */
export const MANIFEST_FILE = 'manifest.json';
/** DSSE envelope over manifest.json (src/evidence/sign.ts). */
export const ATTESTATION_FILE = 'attestation.json';

/** The recorded data, as opposed to reports rendered from it. */
export const DATA_FILES: readonly string[] = [RESULTS_FILE, SAMPLES_FILE, EXCHANGES_FILE];

/** Files the manifest cannot list because they vouch for it. */
export function isSealFile(path: string): boolean {
  return path === MANIFEST_FILE || path === ATTESTATION_FILE;
}

/** A report or other rendered file: re-rendered at the end of a run, so a resumed run drops it. */
export function isRenderedFile(path: string): boolean {
  return !isSealFile(path) && !DATA_FILES.includes(path) && path !== LEGACY_HAR_FILE;
}

/** Whether a stored file is gzip-compressed (its text is scanned after decompression). */
export function isGzipFile(path: string): boolean {
  return path.endsWith('.gz');
}

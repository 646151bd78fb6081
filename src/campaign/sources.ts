/**
 * Reading a campaign's input bundles: their results, the digests that pin them, and their samples line by
 * line (a bundle may hold 1M samples; nothing here holds a whole samples.ndjson as text).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BundleReadError } from '../core/errors.js';
import type { Observation, Results, SourceRun, Vantage } from '../core/types.js';
import { RESULTS_FILE, SAMPLES_FILE } from '../evidence/bundle/layout.js';
import { ATTESTATION_FILE, MANIFEST_FILE, sha256Hex } from '../evidence/verify-manifest.js';

/** The folder of a merged bundle that holds a verbatim copy of every input. */
export const SOURCES_DIR = 'sources';

/** One input bundle of a merge: where it is, what it says, and the source record the merged bundle keeps. */
export interface InputBundle {
  dir: string;
  results: Results;
  source: SourceRun;
}

/** Reads results.json of a bundle; an unreadable or non-JSON file is a BundleReadError naming it. */
export async function readResultsFile(dir: string): Promise<Results> {
  const path = join(dir, RESULTS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    throw new BundleReadError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  try {
    return JSON.parse(text) as Results;
  } catch (error: unknown) {
    throw new BundleReadError(`${path} is not valid JSON`, error);
  }
}

/** The input's results and its source record (vantage: the run's own, else named after its run id). */
export async function readInput(dir: string): Promise<InputBundle> {
  const results = await readResultsFile(dir);
  const digest = async (name: string): Promise<string> => sha256Hex(await readFile(join(dir, name)));
  const vantage: Vantage = results.run.vantage ?? { name: results.run.id };
  return {
    dir,
    results,
    source: {
      runId: results.run.id,
      vantage,
      attestationSha256: await digest(ATTESTATION_FILE),
      manifestSha256: await digest(MANIFEST_FILE),
      seed: results.run.seed,
      startedAt: results.run.startedAt,
    },
  };
}

/** Every line of a file, one at a time (readline over a stream). */
export async function* readLines(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line !== '') yield line;
}

/** The samples of a bundle, parsed one line at a time. */
export async function* readSampleLines(dir: string): AsyncGenerator<{ line: string; observation: Observation }> {
  for await (const line of readLines(join(dir, SAMPLES_FILE))) {
    yield { line, observation: JSON.parse(line) as Observation };
  }
}

/**
 * A source sample as it appears among the pooled samples: the original line when it already names this
 * vantage point, else the same object with `vantage` appended (so stripping it gives the original bytes back).
 */
export function pooledLine(line: string, observation: Observation, vantage: string): string {
  return observation.vantage === vantage ? line : JSON.stringify({ ...observation, vantage });
}

/** The inverse of pooledLine for a source whose own samples did (`hasVantage`) or did not carry the vantage. */
export function sourceLine(observation: Observation, hasVantage: boolean): string {
  if (hasVantage) return JSON.stringify(observation);
  const { vantage: _vantage, ...original } = observation;
  return JSON.stringify(original);
}

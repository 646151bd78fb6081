/**
 * Writes a run's evidence bundle: the recorded data first, then the reports rendered back from
 * those files (record once, render many), then the manifest over all of it, then the signature.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputError } from '../core/errors.js';
import type { Observation, Results } from '../core/types.js';
import { buildHar } from './har.js';
import type { SigningKey } from './keys.js';
import { writeManifest } from './manifest.js';
import type { ExchangeRecord } from './recorder.js';
import { attestBundle } from './sign.js';

export const RESULTS_FILE = 'results.json';
export const SAMPLES_FILE = 'samples.ndjson';
export const HAR_FILE = 'exchanges.har';

export interface BundleContent {
  results: Results;
  observations: readonly Observation[];
  exchanges: readonly ExchangeRecord[];
  configDigest: string | null;
}

/** Renders report files from the bundle folder as written so far (see src/report). */
export type RenderReports = (dir: string) => Promise<void>;

/** Writes the bundle into `dir` (created if needed) and signs it with `key`. */
export async function writeBundle(
  dir: string,
  content: BundleContent,
  options: { key: SigningKey; renderReports?: RenderReports },
): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, RESULTS_FILE), `${JSON.stringify(content.results, null, 2)}\n`);
    await writeFile(
      join(dir, SAMPLES_FILE),
      content.observations.map((o) => JSON.stringify(o)).join('\n') + (content.observations.length > 0 ? '\n' : ''),
    );
    await writeFile(join(dir, HAR_FILE), `${JSON.stringify(buildHar(content.exchanges), null, 2)}\n`);
  } catch (error: unknown) {
    throw new OutputError(`cannot write the evidence bundle to ${dir}: ${(error as Error).message}`, error);
  }
  await options.renderReports?.(dir);
  const { run } = content.results;
  await writeManifest(dir, {
    runId: run.id,
    createdAt: run.finishedAt,
    seed: run.seed,
    configDigest: content.configDigest,
    ...(run.vantage === undefined ? {} : { vantage: run.vantage }),
  });
  await attestBundle(dir, options.key);
}

/** The evidence bundle: its layout, the streaming writer a run records into, and the one reader. */
import type { Observation, Results } from '../../core/types.js';
import type { SigningKey } from '../keys.js';
import type { ExchangeRecord } from '../recorder.js';
import { BundleWriter, type RenderReports } from './writer.js';

export { SampleTable, type LineSpan } from './sample-table.js';
export * from './layout.js';
export * from './reader.js';
export {
  BundleWriter,
  encodeHarGz,
  type BundleWriterOptions,
  type CheckpointCounts,
  type RenderReports,
} from './writer.js';
export { hashFile, sealBundle } from './seal.js';

/** Everything a finished run recorded, for writing a bundle in one go. */
export interface BundleContent {
  results: Results;
  observations: readonly Observation[];
  exchanges: readonly ExchangeRecord[];
  configDigest: string | null;
}

/** Writes a whole bundle at once into `dir` (created if needed) and signs it with `key`: tests and merge. */
export async function writeBundle(
  dir: string,
  content: BundleContent,
  options: { key: SigningKey; renderReports?: RenderReports },
): Promise<void> {
  const { run } = content.results;
  const writer = await BundleWriter.create(dir, {
    key: options.key,
    runId: run.id,
    startedAt: run.startedAt,
    seed: run.seed,
    configDigest: content.configDigest,
    checkpointResults: () => content.results,
    checkpointMs: 0,
    maxBufferedBytes: Number.POSITIVE_INFINITY,
  });
  for (const observation of content.observations) writer.addSample(observation);
  for (const exchange of content.exchanges) writer.addExchange(exchange);
  await writer.finish(content.results, options.renderReports);
}

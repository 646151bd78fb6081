/** Reads an evidence bundle folder into a `BundleView` through the one bundle reader (src/evidence/bundle). */
import { BundleReadError } from '../core/errors.js';
import { readHar, readObservations, readResultsFile } from '../evidence/bundle/index.js';
import type { BundleView, HarEntryView } from './types.js';

/** Loads the files every reporter needs; throws `BundleReadError` when any is missing or unparsable. */
export async function readBundleView(dir: string): Promise<BundleView> {
  const results = await readResultsFile(dir);
  const observations = await readObservations(dir);
  const cited = new Set(results.findings.flatMap((finding) => finding.evidence));
  const entries: HarEntryView[] = [];
  let recorded = 0;
  for await (const item of readHar(dir)) {
    if (item.kind === 'problem') throw new BundleReadError(item.message);
    if (item.kind !== 'entry') continue;
    recorded += 1;
    const entry = item.entry as HarEntryView;
    if (cited.has(entry._id)) entries.push(entry);
  }
  return { results, observations, har: { log: { entries }, recorded } };
}

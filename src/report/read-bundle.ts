/** Reads an evidence bundle folder into a `BundleView` through the one bundle reader (src/evidence/bundle). */
import { readHarEntries, readObservations, readResultsFile } from '../evidence/bundle/index.js';
import type { BundleView, HarEntryView } from './types.js';

/** Loads the files every reporter needs; throws `BundleReadError` when any is missing or unparsable. */
export async function readBundleView(dir: string): Promise<BundleView> {
  const results = await readResultsFile(dir);
  const observations = await readObservations(dir);
  const cited = new Set(results.findings.flatMap((finding) => finding.evidence));
  const entries = await readHarEntries(dir, (entry) => viewOf(entry as HarEntryView, cited));
  return { results, observations, har: { log: { entries } } };
}

/**
 * Entries a finding cites are kept whole (reports rebuild requests from them); the rest, often
 * thousands, keep only what reporters read of them, without headers and bodies.
 */
function viewOf(entry: HarEntryView, cited: ReadonlySet<string>): HarEntryView {
  if (cited.has(entry._id)) return entry;
  const { _id, _cohort, _check, startedDateTime, time, request, response, timings } = entry;
  return {
    _id,
    ...(_cohort === undefined ? {} : { _cohort }),
    ...(_check === undefined ? {} : { _check }),
    ...(startedDateTime === undefined ? {} : { startedDateTime }),
    ...(time === undefined ? {} : { time }),
    request: { method: request.method, url: request.url },
    response: {
      status: response.status,
      ...(response.statusText === undefined ? {} : { statusText: response.statusText }),
    },
    ...(timings === undefined ? {} : { timings }),
  };
}

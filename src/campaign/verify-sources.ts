/**
 * The extra check `verify` makes on a merged bundle: every source it names is present as a verbatim copy whose
 * manifest and attestation have the recorded sha256, whose signature and digests still hold, and whose samples
 * are exactly the merged bundle's pooled samples of that vantage point, in order.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Results, SourceRun } from '../core/types.js';
import { SAMPLES_FILE } from '../evidence/bundle/layout.js';
import { checkAttestation } from '../evidence/sign.js';
import { ATTESTATION_FILE, MANIFEST_FILE, sha256Hex } from '../evidence/verify-manifest.js';
import type { VerifyCheck } from '../evidence/verify-types.js';
import { pooledLine, readLines, readSampleLines, SOURCES_DIR } from './sources.js';

/** The `sources` check of a merged bundle in `dir`. */
export async function checkSources(dir: string, results: Results): Promise<VerifyCheck> {
  const sources = results.run.sources ?? [];
  const details: string[] = [];
  for (const source of sources) details.push(...(await sourceProblems(dir, source)));
  details.push(...(await pooledProblems(dir, sources)));
  const ok = details.length === 0 && sources.length > 0;
  return {
    name: 'sources',
    ok,
    details: ok
      ? [`${sources.length} sources: recorded digests, signatures and pooled samples all match`]
      : details.length > 0
        ? details.slice(0, 20)
        : ['a merged bundle names no sources'],
  };
}

async function sourceProblems(dir: string, source: SourceRun): Promise<string[]> {
  const at = join(dir, SOURCES_DIR, source.runId);
  const problems: string[] = [];
  for (const [name, recorded] of [
    [MANIFEST_FILE, source.manifestSha256],
    [ATTESTATION_FILE, source.attestationSha256],
  ] as const) {
    const actual = await digestOf(join(at, name));
    if (actual !== recorded)
      problems.push(`${source.runId}: ${name} sha256 ${actual ?? '(missing)'}, recorded ${recorded}`);
  }
  const attestation = await checkAttestation(at);
  if (!attestation.ok) problems.push(...attestation.problems.slice(0, 3).map((p) => `${source.runId}: ${p}`));
  return problems;
}

/** The pooled samples are each source's samples, source after source, each line as pooledLine makes it. */
async function pooledProblems(dir: string, sources: readonly SourceRun[]): Promise<string[]> {
  const pooled = readLines(join(dir, SAMPLES_FILE))[Symbol.asyncIterator]();
  let index = 0;
  try {
    for (const source of sources) {
      for await (const { line, observation } of readSampleLines(join(dir, SOURCES_DIR, source.runId))) {
        index += 1;
        const next = await pooled.next();
        if (next.done === true) return [`${SAMPLES_FILE}: ends at line ${index}, before ${source.runId}'s samples do`];
        if (next.value !== pooledLine(line, observation, source.vantage.name))
          return [`${SAMPLES_FILE} line ${index} is not ${source.runId}'s sample (seq ${observation.seq}) as recorded`];
      }
    }
    if ((await pooled.next()).done !== true)
      return [`${SAMPLES_FILE}: has lines after line ${index} that no source holds`];
  } catch (error: unknown) {
    return [`cannot compare the pooled samples: ${error instanceof Error ? error.message : String(error)}`];
  } finally {
    await pooled.return?.(undefined);
  }
  return [];
}

async function digestOf(path: string): Promise<string | null> {
  try {
    return sha256Hex(await readFile(path));
  } catch {
    return null;
  }
}

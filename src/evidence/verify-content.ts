/** The content checks of `verify`: results.json and exchanges.har against their schemas, and no secrets anywhere. */
import { validateAgainst } from '../core/schemas.js';
import { VERDICTS, type Observation, type Results } from '../core/types.js';
import type { BundleSnapshot } from './verify-files.js';
import { scanHar, scanText } from './verify-secrets.js';
import type { VerifyCheck } from './verify-types.js';

export const RESULTS_FILE = 'results.json';
export const SAMPLES_FILE = 'samples.ndjson';
export const HAR_FILE = 'exchanges.har';
/** A broken HAR can fail the schema thousands of times; the first few say enough. */
const MAX_DETAILS = 20;

/** A file parsed as JSON, or why it could not be. */
export type Parsed<T> = { value: T; problems: [] } | { value: null; problems: string[] };

/** Parses a JSON file of the snapshot. */
export function parseJsonFile(snapshot: BundleSnapshot, name: string): Parsed<unknown> {
  const bytes = snapshot.bytes.get(name);
  if (bytes === undefined) return { value: null, problems: [`${name} is missing`] };
  try {
    return { value: JSON.parse(bytes.toString('utf8')) as unknown, problems: [] };
  } catch (error: unknown) {
    return {
      value: null,
      problems: [`${name} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
}

/** results.json, when it parses and is valid against schemas/results.schema.json. */
export function readResults(snapshot: BundleSnapshot): Parsed<Results> {
  const parsed = parseJsonFile(snapshot, RESULTS_FILE);
  if (parsed.value === null) return { value: null, problems: parsed.problems };
  const problems = validateAgainst('results.schema.json', parsed.value).map((line) => `${RESULTS_FILE}: ${line}`);
  return problems.length > 0 ? { value: null, problems } : { value: parsed.value as Results, problems: [] };
}

/** results.json is schema-valid and describes the run the manifest is for. */
export function checkResults(snapshot: BundleSnapshot, results: Parsed<Results>): VerifyCheck {
  if (results.value === null) return { name: 'results', ok: false, details: cap(results.problems) };
  const { manifest } = snapshot;
  const details: string[] = [];
  if (manifest !== null && manifest.runId !== results.value.run.id)
    details.push(`${RESULTS_FILE}: run.id ${results.value.run.id}, manifest.json says ${manifest.runId}`);
  if (manifest !== null && manifest.seed !== results.value.run.seed)
    details.push(`${RESULTS_FILE}: run.seed ${results.value.run.seed}, manifest.json says ${manifest.seed}`);
  details.push(...summaryProblems(results.value));
  const ok = details.length === 0;
  return { name: 'results', ok, details: ok ? [`${results.value.findings.length} findings, schema-valid`] : details };
}

/** The recorded summary counts the recorded findings (so a flipped verdict cannot hide behind an old tally). */
function summaryProblems(results: Results): string[] {
  const problems: string[] = [];
  const { summary, findings } = results;
  if (summary.total !== findings.length)
    problems.push(`${RESULTS_FILE}: summary.total is ${summary.total}, there are ${findings.length} findings`);
  for (const verdict of VERDICTS) {
    const count = findings.filter((finding) => finding.verdict === verdict).length;
    if (summary.byVerdict[verdict] !== count)
      problems.push(
        `${RESULTS_FILE}: summary.byVerdict.${verdict} is ${summary.byVerdict[verdict]}, findings have ${count}`,
      );
  }
  return problems;
}

/** exchanges.har is HAR 1.2 (schemas/har.schema.json). */
export function checkHar(snapshot: BundleSnapshot): VerifyCheck {
  const parsed = parseJsonFile(snapshot, HAR_FILE);
  if (parsed.value === null) return { name: 'har', ok: false, details: parsed.problems };
  const problems = validateAgainst('har.schema.json', parsed.value).map((line) => `${HAR_FILE}: ${line}`);
  const entries = (parsed.value as { log?: { entries?: unknown[] } }).log?.entries?.length ?? 0;
  return {
    name: 'har',
    ok: problems.length === 0,
    details: problems.length === 0 ? [`HAR 1.2, ${entries} entries`] : cap(problems),
  };
}

/** No credential-looking value in any file of the folder, listed or not. */
export function checkSecrets(snapshot: BundleSnapshot): VerifyCheck {
  const details: string[] = [];
  for (const [name, bytes] of snapshot.bytes) {
    details.push(...scanText(name, bytes.toString('utf8')));
    if (name === HAR_FILE) {
      const parsed = parseJsonFile(snapshot, name);
      if (parsed.value !== null) details.push(...scanHar(name, parsed.value));
    }
  }
  const ok = details.length === 0;
  return { name: 'secrets', ok, details: ok ? [`${snapshot.bytes.size} files scanned`] : cap(details) };
}

/** samples.ndjson as observations, or the lines that are not observations or not valid against schemas/samples.schema.json. */
export function readSamples(snapshot: BundleSnapshot): Parsed<Observation[]> {
  const bytes = snapshot.bytes.get(SAMPLES_FILE);
  if (bytes === undefined) return { value: null, problems: [`${SAMPLES_FILE} is missing`] };
  const observations: Observation[] = [];
  const problems: string[] = [];
  bytes
    .toString('utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      const observation = parseObservation(line);
      if (observation === null) problems.push(`${SAMPLES_FILE}:${index + 1}: not an observation`);
      else observations.push(observation);
      // Every field documented in schemas/samples.schema.json, and nothing else.
      if (observation !== null)
        for (const problem of validateAgainst('samples.schema.json', observation))
          problems.push(`${SAMPLES_FILE}:${index + 1}: ${problem}`);
    });
  return problems.length > 0 ? { value: null, problems: cap(problems) } : { value: observations, problems: [] };
}

function parseObservation(line: string): Observation | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const isObservation =
    typeof record['check'] === 'string' &&
    typeof record['cohort'] === 'string' &&
    typeof record['kind'] === 'string' &&
    Number.isInteger(record['seq']);
  return isObservation ? (value as Observation) : null;
}

function cap(lines: string[]): string[] {
  return lines.length <= MAX_DETAILS
    ? lines
    : [...lines.slice(0, MAX_DETAILS), `… and ${lines.length - MAX_DETAILS} more`];
}

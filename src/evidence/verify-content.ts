/**
 * The content checks of `verify`: results.json against its schema, exchanges.har(.gz) as HAR 1.2,
 * no secrets in any file, and samples.ndjson read for the recompute step. Every file but
 * results.json is read as a stream, once, with the secret scan riding along on each line.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateAgainst, validateFragment } from '../core/schemas.js';
import { VERDICTS, type Observation, type Results } from '../core/types.js';
import { EXCHANGES_FILE, LEGACY_HAR_FILE, RESULTS_FILE, SAMPLES_FILE } from './bundle/layout.js';
import { SampleTable } from './bundle/sample-table.js';
import { fileLines, readHar, readSampleLines, type OnLine } from './bundle/reader.js';
import type { BundleSnapshot } from './verify-files.js';
import { scanHarEntry, scanLine } from './verify-secrets.js';
import type { VerifyCheck } from './verify-types.js';

/** A broken HAR can fail the schema thousands of times; the first few say enough. */
const MAX_DETAILS = 20;
const HAR_SCHEMA = 'har.schema.json';

/** A file parsed, or why it could not be. */
export type Parsed<T> = { value: T; problems: [] } | { value: null; problems: string[] };

/** results.json, when it parses and is valid against schemas/results.schema.json. */
export async function readResults(snapshot: BundleSnapshot): Promise<Parsed<Results>> {
  if (!snapshot.digests.has(RESULTS_FILE)) return { value: null, problems: [`${RESULTS_FILE} is missing`] };
  let value: unknown;
  try {
    value = JSON.parse(await readFile(join(snapshot.dir, RESULTS_FILE), 'utf8'));
  } catch (error: unknown) {
    return { value: null, problems: [`${RESULTS_FILE} is not valid JSON: ${describe(error)}`] };
  }
  const problems = validateAgainst('results.schema.json', value).map((line) => `${RESULTS_FILE}: ${line}`);
  return problems.length > 0 ? { value: null, problems } : { value: value as Results, problems: [] };
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

/** What one streaming pass over the bundle's files found. */
export interface ContentScan {
  /** exchanges.har(.gz) is HAR 1.2 (schemas/har.schema.json), checked entry by entry. */
  har: VerifyCheck;
  /** No credential-looking value in any file of the folder, listed or not (gzip files decompressed). */
  secrets: VerifyCheck;
  /** samples.ndjson as observations, or the lines that are not observations. */
  samples: Parsed<Observation[]>;
}

/** Reads every regular file once: HAR structure and schema, samples, and the secret scan of every line. */
export async function scanContent(snapshot: BundleSnapshot): Promise<ContentScan> {
  const secretProblems: string[] = [];
  const secretsOf =
    (name: string): OnLine =>
    (line, lineNo) => {
      if (secretProblems.length <= MAX_DETAILS) secretProblems.push(...scanLine(`${name}:${lineNo}`, line));
    };
  let har: VerifyCheck = { name: 'har', ok: false, details: [`${EXCHANGES_FILE} is missing`] };
  let samples: Parsed<Observation[]> = { value: null, problems: [`${SAMPLES_FILE} is missing`] };
  for (const file of snapshot.found) {
    if (file.isSymlink) continue;
    const onLine = secretsOf(file.path);
    try {
      if (file.path === EXCHANGES_FILE || file.path === LEGACY_HAR_FILE) {
        har = await checkHarStream(snapshot.dir, file.path, onLine, secretProblems);
      } else if (file.path === SAMPLES_FILE) {
        samples = await readSamples(snapshot.dir, onLine);
      } else {
        let lineNo = 0;
        for await (const line of fileLines(snapshot.dir, file.path)) onLine(line, ++lineNo);
      }
    } catch (error: unknown) {
      secretProblems.push(
        `${file.path}: could not be read to the end, so it was not fully scanned: ${describe(error)}`,
      );
      if (file.path === SAMPLES_FILE) samples = { value: null, problems: [describe(error)] };
      if (file.path === EXCHANGES_FILE || file.path === LEGACY_HAR_FILE)
        har = { name: 'har', ok: false, details: [describe(error)] };
    }
  }
  const isClean = secretProblems.length === 0;
  const secrets: VerifyCheck = {
    name: 'secrets',
    ok: isClean,
    details: isClean ? [`${snapshot.digests.size} files scanned`] : cap(secretProblems),
  };
  return { har, secrets, samples };
}

async function checkHarStream(
  dir: string,
  name: string,
  onLine: OnLine,
  secretProblems: string[],
): Promise<VerifyCheck> {
  const problems: string[] = [];
  let entries = 0;
  let hasHead = false;
  for await (const item of readHar(dir, onLine)) {
    if (item.kind === 'problem') problems.push(item.message);
    else if (item.kind === 'head') {
      hasHead = true;
      problems.push(
        ...validateAgainst(HAR_SCHEMA, { log: { ...item.log, entries: [] } }).map((line) => `${name}: ${line}`),
      );
    } else {
      entries += 1;
      if (problems.length <= MAX_DETAILS)
        problems.push(
          ...validateFragment(HAR_SCHEMA, '#/definitions/entry', item.entry).map(
            (line) => `${name}: log.entries[${item.index}]${at(line)}`,
          ),
        );
      if (secretProblems.length <= MAX_DETAILS) secretProblems.push(...scanHarEntry(name, item.entry, item.index));
    }
  }
  if (!hasHead && problems.length === 0) problems.push(`${name}: no HAR log`);
  const ok = problems.length === 0;
  return { name: 'har', ok, details: ok ? [`HAR 1.2, ${entries} entries`] : cap(problems) };
}

/** `(root): …` from the entry validator becomes `: …`, `request.x: …` becomes `.request.x: …`. */
function at(line: string): string {
  return line.startsWith('(root)') ? line.slice('(root)'.length) : `.${line}`;
}

async function readSamples(dir: string, onLine: OnLine): Promise<Parsed<Observation[]>> {
  const table = new SampleTable(join(dir, SAMPLES_FILE));
  const problems: string[] = [];
  for await (const { lineNo, observation, span } of readSampleLines(dir, onLine)) {
    if (observation === null) {
      problems.push(`${SAMPLES_FILE}:${lineNo}: not an observation`);
      continue;
    }
    // Every field documented in schemas/samples.schema.json, and nothing else.
    if (problems.length <= MAX_DETAILS)
      for (const problem of validateAgainst('samples.schema.json', observation))
        problems.push(`${SAMPLES_FILE}:${lineNo}: ${problem}`);
    table.add(observation, span);
  }
  return problems.length > 0 ? { value: null, problems: cap(problems) } : { value: table.rows, problems: [] };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function cap(lines: string[]): string[] {
  return lines.length <= MAX_DETAILS
    ? lines
    : [...lines.slice(0, MAX_DETAILS), `… and ${lines.length - MAX_DETAILS} more`];
}

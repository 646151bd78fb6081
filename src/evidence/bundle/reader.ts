/**
 * The one reader of evidence bundles: results.json whole (it is small), samples.ndjson and the
 * HAR as streams, so verify, report and compare hold one line at a time, never a whole file.
 */
import { createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BundleReadError } from '../../core/errors.js';
import type { Observation, Results } from '../../core/types.js';
import { SampleTable, type LineSpan } from './sample-table.js';
import { parseHarLine, type HarLogHead } from './har-stream.js';
import { EXCHANGES_FILE, isGzipFile, LEGACY_HAR_FILE, RESULTS_FILE, SAMPLES_FILE } from './layout.js';

const LF = 0x0a;
const CR = 0x0d;

/** Called with every raw text line read (1-based numbers), e.g. for the secret scan. */
export type OnLine = (line: string, lineNo: number) => void;

/** The text lines of a bundle file, decompressed when it is gzip; throws BundleReadError naming the file. */
export async function* fileLines(dir: string, path: string): AsyncGenerator<string> {
  const source: Readable = createReadStream(join(dir, path));
  const stream = isGzipFile(path) ? source.pipe(createGunzip()) : source;
  // pipe() does not forward the source's errors (a missing file) to the gunzip stream.
  source.on('error', (error) => stream.destroy(error));
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } catch (error: unknown) {
    throw new BundleReadError(`cannot read ${path}: ${describe(error)}`, error);
  } finally {
    lines.close();
    source.destroy();
  }
}

/** results.json, parsed and shape-checked (verify validates it against the schema as well). */
export async function readResultsFile(dir: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(join(dir, RESULTS_FILE), 'utf8');
  } catch (error: unknown) {
    throw new BundleReadError(`cannot read ${join(dir, RESULTS_FILE)}: ${describe(error)}`, error);
  }
  return parseResults(text);
}

/** Parses results.json text; throws BundleReadError unless it has run, summary and findings. */
export function parseResults(text: string): Results {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    throw new BundleReadError(`${RESULTS_FILE} is not valid JSON: ${describe(error)}`, error);
  }
  if (!isObject(value) || !isObject(value['run']) || !isObject(value['summary']) || !Array.isArray(value['findings']))
    throw new BundleReadError(`${RESULTS_FILE} lacks run, summary or findings: it is not a results file`);
  return value as unknown as Results;
}

/** One line of samples.ndjson: the observation, or null when the line is not one, and where the line is. */
export interface SampleLine {
  lineNo: number;
  line: string;
  observation: Observation | null;
  span: LineSpan;
}

/** Streams samples.ndjson; blank lines are skipped. */
export async function* readSampleLines(dir: string, onLine?: OnLine): AsyncGenerator<SampleLine> {
  let lineNo = 0;
  for await (const { line, span } of spannedLines(join(dir, SAMPLES_FILE))) {
    lineNo += 1;
    onLine?.(line, lineNo);
    if (line.trim() === '') continue;
    yield { lineNo, line, observation: parseObservation(line), span };
  }
}

/** How readObservations reads: as another vantage point's samples (merge), and who else sees each line. */
export interface ReadObservationsOptions {
  /** Replaces each sample's own vantage (a merged bundle's pooled samples name where they came from). */
  vantage?: string;
  /** Called with each sample's line and parsed observation, in order, before the next is read. */
  onSample?: (line: string, observation: Observation) => void | Promise<void>;
}

/**
 * Every observation of the bundle, as rows of a SampleTable (flat in memory, `data` read back from the
 * file when asked for); throws BundleReadError at the first line that is not one.
 */
export async function readObservations(dir: string, options: ReadObservationsOptions = {}): Promise<Observation[]> {
  const path = join(dir, SAMPLES_FILE);
  const table = new SampleTable(path);
  for await (const { lineNo, line, observation, span } of readSampleLines(dir)) {
    if (observation === null) throw new BundleReadError(`${path} line ${lineNo} is not an observation`);
    await options.onSample?.(line, observation);
    table.add(observation, span, options.vantage);
  }
  return table.rows;
}

/**
 * The lines of an uncompressed text file with their byte spans (a SampleTable reads them back by span).
 * Lines end at LF; a CR before it is not part of the line. Throws BundleReadError naming the file.
 */
async function* spannedLines(path: string): AsyncGenerator<{ line: string; span: LineSpan }> {
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  let pending: Buffer[] = [];
  let start = 0;
  const lineOf = (bytes: Buffer, offset: number): { line: string; span: LineSpan } => {
    const length = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    return { line: bytes.toString('utf8', 0, length), span: { offset, bytes: length } };
  };
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      let from = 0;
      for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, from)) {
        const bytes =
          pending.length === 0 ? chunk.subarray(from, at) : Buffer.concat([...pending, chunk.subarray(from, at)]);
        pending = [];
        yield lineOf(bytes, start);
        start += bytes.length + 1;
        from = at + 1;
      }
      if (from < chunk.length) pending.push(chunk.subarray(from));
    }
    const rest = Buffer.concat(pending);
    if (rest.length > 0) yield lineOf(rest, start);
  } catch (error: unknown) {
    throw new BundleReadError(`cannot read ${basename(path)}: ${describe(error)}`, error);
  } finally {
    source.destroy();
  }
}

/** A sample line as an observation (check, cohort, kind and an integer seq), or null. */
export function parseObservation(line: string): Observation | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  const isObservation =
    typeof value['check'] === 'string' &&
    typeof value['cohort'] === 'string' &&
    typeof value['kind'] === 'string' &&
    Number.isInteger(value['seq']);
  return isObservation ? (value as unknown as Observation) : null;
}

/** What reading the HAR yields, in file order: the log's head once, then each entry, and any problem. */
export type HarItem =
  | { kind: 'head'; log: HarLogHead }
  | { kind: 'entry'; index: number; entry: unknown }
  | { kind: 'problem'; message: string };

/** Which HAR file the bundle holds (the compressed stream, or an older bundle's plain file), or null. */
export async function harFileOf(dir: string): Promise<string | null> {
  for (const name of [EXCHANGES_FILE, LEGACY_HAR_FILE]) {
    try {
      await access(join(dir, name));
      return name;
    } catch {
      // try the next name
    }
  }
  return null;
}

/** Streams the HAR's head and entries; structural problems are yielded, unreadable files thrown. */
export async function* readHar(dir: string, onLine?: OnLine): AsyncGenerator<HarItem> {
  const name = await harFileOf(dir);
  if (name === null) {
    yield { kind: 'problem', message: `${EXCHANGES_FILE} is missing` };
    return;
  }
  if (name === LEGACY_HAR_FILE) yield* readWholeHar(dir, name, onLine);
  else yield* readHarLines(dir, name, onLine);
}

async function* readHarLines(dir: string, name: string, onLine?: OnLine): AsyncGenerator<HarItem> {
  let lineNo = 0;
  let entries = 0;
  let isClosed = false;
  for await (const line of fileLines(dir, name)) {
    lineNo += 1;
    onLine?.(line, lineNo);
    if (isClosed) {
      if (line !== '') yield { kind: 'problem', message: `${name}:${lineNo}: text after the closing line` };
      continue;
    }
    const parsed = parseHarLine(line, lineNo, entries);
    if (parsed.kind === 'head') yield { kind: 'head', log: parsed.log };
    else if (parsed.kind === 'entry') yield { kind: 'entry', index: entries++, entry: parsed.entry };
    else if (parsed.kind === 'trailer') isClosed = true;
    else yield { kind: 'problem', message: `${name}:${lineNo}: ${parsed.problem}` };
  }
  if (!isClosed) yield { kind: 'problem', message: `${name}: ends before its closing "]}}" line` };
}

/** A plain exchanges.har of an older bundle: small enough, as it was written whole. */
async function* readWholeHar(dir: string, name: string, onLine?: OnLine): AsyncGenerator<HarItem> {
  const text = await readFile(join(dir, name), 'utf8');
  if (onLine !== undefined) text.split('\n').forEach((line, index) => onLine(line, index + 1));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    yield { kind: 'problem', message: `${name} is not valid JSON: ${describe(error)}` };
    return;
  }
  const log = isObject(value) ? value['log'] : undefined;
  if (!isObject(log)) {
    yield { kind: 'problem', message: `${name} lacks log` };
    return;
  }
  const { entries, ...head } = log;
  yield { kind: 'head', log: head as HarLogHead };
  if (!Array.isArray(entries)) yield { kind: 'problem', message: `${name} lacks log.entries` };
  else for (const [index, entry] of entries.entries()) yield { kind: 'entry', index, entry: entry as unknown };
}

/** Every HAR entry, mapped by `pick` (so a caller keeps only what it needs); throws on structural problems. */
export async function readHarEntries<T>(dir: string, pick: (entry: unknown) => T): Promise<T[]> {
  const picked: T[] = [];
  for await (const item of readHar(dir)) {
    if (item.kind === 'problem') throw new BundleReadError(item.message);
    if (item.kind === 'entry') picked.push(pick(item.entry));
  }
  return picked;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The whole HAR document of a bundle, entries included: for tests and tools on small bundles. */
export async function readHarDocument(dir: string): Promise<{ log: HarLogHead & { entries: unknown[] } }> {
  let head: HarLogHead | undefined;
  const entries: unknown[] = [];
  for await (const item of readHar(dir)) {
    if (item.kind === 'problem') throw new BundleReadError(item.message);
    if (item.kind === 'head') head = item.log;
    else entries.push(item.entry);
  }
  if (head === undefined) throw new BundleReadError(`${dir}: the HAR has no log`);
  return { log: { ...head, entries } };
}

/**
 * Writes a run's evidence bundle while the run goes (docs/architecture.md, "Evidence bundle"):
 * samples and exchanges are buffered for at most one checkpoint interval, then appended to
 * samples.ndjson and exchanges.har.gz (one gzip member per checkpoint), and the bundle is sealed
 * — results.json marked interrupted, manifest.json, attestation.json — so that what is on disk
 * verifies at every checkpoint. `finish` writes the real results, the reports, and seals again.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback, gzipSync } from 'node:zlib';
import type { Page } from 'har-format';
import { BundleReadError, OutputError } from '../../core/errors.js';
import type { Observation, Results } from '../../core/types.js';
import { toEntry } from '../har.js';
import type { SigningKey } from '../keys.js';
import type { ExchangeRecord } from '../recorder.js';
import { parseManifest } from '../verify-manifest.js';
import { AppendFile, type Digest } from './append-file.js';
import { HAR_TRAILER, harEntryText, harHeaderText, RUN_PAGE_ID } from './har-stream.js';
import { EXCHANGES_FILE, isRenderedFile, MANIFEST_FILE, RESULTS_FILE, SAMPLES_FILE } from './layout.js';
import { readHar, readSampleLines } from './reader.js';
import { replaceFile, sealBundle, type SealMeta } from './seal.js';

const gzip = promisify(gzipCallback);
/** Fixed gzip settings, so the closing member has the same bytes in every run (resume relies on it). */
const GZIP = { level: 6 } as const;
const TRAILER_GZ = gzipSync(HAR_TRAILER, GZIP);

/** How much is recorded so far, as a checkpoint states it. */
export interface CheckpointCounts {
  samples: number;
  exchanges: number;
  at: string;
}

/** Renders report files from the bundle folder as written so far (see src/report). */
export type RenderReports = (dir: string) => Promise<void>;

/** Options of a BundleWriter. */
export interface BundleWriterOptions {
  key: SigningKey;
  runId: string;
  startedAt: string;
  seed: number;
  configDigest: string | null;
  /** results.json for a checkpoint: the run so far, marked interrupted, with no findings yet. */
  checkpointResults: (counts: CheckpointCounts) => Results;
  /** Seal at least this often (default 60 s); 0 turns the timer off. */
  checkpointMs?: number;
  /**
   * Seal early when this much is buffered (default 2 MiB), so memory stays flat at any rate: what waits
   * for a seal outlives V8's young generation, and a larger buffer grows the old one.
   */
  maxBufferedBytes?: number;
}

/** The streaming writer of one bundle folder. */
export class BundleWriter {
  private samplesText: string[] = [];
  private entriesText: string[] = [];
  private bufferedBytes = 0;
  private sampleCount: number;
  private exchangeCount: number;
  private sealing: Promise<void> = Promise.resolve();
  private failure: unknown = undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private isClosed = false;
  /** The data files' digests at the last seal, so a finished bundle can be amended without re-reading them. */
  private sealedData = new Map<string, Digest>();

  private constructor(
    readonly dir: string,
    private readonly options: BundleWriterOptions,
    private readonly samples: AppendFile,
    private readonly exchanges: AppendFile,
    counts: { samples: number; exchanges: number },
  ) {
    this.sampleCount = counts.samples;
    this.exchangeCount = counts.exchanges;
    const every = options.checkpointMs ?? 60_000;
    this.timer = every > 0 ? setInterval(() => this.checkpointInBackground(), every) : undefined;
    this.timer?.unref();
  }

  /** Starts a new bundle in `dir` (created if needed) and seals it empty. */
  static async create(dir: string, options: BundleWriterOptions): Promise<BundleWriter> {
    try {
      await mkdir(dir, { recursive: true });
      const samples = await AppendFile.create(join(dir, SAMPLES_FILE));
      const exchanges = await AppendFile.create(join(dir, EXCHANGES_FILE));
      await exchanges.append(gzipSync(harHeaderText(pagesOf(options)), GZIP));
      const writer = new BundleWriter(dir, options, samples, exchanges, { samples: 0, exchanges: 0 });
      await writer.checkpoint();
      return writer;
    } catch (error: unknown) {
      if (error instanceof OutputError) throw error;
      throw new OutputError(`cannot write the evidence bundle to ${dir}: ${(error as Error).message}`, error);
    }
  }

  /**
   * Reopens a bundle left by an interrupted or killed run: drops the reports and whatever was
   * written after the last checkpoint, and continues the same files.
   */
  static async resume(dir: string, options: BundleWriterOptions): Promise<BundleWriter> {
    const manifest = await readManifestFile(dir);
    const listed = new Map(manifest.files.map((file) => [file.path, file]));
    const samplesEntry = listed.get(SAMPLES_FILE);
    const exchangesEntry = listed.get(EXCHANGES_FILE);
    if (samplesEntry === undefined || exchangesEntry === undefined)
      throw new BundleReadError(
        `${dir} was not written by a streaming run: it lacks ${SAMPLES_FILE} or ${EXCHANGES_FILE}`,
      );
    await removeRendered(dir);
    const samples = await AppendFile.reopen(join(dir, SAMPLES_FILE), samplesEntry.bytes);
    const exchanges = await AppendFile.reopen(join(dir, EXCHANGES_FILE), exchangesEntry.bytes - TRAILER_GZ.length);
    const tail = await exchanges.sealWith(TRAILER_GZ);
    const head = await samples.sealWith(new Uint8Array());
    if (tail.sha256 !== exchangesEntry.sha256 || head.sha256 !== samplesEntry.sha256)
      throw new BundleReadError(
        `${dir}: the recorded data differs from its last checkpoint's manifest; it cannot be resumed`,
      );
    const counts = await countRecorded(dir);
    return new BundleWriter(dir, options, samples, exchanges, counts);
  }

  /** Observations and exchanges recorded so far (including those of the runs this one resumes). */
  get counts(): { samples: number; exchanges: number } {
    return { samples: this.sampleCount, exchanges: this.exchangeCount };
  }

  /** Queues one observation line. */
  addSample(observation: Observation): void {
    const line = `${JSON.stringify(observation)}\n`;
    this.samplesText.push(line);
    this.sampleCount += 1;
    this.grow(line.length);
  }

  /** Queues one exchange as a HAR entry line. */
  addExchange(record: ExchangeRecord): void {
    const line = harEntryText({ pageref: RUN_PAGE_ID, ...toEntry(record) }, this.exchangeCount === 0);
    this.entriesText.push(line);
    this.exchangeCount += 1;
    this.grow(line.length);
  }

  /** Appends what is buffered and seals the bundle as an interrupted run (what a crash would leave). */
  async checkpoint(): Promise<void> {
    await this.enqueue(async () => {
      const counts = { samples: this.sampleCount, exchanges: this.exchangeCount, at: new Date().toISOString() };
      await this.seal(this.options.checkpointResults(counts), counts.at);
    });
  }

  /** Writes the final results, renders the reports from the files on disk, and seals the bundle. */
  async finish(results: Results, renderReports?: RenderReports): Promise<void> {
    this.stopTimer();
    await this.enqueue(async () => {
      await this.seal(results, results.run.finishedAt, async () => {
        await this.closeFiles();
        await renderReports?.(this.dir);
      });
    });
  }

  /**
   * Replaces the results of a finished bundle (e.g. an interrupt that arrived while it was being
   * written), renders the reports again from them and seals the bundle anew.
   */
  async amend(results: Results, renderReports?: RenderReports): Promise<void> {
    await this.enqueue(async () => {
      const known = new Map(this.sealedData);
      known.set(RESULTS_FILE, await replaceFile(this.dir, RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`));
      await renderReports?.(this.dir);
      await sealBundle(this.dir, this.sealMeta(results, results.run.finishedAt), known, this.options.key);
    });
  }

  /** Stops checkpointing (the files stay as last sealed). */
  async close(): Promise<void> {
    this.stopTimer();
    await this.sealing.catch(() => undefined);
    await this.closeFiles();
  }

  private async closeFiles(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.samples.close();
    await this.exchanges.close();
  }

  private grow(bytes: number): void {
    this.bufferedBytes += bytes;
    if (this.bufferedBytes >= (this.options.maxBufferedBytes ?? 2 * 1024 * 1024)) this.checkpointInBackground();
  }

  private checkpointInBackground(): void {
    this.bufferedBytes = 0;
    this.checkpoint().catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  private async enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.sealing.then(step);
    this.sealing = next.catch(() => undefined);
    await next;
    if (this.failure !== undefined) throw this.failure;
  }

  private async seal(results: Results, createdAt: string, beforeManifest?: () => Promise<void>): Promise<void> {
    const [samplesText, entriesText] = [this.samplesText, this.entriesText];
    this.samplesText = [];
    this.entriesText = [];
    this.bufferedBytes = 0;
    for (const text of joined(samplesText)) await this.samples.append(Buffer.from(text));
    for (const text of joined(entriesText)) await this.exchanges.append(await gzip(text, GZIP));
    const known = new Map<string, Digest>([
      [SAMPLES_FILE, await this.samples.sealWith(new Uint8Array())],
      [EXCHANGES_FILE, await this.exchanges.sealWith(TRAILER_GZ)],
      [RESULTS_FILE, await replaceFile(this.dir, RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`)],
    ]);
    this.sealedData = new Map([...known].filter(([name]) => name !== RESULTS_FILE));
    await beforeManifest?.();
    await sealBundle(this.dir, this.sealMeta(results, createdAt), known, this.options.key);
  }

  private sealMeta(results: Results, createdAt: string): SealMeta {
    return {
      runId: this.options.runId,
      createdAt,
      seed: this.options.seed,
      configDigest: this.options.configDigest,
      ...(results.run.vantage === undefined ? {} : { vantage: results.run.vantage }),
    };
  }
}

/** A whole exchanges.har.gz for a HAR document (tests, and tools that rewrite a HAR). */
export function encodeHarGz(har: { log: { pages?: Page[]; entries: object[] } & Record<string, unknown> }): Buffer {
  const { entries, ...head } = har.log;
  const text = JSON.stringify({ log: { ...head, entries: [] } });
  const header = `${text.slice(0, text.length - ']}}'.length)}\n`;
  const body = entries.map((entry, index) => harEntryText(entry, index === 0)).join('');
  return Buffer.concat([gzipSync(header, GZIP), ...(body === '' ? [] : [gzipSync(body, GZIP)]), TRAILER_GZ]);
}

/** The lines joined into texts of about 8 MiB each: a long buffer must not exceed V8's longest string. */
function* joined(lines: readonly string[], maxChars = 8 * 1024 * 1024): Generator<string> {
  let start = 0;
  let size = 0;
  for (let i = 0; i < lines.length; i += 1) {
    size += (lines[i] as string).length;
    if (size >= maxChars) {
      yield lines.slice(start, i + 1).join('');
      [start, size] = [i + 1, 0];
    }
  }
  if (start < lines.length) yield lines.slice(start).join('');
}

function pagesOf(options: BundleWriterOptions): Page[] {
  return [
    { startedDateTime: options.startedAt, id: RUN_PAGE_ID, title: `dma-audit run ${options.runId}`, pageTimings: {} },
  ];
}

async function readManifestFile(dir: string): Promise<NonNullable<ReturnType<typeof parseManifest>['manifest']>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, MANIFEST_FILE));
  } catch (error: unknown) {
    throw new BundleReadError(`cannot resume ${dir}: no readable ${MANIFEST_FILE}`, error);
  }
  const { manifest, problems } = parseManifest(bytes);
  if (manifest === null) throw new BundleReadError(`cannot resume ${dir}: ${problems.join('; ')}`);
  return manifest;
}

/** Reports and temporary files are rendered again at the end; a resumed run starts without them. */
async function removeRendered(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (isRenderedFile(entry.name)) await rm(join(dir, entry.name), { recursive: true, force: true });
  }
  for (const entry of await readdir(dirname(dir))) {
    if (entry.startsWith(`.${basename(dir)}.`) && entry.endsWith('.tmp'))
      await rm(join(dirname(dir), entry), { force: true });
  }
}

async function countRecorded(dir: string): Promise<{ samples: number; exchanges: number }> {
  let samples = 0;
  for await (const line of readSampleLines(dir)) if (line.observation !== null) samples += 1;
  let exchanges = 0;
  for await (const item of readHar(dir)) {
    if (item.kind === 'entry') exchanges += 1;
    else if (item.kind === 'problem') throw new BundleReadError(`cannot resume ${dir}: ${item.message}`);
  }
  return { samples, exchanges };
}

/**
 * How a run records: into a bundle that is written as the run goes and sealed at every checkpoint
 * (src/evidence/bundle/writer.ts), new or continued by `run --resume`. The analysis at the end
 * streams the observations back from disk, so nothing but one checkpoint interval is held in memory
 * while the checks run.
 */
import type { Clock } from '../core/clock.js';
import { UsageError } from '../core/errors.js';
import type { Observation, ResumeInfo, Results } from '../core/types.js';
import {
  BundleWriter,
  readObservations,
  readResultsFile,
  readSampleLines,
  type BundleWriterOptions,
  type CheckpointCounts,
} from '../evidence/bundle/index.js';
import type { SigningKey } from '../evidence/keys.js';
import { Recorder } from '../evidence/recorder.js';

/** Where and how a run records. */
export interface RecordingPlan {
  dir: string;
  key: SigningKey;
  runId: string;
  startedAt: string;
  seed: number;
  configDigest: string | null;
  secrets: readonly string[];
  clock: Clock;
  /** Seal at least this often (ms); default 60 s. */
  checkpointMs?: number;
  /** results.json of a checkpoint (the run so far, no findings). */
  checkpointResults: (counts: CheckpointCounts) => Results;
  /** Continue the bundle in `dir` instead of starting one. */
  isResume: boolean;
  /** The vantage point's name, on every sample. */
  vantage?: string;
}

/** An open recording: the recorder the checks write to and the writer behind it. */
export interface Recording {
  recorder: Recorder;
  writer: BundleWriter;
  /** What the bundle held when it was opened (nothing for a new one). */
  openedWith: { samples: number; exchanges: number };
}

/** Opens (or reopens) the bundle and a recorder streaming into it. */
export async function openRecording(plan: RecordingPlan): Promise<Recording> {
  const options: BundleWriterOptions = {
    key: plan.key,
    runId: plan.runId,
    startedAt: plan.startedAt,
    seed: plan.seed,
    configDigest: plan.configDigest,
    checkpointResults: plan.checkpointResults,
    ...(plan.checkpointMs === undefined ? {} : { checkpointMs: plan.checkpointMs }),
  };
  const writer = plan.isResume
    ? await BundleWriter.resume(plan.dir, options)
    : await BundleWriter.create(plan.dir, options);
  const recorder = new Recorder(plan.clock, plan.secrets, {
    sink: writer,
    start: writer.counts,
    ...(plan.vantage === undefined ? {} : { vantage: plan.vantage }),
  });
  return { recorder, writer, openedWith: writer.counts };
}

/**
 * The observations the bundle held when the recording was opened, streamed from disk: none for a new
 * bundle, the interrupted run's for a resumed one. Later samples are appended to the same file; they are
 * not read.
 */
export function earlierObservations(recording: Recording): () => AsyncIterable<Observation> {
  const count = recording.openedWith.samples;
  const dir = recording.writer.dir;
  return async function* () {
    if (count === 0) return;
    let read = 0;
    for await (const { observation } of readSampleLines(dir)) {
      if (observation === null) continue;
      yield observation;
      read += 1;
      if (read >= count) return;
    }
  };
}

/** Seals what is buffered and reads every observation of the run back, in order, for the analysis. */
export async function recordedObservations(recording: Recording): Promise<Observation[]> {
  await recording.writer.checkpoint();
  return readObservations(recording.writer.dir);
}

/** A bundle a resumed run continues: its results so far and how it was started. */
export interface ResumePoint {
  dir: string;
  previous: Results;
  info: ResumeInfo;
}

/** Reads the bundle `dir` to resume; a complete or foreign bundle is a usage error. */
export async function readResumePoint(dir: string): Promise<ResumePoint> {
  const previous = await readResultsFile(dir);
  const info = previous.run.resume;
  if (info === undefined) throw new UsageError(`${dir} cannot be resumed: it was written without resume information`);
  if (previous.run.status === 'complete' && previous.run.checkpoint === undefined)
    throw new UsageError(`${dir} is already complete; there is nothing to resume`);
  return { dir, previous, info };
}

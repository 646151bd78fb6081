/**
 * `dma-audit merge`: many vantage points' bundles into one signed bundle (docs/architecture.md, "Merged bundles",
 * wave 2; Playwright's blob reports and merge-reports are the model). Every input is verified first and any
 * that fails is refused before anything is written. Findings come from the pooled raw samples, stratified
 * by vantage point (src/engine/strata.ts): percentiles cannot be merged from summaries.
 *
 * Layout of a merged bundle, besides the usual files:
 *   samples.ndjson                 every input's samples, in input order, each naming its `vantage`
 *   exchanges.har                  HAR 1.2 with no entries: the exchanges stay in the sources' own HARs
 *   sources/<runId>/…              a byte-for-byte copy of each input bundle (copied, never parsed), so its
 *                                  digests and signature can be checked again offline (verify does), and the
 *                                  evidence ids of a per-vantage finding point into sources/<runId>/exchanges.har
 */
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import { BundleReadError, OutputError } from '../core/errors.js';
import type { Finding, Observation, Results } from '../core/types.js';
import { TOOL } from '../core/version.js';
import { summarise } from '../engine/run.js';
import type { VantageSamples } from '../engine/strata.js';
import {
  EXCHANGES_FILE,
  LEGACY_HAR_FILE,
  RESULTS_FILE,
  SAMPLES_FILE,
  readObservations,
  sealBundle,
  type RenderReports,
} from '../evidence/bundle/index.js';
import type { SigningKey } from '../evidence/keys.js';
import type { VerifyReport } from '../evidence/verify-types.js';
import { listBundleFiles } from '../evidence/verify-manifest.js';
import { MergeRefusedError } from './errors.js';
import { pooledLine, readInput, SOURCES_DIR, type InputBundle } from './sources.js';
import { runId } from '../core/run-id.js';

/** What merge needs from the composition root: how to verify an input and how to analyse the strata. */
export interface MergeOptions {
  /** Parent folder of the merged bundle (default ./reports); the bundle is <outDir>/<run id>. */
  outDir?: string;
  signingKey: SigningKey;
  /** Verifies one input bundle (the app's verifyBundle: digests, signature, recomputed verdicts). */
  verify: (dir: string) => Promise<VerifyReport>;
  /** Per-vantage and combined findings of the merged run (the app's stratified analysis). */
  analyse: (results: Results, vantages: readonly VantageSamples[]) => Finding[];
  renderReports?: RenderReports;
  onLog?: (message: string) => void;
}

/** What a merge left behind. */
export interface MergeResult {
  results: Results;
  bundleDir: string;
  exitCode: 0 | 1 | 3;
}

/** Verifies every input, checks they belong together, and writes the signed merged bundle. */
export async function mergeBundles(dirs: readonly string[], options: MergeOptions): Promise<MergeResult> {
  if (dirs.length === 0) throw new MergeRefusedError('merge needs at least one bundle folder');
  for (const dir of dirs) await verifyInput(dir, options);
  const inputs: InputBundle[] = [];
  for (const dir of dirs) inputs.push(await readInput(dir));
  assertCompatible(inputs);
  const skeleton = mergedRun(inputs);
  const bundleDir = join(options.outDir ?? 'reports', skeleton.run.id);
  const findings = await pooledFindings(bundleDir, inputs, skeleton, options);
  const results: Results = {
    ...skeleton,
    summary: summarise(findings, skeleton.run.status === 'interrupted'),
    findings,
  };
  await writeRest(bundleDir, inputs, results, options);
  return { results, bundleDir, exitCode: results.summary.exitCode };
}

async function verifyInput(dir: string, options: MergeOptions): Promise<void> {
  options.onLog?.(`verifying ${dir}`);
  let report: VerifyReport;
  try {
    report = await options.verify(dir);
  } catch (error: unknown) {
    if (error instanceof BundleReadError) throw new MergeRefusedError(`refusing ${dir}: ${error.message}`);
    throw error;
  }
  if (report.ok) return;
  const failed = report.checks.filter((c) => !c.ok);
  const first = failed.flatMap((c) => c.details.slice(0, 1).map((d) => `${c.name}: ${d}`))[0] ?? '';
  throw new MergeRefusedError(
    `refusing ${dir}: it does not verify (${failed.map((c) => c.name).join(', ')} failed${first === '' ? '' : `; ${first}`})`,
    `run dma-audit verify ${dir} for every difference`,
  );
}

/** Inputs must be ordinary runs of one target, by one tool version, with the same checks and analysis. */
function assertCompatible(inputs: readonly InputBundle[]): void {
  const [first, ...rest] = inputs;
  if (first === undefined) return;
  const names = new Set<string>();
  for (const input of inputs) {
    const { run } = input.results;
    if (run.kind === 'merged')
      throw new MergeRefusedError(`refusing ${input.dir}: it is itself a merged bundle; merge its sources instead`);
    if (names.has(input.source.vantage.name))
      throw new MergeRefusedError(
        `refusing ${input.dir}: vantage point "${input.source.vantage.name}" appears twice`,
        'give every run its own --vantage NAME',
      );
    names.add(input.source.vantage.name);
  }
  for (const input of rest) {
    const [a, b] = [first.results, input.results];
    const differ = (what: string, x: unknown, y: unknown): void => {
      if (!isDeepStrictEqual(x, y))
        throw new MergeRefusedError(
          `refusing ${input.dir}: ${what} differs from ${first.dir} (${JSON.stringify(y)} vs ${JSON.stringify(x)})`,
        );
    };
    differ('the target', a.run.target, b.run.target);
    differ('the check version (dma-audit version)', a.tool.version, b.tool.version);
    differ('the selected checks', a.run.selection.checks, b.run.selection.checks);
    differ('the cohorts', a.run.cohorts, b.run.cohorts);
    const settings = (r: Results): unknown => ({ ...r.run.analysis, seed: 0 });
    differ('the analysis settings', settings(a), settings(b));
  }
}

/** results.json of the merged run without findings yet: the inputs' common ground plus their sources. */
function mergedRun(inputs: readonly InputBundle[]): Results {
  const first = (inputs[0] as InputBundle).results;
  const startedAt = inputs.map((i) => i.results.run.startedAt).sort()[0] ?? first.run.startedAt;
  const isInterrupted = inputs.some((i) => i.results.run.status === 'interrupted');
  const { vantage: _vantage, eventLoopDelayMs: _delay, ...run } = first.run;
  return {
    schemaVersion: 1,
    tool: { name: TOOL.name, version: TOOL.version },
    run: {
      ...run,
      id: runId(new Date(), first.run.target.scenario ?? first.run.target.name, 'merged'),
      startedAt,
      finishedAt: new Date().toISOString(),
      status: isInterrupted ? 'interrupted' : 'complete',
      kind: 'merged',
      sources: inputs.map((i) => i.source),
    },
    summary: summarise([], isInterrupted),
    findings: [],
  };
}

/** The findings of the pooled samples; the samples are let go before reports are rendered from disk. */
async function pooledFindings(
  bundleDir: string,
  inputs: readonly InputBundle[],
  skeleton: Results,
  options: MergeOptions,
): Promise<Finding[]> {
  return options.analyse(skeleton, await poolSamples(bundleDir, inputs));
}

/** Streams every input's samples into the merged samples.ndjson, keeping per-vantage observations for analysis. */
async function poolSamples(bundleDir: string, inputs: readonly InputBundle[]): Promise<VantageSamples[]> {
  await mkdirOrFail(bundleDir);
  const out = createWriteStream(join(bundleDir, SAMPLES_FILE));
  const vantages: VantageSamples[] = [];
  try {
    for (const input of inputs) {
      const name = input.source.vantage.name;
      const observations = await readObservations(input.dir, {
        vantage: name,
        onSample: async (line, observation) => {
          if (!out.write(`${pooledLine(line, observation, name)}\n`)) await once(out, 'drain');
        },
      });
      vantages.push({ vantage: name, seed: input.source.seed, observations });
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return vantages;
}

async function writeRest(
  bundleDir: string,
  inputs: readonly InputBundle[],
  results: Results,
  options: MergeOptions,
): Promise<void> {
  try {
    await writeFile(join(bundleDir, RESULTS_FILE), `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(join(bundleDir, LEGACY_HAR_FILE), `${JSON.stringify(emptyHar(inputs), null, 2)}\n`);
    for (const input of inputs) {
      const target = join(bundleDir, SOURCES_DIR, input.source.runId);
      for (const file of await listBundleFiles(input.dir)) {
        await mkdir(dirname(join(target, file.path)), { recursive: true });
        await copyFile(join(input.dir, file.path), join(target, file.path));
      }
    }
  } catch (error: unknown) {
    throw new OutputError(`cannot write the merged bundle to ${bundleDir}: ${(error as Error).message}`, error);
  }
  await options.renderReports?.(bundleDir);
  const { run } = results;
  await sealBundle(
    bundleDir,
    { runId: run.id, createdAt: run.finishedAt, seed: run.seed, configDigest: null },
    new Map(),
    options.signingKey,
  );
}

function emptyHar(inputs: readonly InputBundle[]): object {
  return {
    log: {
      version: '1.2',
      creator: { name: TOOL.name, version: TOOL.version },
      comment: `merged bundle: the exchanges are in ${inputs.map((i) => `sources/${i.source.runId}/${EXCHANGES_FILE}`).join(', ')}`,
      pages: [],
      entries: [],
    },
  };
}

async function mkdirOrFail(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error: unknown) {
    throw new OutputError(`cannot create ${dir}: ${(error as Error).message}`, error);
  }
}

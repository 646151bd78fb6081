/** Reads an evidence bundle folder into a `BundleView` (results.json, samples.ndjson, exchanges.har). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleReadError } from '../core/errors.js';
import type { Observation, Results } from '../core/types.js';
import type { BundleView, HarEntryView } from './types.js';

/** Loads the files every reporter needs; throws `BundleReadError` when any is missing or unparsable. */
export async function readBundleView(dir: string): Promise<BundleView> {
  const results = parseResults(await readText(dir, 'results.json'));
  const observations = parseSamples(await readText(dir, 'samples.ndjson'));
  const har = parseHar(await readText(dir, 'exchanges.har'));
  return { results, observations, har };
}

async function readText(dir: string, name: string): Promise<string> {
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch (error: unknown) {
    throw new BundleReadError(`cannot read ${join(dir, name)}: ${describe(error)}`, error);
  }
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error: unknown) {
    throw new BundleReadError(`${name} is not valid JSON: ${describe(error)}`, error);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseResults(text: string): Results {
  const value = parseJson(text, 'results.json');
  if (!isObject(value) || !isObject(value['run']) || !isObject(value['summary']) || !Array.isArray(value['findings'])) {
    throw new BundleReadError('results.json lacks run, summary or findings');
  }
  return value as unknown as Results;
}

function parseSamples(text: string): Observation[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.map((line, index) => {
    const value = parseJson(line, `samples.ndjson line ${index + 1}`);
    if (!isObject(value) || typeof value['check'] !== 'string' || typeof value['cohort'] !== 'string') {
      throw new BundleReadError(`samples.ndjson line ${index + 1} is not an observation`);
    }
    return value as unknown as Observation;
  });
}

function parseHar(text: string): BundleView['har'] {
  const value = parseJson(text, 'exchanges.har');
  const log = isObject(value) ? value['log'] : undefined;
  if (!isObject(log) || !Array.isArray(log['entries'])) throw new BundleReadError('exchanges.har lacks log.entries');
  return { log: { entries: log['entries'] as HarEntryView[] } };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

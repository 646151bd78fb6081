/**
 * The text of exchanges.har.gz once decompressed: one HAR 1.2 document
 * (http://www.softwareishard.com/blog/har-12-spec/) laid out so it can be appended to and read
 * back one entry at a time:
 *
 *   {"log":{"version":"1.2","creator":{…},"pages":[…],"entries":[      ← header line
 *   {…entry…}
 *   ,{…entry…}                                                         ← one entry a line
 *   ]}}                                                                ← trailer line
 *
 * Any JSON parser reads it as a whole; this module reads it line by line.
 */
import type { Entry, Page } from 'har-format';
import { TOOL } from '../../core/version.js';

const HEADER_END = '"entries":[';
/** The last line of the document. */
export const HAR_TRAILER = ']}}\n';

/** The log without its entries: what the header line holds. */
export interface HarLogHead {
  version: string;
  creator: { name: string; version: string };
  pages?: Page[];
  [key: string]: unknown;
}

/** The page every entry of a run belongs to (Firefox's importer expects `pages`). */
export function runPage(runId: string, startedAt: string): Page {
  return { startedDateTime: startedAt, id: RUN_PAGE_ID, title: `dma-audit run ${runId}`, pageTimings: {} };
}

/** The pageref of every entry. */
export const RUN_PAGE_ID = 'run';

/** The header line for a log with these pages. */
export function harHeaderText(pages: Page[]): string {
  const log = { version: '1.2', creator: { name: TOOL.name, version: TOOL.version }, pages, entries: [] };
  const text = JSON.stringify({ log });
  return `${text.slice(0, text.length - ']}}'.length)}\n`;
}

/** One entry's line; every entry but the first starts with a comma. */
export function harEntryText(entry: Entry | object, isFirst: boolean): string {
  return `${isFirst ? '' : ','}${JSON.stringify(entry)}\n`;
}

/** One line of the document, classified. */
export type HarLine =
  | { kind: 'head'; log: HarLogHead }
  | { kind: 'entry'; entry: unknown }
  | { kind: 'trailer' }
  | { kind: 'bad'; problem: string };

/** Parses line `lineNo` (1-based) given whether an entry was already seen. */
export function parseHarLine(line: string, lineNo: number, entriesSoFar: number): HarLine {
  if (lineNo === 1) return parseHead(line);
  if (line === HAR_TRAILER.trimEnd()) return { kind: 'trailer' };
  const hasComma = line.startsWith(',');
  if (hasComma !== entriesSoFar > 0)
    return { kind: 'bad', problem: hasComma ? 'the first entry starts with ","' : 'entries must be separated by ","' };
  try {
    return { kind: 'entry', entry: JSON.parse(hasComma ? line.slice(1) : line) as unknown };
  } catch (error: unknown) {
    return { kind: 'bad', problem: `not a JSON entry: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function parseHead(line: string): HarLine {
  if (!line.endsWith(HEADER_END)) return { kind: 'bad', problem: `the header line must end with ${HEADER_END}` };
  try {
    const value = JSON.parse(`${line}${HAR_TRAILER}`) as { log?: unknown };
    const log = value.log;
    if (typeof log !== 'object' || log === null || Array.isArray(log))
      return { kind: 'bad', problem: 'the header line has no log object' };
    const { entries: _empty, ...head } = log as Record<string, unknown>;
    return { kind: 'head', log: head as HarLogHead };
  } catch (error: unknown) {
    return {
      kind: 'bad',
      problem: `the header line is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

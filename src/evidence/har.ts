/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) of every exchange of a run, in both
 * directions. Custom fields start with "_": `_id`, `_cohort`, `_check`, `_direction`, `_seq`,
 * `_scheduledNs`, `_sentNs`, `_outcome`, `_error`.
 */
import type { Entry, Har, Header, Page } from 'har-format';
import { TOOL } from '../core/version.js';
import type { ExchangeRecord } from './recorder.js';

/** The whole HAR document for a run's exchanges (already redacted by the recorder). */
export function buildHar(exchanges: readonly ExchangeRecord[], pages: Page[] = []): Har {
  return {
    log: {
      version: '1.2',
      creator: { name: TOOL.name, version: TOOL.version },
      pages,
      entries: exchanges.map(toEntry),
    },
  };
}

/** One exchange as a HAR entry, with dma-audit's `_` fields. */
export function toEntry(record: ExchangeRecord): Entry {
  const totalMs = (record.endNs - record.sentNs) / 1e6;
  const waitMs = record.waitNs === undefined ? totalMs : record.waitNs / 1e6;
  const url = record.request.url;
  const entry: Entry & Record<string, unknown> = {
    startedDateTime: record.startedDateTime,
    time: totalMs,
    request: {
      method: record.request.method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: toHeaders(record.request.headers),
      queryString: queryOf(url),
      headersSize: -1,
      bodySize: Buffer.byteLength(record.request.bodyText),
      ...(record.request.bodyText === ''
        ? {}
        : {
            postData: {
              mimeType: record.request.headers['content-type'] ?? 'application/octet-stream',
              text: record.request.bodyText,
            },
          }),
    },
    response: {
      status: record.response.status,
      statusText: record.response.statusText,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: toHeaders(record.response.headers),
      content: {
        size: record.response.bodyBytes,
        mimeType: record.response.headers['content-type'] ?? 'application/octet-stream',
        text: record.response.bodyText,
        ...(record.response.isTruncated ? { comment: `truncated: ${record.response.bodyBytes} bytes received` } : {}),
      },
      redirectURL: record.response.headers.location ?? '',
      headersSize: -1,
      bodySize: record.response.bodyBytes,
    },
    cache: {},
    timings: {
      blocked: -1,
      dns: -1,
      connect: -1,
      send: 0,
      wait: waitMs,
      receive: Math.max(0, totalMs - waitMs),
      ssl: -1,
    },
    _id: record.id,
    _seq: record.seq,
    _cohort: record.cohort,
    _check: record.check,
    _direction: record.direction,
    _scheduledNs: record.scheduledNs,
    _sentNs: record.sentNs,
    _endNs: record.endNs,
    _outcome: record.outcome,
    ...(record.errorMessage === undefined ? {} : { _error: record.errorMessage }),
    ...Object.fromEntries(Object.entries(record.notes ?? {}).map(([k, v]) => [`_${k}`, v])),
  };
  return entry;
}

function toHeaders(headers: Record<string, string>): Header[] {
  return Object.entries(headers).map(([name, value]) => ({ name, value }));
}

function queryOf(url: string): Array<{ name: string; value: string }> {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

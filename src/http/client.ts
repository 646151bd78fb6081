/**
 * The instrumented HTTP client: every request of a run goes through it, so it holds the budget, the
 * timeout, the body cap and the recording. A failure of the target comes back as an exchange with an
 * `outcome`, never as a thrown error.
 */
import http from 'node:http';
import https from 'node:https';
import type { Budget } from './budget.js';
import type { Clock } from '../core/clock.js';
import type { Recorder } from '../evidence/recorder.js';
import type { Outcome } from '../core/types.js';
import type { HttpExchange, HttpRequest } from './types.js';
import { BodyAllowance, DEFAULT_MAX_TOTAL_BODY_BYTES } from './body-allowance.js';
import { readBody, type ReadBody } from './read-body.js';

export interface HttpClientOptions {
  budget: Budget;
  recorder: Recorder;
  clock: Clock;
  signal: AbortSignal;
  timeoutMs: number;
  maxBodyBytes: number;
  /** Run-wide cap on recorded body bytes (default 64 MiB); webhooks draw from the same allowance. */
  maxTotalBodyBytes?: number;
}

interface RawResult {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
  /** What the HAR keeps of the body (cut, with a marker, past the run-wide allowance). */
  recordedText?: string;
  bodyBytes: number;
  isTruncated: boolean;
  waitNs?: number;
  outcome: Outcome;
  errorMessage?: string;
}

/** Sends requests through one keep-alive agent per scheme, shared by every cohort (same connection handling for all). */
export class HttpClient {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

  /** The run's recorded-body allowance, shared with the webhook receiver. */
  readonly allowance: BodyAllowance;

  constructor(private readonly options: HttpClientOptions) {
    this.allowance = new BodyAllowance(options.maxTotalBodyBytes ?? DEFAULT_MAX_TOTAL_BODY_BYTES);
  }

  /** Sends one request (waiting for the budget) and records it; never throws for target failures. */
  async request(request: HttpRequest): Promise<HttpExchange> {
    const { clock, budget, signal } = this.options;
    const scheduledNs = request.scheduledNs ?? clock.now();
    const isAllowed = await budget.acquire(request.cohort, signal);
    if (!isAllowed) return notSent(scheduledNs, clock.now(), signal.aborted ? 'cancelled' : 'budget-exhausted');
    const body = request.json !== undefined ? JSON.stringify(request.json) : (request.body ?? '');
    const headers: Record<string, string> = { accept: 'application/json', ...(request.headers ?? {}) };
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    const sentNs = clock.now();
    const raw = await this.send(request, headers, body);
    const endNs = clock.now();
    return this.finish(request, headers, body, raw, { scheduledNs, sentNs, endNs });
  }

  /** Closes idle keep-alive sockets (end of run). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private finish(
    request: HttpRequest,
    headers: Record<string, string>,
    body: string,
    raw: RawResult,
    t: { scheduledNs: number; sentNs: number; endNs: number },
  ): HttpExchange {
    const bodyText = raw.body.toString('utf8');
    const redactor = this.options.recorder.redactor;
    const id = this.options.recorder.addExchange({
      direction: 'outbound',
      cohort: request.cohort,
      check: request.check,
      startedDateTime: this.options.clock.isoAt(t.sentNs),
      ...t,
      ...(raw.waitNs === undefined ? {} : { waitNs: raw.waitNs }),
      request: { method: request.method, url: request.url, headers, bodyText: body },
      response: {
        status: raw.status,
        statusText: redactor.text(raw.statusText),
        headers: raw.headers,
        bodyText: raw.recordedText ?? bodyText,
        isTruncated: raw.isTruncated,
        bodyBytes: raw.bodyBytes,
      },
      outcome: raw.outcome,
      ...(raw.errorMessage === undefined ? {} : { errorMessage: raw.errorMessage }),
    });
    return {
      id,
      outcome: raw.outcome,
      status: raw.status,
      headers: raw.headers,
      bodyText,
      json: raw.outcome === 'reset' ? undefined : parseJson(bodyText, raw.headers['content-type']),
      ...t,
      latencyUs: (t.endNs - t.scheduledNs) / 1000,
      ...(raw.errorMessage === undefined ? {} : { errorMessage: redactor.text(raw.errorMessage) }),
    };
  }

  /** A response whose body was read: its outcome says whether it is complete, well-formed evidence. */
  private answered(request: HttpRequest, res: http.IncomingMessage, read: ReadBody, waitNs: number): RawResult {
    const status = res.statusCode ?? 0;
    const recorded = this.allowance.take(read.kept, read.totalBytes, read.sha256);
    const verdict = outcomeOf(request, status, read, read.kept.length < read.totalBytes);
    return {
      status,
      statusText: res.statusMessage ?? '',
      headers: flattenHeaders(res.headers),
      body: read.kept,
      recordedText: recorded.text,
      bodyBytes: read.totalBytes,
      isTruncated: recorded.isTruncated,
      waitNs,
      outcome: verdict.outcome,
      ...(verdict.errorMessage === undefined ? {} : { errorMessage: verdict.errorMessage }),
    };
  }

  private send(request: HttpRequest, headers: Record<string, string>, body: string): Promise<RawResult> {
    const { clock, maxBodyBytes } = this.options;
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    return new Promise<RawResult>((resolve) => {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        resolve(failed('network-error', `invalid URL`));
        return;
      }
      const isHttps = url.protocol === 'https:';
      const start = clock.now();
      const req = (isHttps ? https : http).request(url, {
        method: request.method,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: isHttps ? this.httpsAgent : this.httpAgent,
        timeout: timeoutMs,
      });
      let isTimedOut = false;
      const timer = setTimeout(() => {
        isTimedOut = true;
        req.destroy(new TimeoutError(timeoutMs));
      }, timeoutMs);
      req.on('response', (res) => {
        const waitNs = clock.now() - start;
        void readBody(res, maxBodyBytes).then((read) => {
          clearTimeout(timer);
          const raw = this.answered(request, res, read, waitNs);
          resolve(isTimedOut ? { ...raw, outcome: 'timeout', errorMessage: new TimeoutError(timeoutMs).message } : raw);
        });
      });
      req.on('error', (error: Error) => {
        clearTimeout(timer);
        resolve(failed(classify(error), error.message));
      });
      req.end(body);
    });
  }
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no complete response within ${ms} ms`);
  }
}

function classify(error: Error): Outcome {
  if (error instanceof TimeoutError) return 'timeout';
  const code = (error as NodeJS.ErrnoException).code;
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    error.message === 'socket hang up' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE'
  )
    return 'reset';
  if (code === 'ECONNREFUSED') return 'refused';
  return 'network-error';
}

/**
 * What one answer counts as. Only a complete 2xx body that parses (and, when the request names a
 * success shape, matches it) is `ok`: a status line alone is not evidence of acceptance.
 */
export function outcomeOf(
  request: Pick<HttpRequest, 'expect'>,
  status: number,
  read: Pick<ReadBody, 'ending' | 'detail' | 'kept'>,
  isCut: boolean,
): { outcome: Outcome; errorMessage?: string } {
  if (read.ending === 'reset') return { outcome: 'reset', errorMessage: read.detail ?? 'connection reset mid-body' };
  if (read.ending !== 'complete') return { outcome: 'invalid-body', errorMessage: read.detail ?? 'undecodable body' };
  if (status >= 300 && status < 400)
    return { outcome: 'redirect', errorMessage: `redirect (HTTP ${status}) not followed` };
  if (status < 200 || status >= 300) return { outcome: 'http-error' };
  if (request.expect === undefined) return { outcome: 'ok' };
  if (isCut) return { outcome: 'invalid-body', errorMessage: 'body larger than the recording cap, not parsed' };
  let json: unknown;
  try {
    json = JSON.parse(read.kept.toString('utf8')) as unknown;
  } catch {
    return { outcome: 'invalid-body', errorMessage: 'body is not valid JSON' };
  }
  return request.expect(json)
    ? { outcome: 'ok' }
    : { outcome: 'invalid-body', errorMessage: 'body does not have the success shape' };
}

function failed(outcome: Outcome, errorMessage: string): RawResult {
  return {
    status: 0,
    statusText: '',
    headers: {},
    body: Buffer.alloc(0),
    bodyBytes: 0,
    isTruncated: false,
    outcome,
    errorMessage,
  };
}

function notSent(scheduledNs: number, now: number, outcome: Outcome): HttpExchange {
  return {
    id: '',
    outcome,
    status: 0,
    headers: {},
    bodyText: '',
    json: undefined,
    scheduledNs,
    sentNs: now,
    endNs: now,
    latencyUs: (now - scheduledNs) / 1000,
  };
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseJson(text: string, contentType: string | undefined): unknown {
  if (text === '' || (contentType !== undefined && !contentType.includes('json') && !/^\s*[[{]/.test(text)))
    return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

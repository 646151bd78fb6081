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

export interface HttpClientOptions {
  budget: Budget;
  recorder: Recorder;
  clock: Clock;
  signal: AbortSignal;
  timeoutMs: number;
  maxBodyBytes: number;
}

interface RawResult {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
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

  constructor(private readonly options: HttpClientOptions) {}

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
        statusText: raw.statusText,
        headers: raw.headers,
        bodyText,
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
      json: parseJson(bodyText, raw.headers['content-type']),
      ...t,
      latencyUs: (t.endNs - t.scheduledNs) / 1000,
      ...(raw.errorMessage === undefined
        ? {}
        : { errorMessage: this.options.recorder.redactor.text(raw.errorMessage) }),
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
      const timer = setTimeout(() => req.destroy(new TimeoutError(timeoutMs)), timeoutMs);
      req.on('response', (res) => {
        const waitNs = clock.now() - start;
        const chunks: Buffer[] = [];
        let kept = 0;
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (kept < maxBodyBytes) {
            const slice = chunk.subarray(0, maxBodyBytes - kept);
            chunks.push(slice);
            kept += slice.length;
          }
        });
        res.on('end', () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          resolve({
            status,
            statusText: res.statusMessage ?? '',
            headers: flattenHeaders(res.headers),
            body: Buffer.concat(chunks),
            bodyBytes: total,
            isTruncated: total > kept,
            waitNs,
            outcome: status >= 200 && status < 400 ? 'ok' : 'http-error',
          });
        });
        res.on('error', (error: Error) => {
          clearTimeout(timer);
          resolve({
            ...failed(classify(error), error.message),
            status: res.statusCode ?? 0,
            waitNs,
            headers: flattenHeaders(res.headers),
          });
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

/**
 * The webhook receiver: a node:http server that answers Meta's hub verification GET and takes signed
 * webhook POSTs (https://developers.facebook.com/docs/graph-api/webhooks/getting-started). Every request
 * is recorded as an inbound exchange, rejected ones included: they are evidence.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../core/clock.js';
import { ListenError } from '../core/errors.js';
import type { Recorder } from '../evidence/recorder.js';
import { sha256Hex, type BodyAllowance } from '../http/body-allowance.js';
import { EventLog } from './event-log.js';
import type { WebhookEvent, WebhookHub } from './hub.js';
import { parseEvents } from './payload.js';
import { safeEqual, verifySignature, type SignatureVerdict } from './signature.js';

/** Meta caps webhook bodies well below this; anything larger is refused unread. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;
/** Bodies read at the same time; past it a POST is answered 503 unread, so a flood cannot pile up in memory. */
export const MAX_CONCURRENT_WEBHOOKS = 32;

export interface WebhookReceiverOptions {
  /** `host:port` to listen on (port 0 picks a free one). */
  listen: string;
  /** The URL the platform must call when a tunnel forwards to `listen`; null uses the local address. */
  publicUrl: string | null;
  appSecret: string;
  verifyToken: string;
  recorder: Recorder;
  clock: Clock;
  /** Cohorts by phone number id, for routing events. */
  cohorts: ReadonlyArray<{ id: string; phoneNumberId?: string | undefined }>;
  /** Called once per POST, after it is answered and recorded. */
  onDelivery?: (delivery: WebhookDelivery) => void;
  maxBodyBytes?: number;
  /** Bodies read at once (default MAX_CONCURRENT_WEBHOOKS). */
  maxConcurrent?: number;
  /** The run's recorded-body allowance (shared with the HTTP client): bodies past it are kept as size + digest. */
  allowance?: BodyAllowance;
}

/** One webhook POST as received. */
export interface WebhookDelivery {
  receivedNs: number;
  exchangeId: string;
  signature: SignatureVerdict;
  /** What the receiver answered: 200 accepted, 401 bad or missing signature, 413 too large. */
  status: number;
  /** Cohorts the body's phone number ids routed to (empty when none matched). */
  cohorts: string[];
  /** The parsed body, or undefined when it was not JSON (or too large, or past the run's recorded-body allowance). */
  payload: unknown;
  /** false when the body was past the run's recorded-body allowance: it was routed, but not kept as a payload sample. */
  isPayloadKept: boolean;
  isJson: boolean;
  /** The events the body carried (numbered in the log only when authentic). */
  events: Array<Omit<WebhookEvent, 'seq'>>;
}

/** A hub that also tells who is listening where (for the engine, not for checks). */
export interface RunningWebhookHub extends WebhookHub {
  readonly localUrl: string;
}

/** Starts the receiver on loopback (or the configured address) and returns the hub checks use. */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<RunningWebhookHub> {
  const log = new EventLog();
  const verifications: Array<{ receivedNs: number; isTokenValid: boolean; challenge: string; exchangeId: string }> = [];
  const route = new Map(
    options.cohorts.flatMap((c) => (c.phoneNumberId === undefined ? [] : [[c.phoneNumberId, c.id] as const])),
  );
  const maxConcurrent = options.maxConcurrent ?? MAX_CONCURRENT_WEBHOOKS;
  let reading = 0;
  const server = createServer((req, res) => {
    if (req.method === 'POST' && reading >= maxConcurrent) {
      req.resume();
      const receivedNs = options.clock.now();
      const url = new URL(req.url ?? '/', localUrl);
      answer(req, res, { url, receivedNs, body: '', status: 503, text: 'busy', notes: { isShed: true } });
      return;
    }
    reading += 1;
    res.once('close', () => {
      reading -= 1;
    });
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const localUrl = await listen(server, options.listen);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedNs = options.clock.now();
    const url = new URL(req.url ?? '/', localUrl);
    if (req.method === 'GET') return verify(req, res, url, receivedNs);
    if (req.method !== 'POST')
      return void answer(req, res, { url, receivedNs, body: '', status: 405, text: 'method not allowed' });
    const raw = await readCapped(req, options.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES);
    if (raw === 'aborted') return;
    if (raw === 'too-large') {
      const exchangeId = answer(req, res, {
        url,
        receivedNs,
        body: '',
        status: 413,
        text: 'payload too large',
        notes: { signature: 'invalid', isOversized: true },
      });
      return options.onDelivery?.({
        receivedNs,
        exchangeId,
        signature: 'invalid',
        status: 413,
        cohorts: [],
        payload: undefined,
        isPayloadKept: false,
        isJson: false,
        events: [],
      });
    }
    deliver(req, res, url, raw, receivedNs);
  }

  function verify(req: IncomingMessage, res: ServerResponse, url: URL, receivedNs: number): void {
    const mode = url.searchParams.get('hub.mode');
    const challenge = (url.searchParams.get('hub.challenge') ?? '').slice(0, 1024);
    const token = url.searchParams.get('hub.verify_token') ?? '';
    const isTokenValid = mode === 'subscribe' && safeEqual(token, options.verifyToken);
    const status = isTokenValid ? 200 : 403;
    const exchangeId = answer(req, res, {
      url,
      receivedNs,
      body: '',
      status,
      text: isTokenValid ? challenge : 'verify token mismatch',
      notes: { isTokenValid },
      check: 'CONF-WH-001',
    });
    verifications.push({ receivedNs, isTokenValid, challenge, exchangeId });
  }

  function deliver(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer, receivedNs: number): void {
    const header = req.headers['x-hub-signature-256'];
    const signature = verifySignature(options.appSecret, raw, Array.isArray(header) ? header[0] : header);
    const payload = parseJson(raw);
    const parsed = parseEvents(payload);
    const cohorts = [
      ...new Set(
        parsed.flatMap((e) =>
          e.phoneNumberId !== null && route.has(e.phoneNumberId) ? [route.get(e.phoneNumberId) as string] : [],
        ),
      ),
    ];
    const status = signature === 'valid' ? 200 : 401;
    const text = signature === 'valid' ? 'EVENT_RECEIVED' : `signature ${signature}`;
    const isPayloadKept = options.allowance === undefined || options.allowance.remaining() >= raw.length;
    const exchangeId = answer(req, res, {
      url,
      receivedNs,
      body: raw.toString('utf8'),
      status,
      text,
      notes: { signature },
      cohort: cohorts[0] ?? '*',
    });
    const events = parsed.map((event): Omit<WebhookEvent, 'seq'> => ({
      ...event,
      receivedNs,
      cohort: event.phoneNumberId === null ? null : (route.get(event.phoneNumberId) ?? null),
      isSignatureValid: signature === 'valid',
      exchangeId,
    }));
    // Only authentic events reach checks: a forged webhook must never count as a delivery or a latency sample.
    if (signature === 'valid') for (const event of events) log.push(event);
    options.onDelivery?.({
      receivedNs,
      exchangeId,
      signature,
      status,
      cohorts,
      payload: isPayloadKept ? payload : undefined,
      isPayloadKept,
      isJson: payload !== undefined,
      events,
    });
  }

  interface Answer {
    url: URL;
    receivedNs: number;
    body: string;
    status: number;
    text: string;
    notes?: Record<string, string | number | boolean>;
    cohort?: string;
    check?: string;
  }

  /** The body as recorded: drawn from the run's allowance, a marker with size and digest past it. */
  function kept(body: string): string {
    if (options.allowance === undefined || body === '') return body;
    const raw = Buffer.from(body, 'utf8');
    return options.allowance.take(raw, raw.length, sha256Hex(raw)).text;
  }

  /** Writes the answer and records the exchange; returns its HAR id. */
  function answer(req: IncomingMessage, res: ServerResponse, a: Answer): string {
    const headers = { 'content-type': 'text/plain; charset=utf-8' };
    res.writeHead(a.status, headers).end(a.text);
    const endNs = options.clock.now();
    return options.recorder.addExchange({
      direction: 'inbound',
      cohort: a.cohort ?? '*',
      check: a.check ?? 'webhook',
      startedDateTime: options.clock.isoAt(a.receivedNs),
      scheduledNs: a.receivedNs,
      sentNs: a.receivedNs,
      endNs,
      request: {
        method: req.method ?? 'GET',
        url: a.url.toString(),
        headers: flatten(req.headers),
        bodyText: kept(a.body),
      },
      response: {
        status: a.status,
        statusText: '',
        headers,
        bodyText: a.text,
        isTruncated: false,
        bodyBytes: Buffer.byteLength(a.text),
      },
      outcome: a.status < 400 ? 'ok' : 'http-error',
      ...(a.notes === undefined ? {} : { notes: a.notes }),
    });
  }

  return {
    localUrl,
    callbackUrl: options.publicUrl ?? `${localUrl}/webhook`,
    events: () => log.all(),
    received: () => log.received(),
    eventsAbout: (messageId) => log.about(messageId),
    waitFor: (predicate, timeoutMs, about) => log.waitFor(predicate, timeoutMs, about),
    verifications: () => [...verifications],
    close: async () => {
      log.close();
      await close(server);
    },
  };
}

/** The body; 'too-large' once it passes `cap` bytes (the rest is not kept), 'aborted' when the sender went away. */
function readCapped(req: IncomingMessage, cap: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve('aborted'));
    req.on('aborted', () => resolve('aborted'));
  });
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function flatten(headers: IncomingMessage['headers']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]])),
  );
}

function listen(server: Server, address: string): Promise<string> {
  const split = address.lastIndexOf(':');
  const host = address.slice(0, split);
  const port = Number(address.slice(split + 1));
  return new Promise((resolve, reject) => {
    server.once('error', (error: Error) =>
      reject(new ListenError(`the webhook receiver cannot listen on ${address}: ${error.message}`, error)),
    );
    server.listen(port, host, () => {
      const bound = server.address() as AddressInfo;
      resolve(`http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../core/clock.js';
import { Recorder } from '../evidence/recorder.js';
import { isSendSuccess } from '../targets/whatsapp/cloud.js';
import { Budget } from './budget.js';
import { HttpClient } from './client.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
// Compressed once: gzipping 50 MiB inside the handler spent much of the client's 800 ms timeout on a loaded
// machine, so the bomb could time out before the client saw it.
const BOMB = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
const OK = JSON.stringify({ messaging_product: 'whatsapp', messages: [{ id: 'wamid.1' }] });
const handlers: Record<string, Handler> = {
  ok: (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(OK),
  empty: (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
  typed: (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"messages":[{"id":42}]}'),
  notJson: (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"messages": [oops'),
  redirect: (_req, res) => res.writeHead(302, { location: 'http://example.invalid/' }).end(),
  midBody: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
    res.write(OK.slice(0, 20));
    setTimeout(() => res.socket?.destroy(), 20);
  },
  bomb: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(BOMB);
  },
  gzipOk: (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(OK)),
  big: (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(`{"pad":"${'x'.repeat(300_000)}"}`),
  stall: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{');
  },
  secretStatus: (_req, res) => {
    res.statusMessage = 'OK tok-secret-abcdef123';
    res.writeHead(200, { 'content-type': 'application/json' }).end(OK);
  },
};

let base = '';
const server = createServer((req, res) => (handlers[(req.url ?? '/').slice(1)] ?? handlers.ok)?.(req, res));
beforeAll(() =>
  new Promise<void>((done) => server.listen(0, '127.0.0.1', done)).then(() => {
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }),
);
afterAll(
  () =>
    new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
);

function client(overrides: { maxTotalBodyBytes?: number } = {}): { http: HttpClient; recorder: Recorder } {
  const clock = createClock();
  const recorder = new Recorder(clock, ['tok-secret-abcdef123']);
  const http = new HttpClient({
    budget: new Budget({ maxRps: 1000, maxRequests: 100, maxRequestsPerCohort: null }, clock),
    recorder,
    clock,
    signal: new AbortController().signal,
    timeoutMs: 800,
    maxBodyBytes: 1 << 20,
    ...overrides,
  });
  return { http, recorder };
}

const send = (http: HttpClient, path: string) =>
  http.request({ method: 'POST', url: `${base}/${path}`, json: {}, cohort: 'c', check: 'T', expect: isSendSuccess });

describe('HttpClient outcomes: a status line alone is not acceptance', () => {
  it.each([
    ['ok', 'ok'],
    ['gzipOk', 'ok'],
    ['empty', 'invalid-body'],
    ['typed', 'invalid-body'],
    ['notJson', 'invalid-body'],
    ['redirect', 'redirect'],
    ['midBody', 'reset'],
    ['bomb', 'invalid-body'],
    ['stall', 'timeout'],
  ])('%s → %s', async (path, outcome) => {
    const { http } = client();
    const exchange = await send(http, path);
    expect(exchange.outcome).toBe(outcome);
    http.close();
  });

  it('stops a gzip bomb early instead of inflating it', async () => {
    const { http, recorder } = client();
    const exchange = await send(http, 'bomb');
    expect(exchange.errorMessage).toMatch(/100:1/);
    expect(recorder.exchanges[0]?.response.bodyBytes ?? 0).toBeLessThan(20 * 1024 * 1024);
    http.close();
  });

  it('redacts a secret in the reason phrase', async () => {
    const { http, recorder } = client();
    await send(http, 'secretStatus');
    expect(recorder.exchanges[0]?.response.statusText).toBe('OK [REDACTED]');
    http.close();
  });

  it('caps recorded body bytes for the whole run and keeps size and digest past the cap', async () => {
    const { http, recorder } = client({ maxTotalBodyBytes: 500_000 });
    for (let i = 0; i < 3; i += 1) await http.request({ method: 'GET', url: `${base}/big`, cohort: 'c', check: 'T' });
    const kept = recorder.exchanges.map((e) => e.response.bodyText.length);
    expect(kept.reduce((a, b) => a + b, 0)).toBeLessThan(500_000 + 1000);
    expect(recorder.exchanges[2]?.response.bodyText).toMatch(
      /run-wide body cap reached\); 300010 bytes received, sha256:[0-9a-f]{64}/,
    );
    expect(recorder.exchanges[2]?.response.isTruncated).toBe(true);
    http.close();
  });
});

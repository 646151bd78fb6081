/** The reference platform's HTTP server: one loopback port, each surface under its own base path. */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRng } from '../core/rng.js';
import { ListenError } from '../core/errors.js';
import { createSimCohorts, SIM_RECIPIENT } from './cohorts.js';
import { SimContext } from './context.js';
import { graphError } from './graph-error.js';
import { loadScenario } from './scenario.js';
import { createSurfaces, type Mount } from './surfaces.js';
import type { Scenario, SimCohort, SimRequest, SimResponse } from './types.js';
import type { WebhookDelivery, WebhookOptions } from './webhooks.js';

export interface SimOptions {
  /** Scenario name (fixtures/scenarios) or an already parsed scenario. */
  scenario?: string | Scenario;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  seed?: number;
  /** Fixed tokens per cohort id (tests plant canaries this way). */
  tokens?: Partial<Record<string, { token?: string; interopToken?: string }>>;
  /** The app secret webhooks are signed with (random when absent). */
  appSecret?: string;
  /** Webhook delivery: extra allowed callback hosts (loopback only by default), retries and timeouts. */
  webhooks?: WebhookOptions;
  /**
   * Extra ms added to every accepted send of a role, on top of the scenario (e.g. `{ subject: 40 }`): what a
   * slow network path to the platform looks like from one vantage point. Not part of any scenario file.
   */
  extraDelayMs?: Partial<Record<'reference' | 'subject', number>>;
}

/** A running sim; close() stops it. */
export interface RunningSim {
  scenario: Scenario;
  cohorts: SimCohort[];
  recipient: string;
  /** Secret the platform signs webhooks with (X-Hub-Signature-256). */
  appSecret: string;
  urls: { base: string; businessApi: string; interop: string; userDriver: string };
  apiVersion: string;
  context: SimContext;
  /** Every webhook delivery attempt so far (status and inbound-message webhooks, retries included). */
  webhookDeliveries(): readonly WebhookDelivery[];
  close(): Promise<void>;
}

/** Starts the reference platform on loopback. */
export async function startSim(options: SimOptions = {}): Promise<RunningSim> {
  const scenario =
    typeof options.scenario === 'object' ? options.scenario : loadScenario(options.scenario ?? 'self-preferencing');
  const cohorts = createSimCohorts(options.tokens);
  const appSecret = options.appSecret ?? randomBytes(16).toString('hex');
  const ctx = new SimContext(scenario, cohorts, createRng(options.seed ?? 1), appSecret, undefined, options.webhooks);
  ctx.extraDelayMs = { ...(options.extraDelayMs ?? {}) };
  const faultRng = createRng((options.seed ?? 1) ^ 0x5eed);
  const server = createServer();
  const base = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  const mounts = await createSurfaces(ctx, base);
  server.on('request', (req, res) => void handle(req, res, mounts, ctx, () => faultRng.next()));
  return {
    scenario,
    cohorts,
    recipient: SIM_RECIPIENT,
    appSecret,
    urls: { base, businessApi: `${base}/graph`, interop: `${base}/interop`, userDriver: base },
    apiVersion: 'v24.0',
    context: ctx,
    webhookDeliveries: () => ctx.webhooks.deliveries(),
    close: () => {
      ctx.webhooks.close();
      return close(server);
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  mounts: Mount[],
  ctx: SimContext,
  random: () => number,
): Promise<void> {
  const rawBody = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://sim');
  for (const { prefix, route } of mounts) {
    if (!url.pathname.startsWith(prefix)) continue;
    const request: SimRequest = {
      method: req.method ?? 'GET',
      path: url.pathname.slice(prefix.length) || '/',
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      json: parseJson(rawBody),
    };
    // Faults hit message sends only: configuring a webhook is not traffic a fair platform would drop.
    const faulted = prefix === '/graph' && request.path.endsWith('/messages') ? fault(ctx, random) : undefined;
    if (faulted?.isReset === true) return void req.socket.destroy();
    const response = faulted?.status === 500 ? faulted : await route(request);
    if (response === undefined) continue;
    return write(res, { ...response, delayMs: (response.delayMs ?? 0) + (faulted?.delayMs ?? 0) });
  }
  write(res, graphError(404, 100, `Unknown path components: ${url.pathname}`));
}

/** Faults that hit every cohort alike (the flaky-but-fair scenario). */
function fault(ctx: SimContext, random: () => number): SimResponse | undefined {
  const { errorRate, resetRate, stallRate, stallMs } = ctx.scenario.faults;
  if (errorRate + resetRate + stallRate === 0) return undefined;
  const draw = random();
  if (draw < resetRate) return { status: 0, isReset: true };
  if (draw < resetRate + errorRate) return { ...graphError(500, 2, 'Service temporarily unavailable'), delayMs: 1 };
  if (draw < resetRate + errorRate + stallRate) return { status: 0, delayMs: stallMs };
  return undefined;
}

function write(res: ServerResponse, response: SimResponse): void {
  const send = (): void => {
    if (res.destroyed) return;
    if (response.isReset === true) return void res.socket?.destroy();
    const body = response.json !== undefined ? JSON.stringify(response.json) : (response.body ?? '');
    const type = response.json !== undefined ? 'application/json; charset=UTF-8' : 'text/plain; charset=UTF-8';
    res.writeHead(response.status, { 'content-type': type, ...(response.headers ?? {}) });
    res.end(body);
  };
  const delay = response.delayMs ?? 0;
  if (delay > 0) setTimeout(send, delay);
  else send();
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: Error) =>
      reject(new ListenError(`the reference platform cannot listen on ${host}:${port}: ${error.message}`, error)),
    );
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shownHost}:${address.port}`);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * A fault-injecting proxy for tests: it sits between the harness and the built-in platform, forwards
 * every request, and lets one fault mode rewrite, cut, stall or forge what comes back. It also puts
 * itself between the platform and the harness's webhook receiver (it rewrites the callback override
 * to point at itself), so webhooks and the hub verification can be faulted too.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Which surface a request is for, as the proxy sees it. */
export type Surface =
  | 'send'
  | 'graph'
  | 'override'
  | 'keys'
  | 'interop-put'
  | 'interop-get'
  | 'interop'
  | 'user'
  | 'hook-get'
  | 'hook-post'
  | 'other';

/** One request as it reached the proxy. */
export interface Proxied {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  surface: Surface;
  /** The cohort whose token the request carries (undefined for webhooks and unknown tokens). */
  cohort: string | undefined;
  /** 1-based count of requests on this surface so far, this one included. */
  n: number;
}

/** The platform's answer, fully read. */
export interface Upstream {
  status: number;
  statusText: string;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** What a mode does with one request. Return nothing to forward unchanged. */
export interface ModeTools {
  /** Asks the platform (or, for webhooks, the harness) and returns its answer. */
  upstream(override?: { body?: Buffer; headers?: Record<string, string>; path?: string }): Promise<Upstream>;
  /** Writes an answer (headers and body as given; status text may be anything). */
  send(answer: Partial<Upstream> & { status: number }): void;
  res: ServerResponse;
  socket: Socket;
}

export type ModeAction = (req: Proxied, tools: ModeTools) => Promise<boolean | void> | boolean | void;

/** A running proxy: its base URL and a way to stop it. */
export interface HostileProxy {
  url: string;
  /** Requests seen per surface. */
  counts: Map<Surface, number>;
  close(): Promise<void>;
}

/** Starts a proxy in front of `upstream` (the sim's base URL) applying `act` to every request. */
export async function startHostileProxy(
  upstream: string,
  act: ModeAction,
  tokens: ReadonlyMap<string, string>,
): Promise<HostileProxy> {
  const counts = new Map<Surface, number>();
  let base = '';
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const path = req.url ?? '/';
    const surface = surfaceOf(req.method ?? 'GET', path);
    counts.set(surface, (counts.get(surface) ?? 0) + 1);
    const headers = flat(req.headers);
    const proxied: Proxied = {
      method: req.method ?? 'GET',
      path,
      headers,
      body,
      surface,
      cohort: tokens.get((headers.authorization ?? '').replace(/^Bearer\s+/i, '')),
      n: counts.get(surface) ?? 1,
    };
    const tools: ModeTools = {
      upstream: (override) =>
        forward(
          targetOf(upstream, override?.path ?? path),
          proxied.method,
          { ...headers, ...(override?.headers ?? {}) },
          rewrite(proxied, override?.body ?? body, base),
        ),
      send: (answer) => write(res, answer),
      res,
      socket: req.socket,
    };
    const handled = await act(proxied, tools);
    if (handled === true || res.headersSent || res.destroyed) return;
    write(res, await tools.upstream());
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function surfaceOf(method: string, path: string): Surface {
  if (path.startsWith('/__hook/')) return method === 'GET' ? 'hook-get' : 'hook-post';
  if (path.startsWith('/graph/')) {
    if (/\/messages(\?|$)/.test(path)) return 'send';
    return method === 'POST' && /^\/graph\/v[\d.]+\/\d+$/.test(path) ? 'override' : 'graph';
  }
  if (path.startsWith('/interop/')) {
    if (path.includes('/v2/keys/')) return 'keys';
    if (path.includes('/v1/messages') && method === 'PUT') return 'interop-put';
    if (path.includes('/v1/messages') && method === 'GET') return 'interop-get';
    return 'interop';
  }
  if (path.startsWith('/_sim/')) return 'user';
  return 'other';
}

/** Webhooks go back to the harness's callback; everything else to the platform. */
function targetOf(upstream: string, path: string): string {
  if (!path.startsWith('/__hook/')) return `${upstream}${path}`;
  const rest = path.slice('/__hook/'.length);
  const [encoded, ...query] = rest.split('?');
  return `${decodeURIComponent(encoded ?? '')}${query.length > 0 ? `?${query.join('?')}` : ''}`;
}

/** Points a callback override at the proxy, so the platform's webhooks pass through it. */
function rewrite(req: Proxied, body: Buffer, base: string): Buffer {
  if (req.surface !== 'override') return body;
  try {
    const json = JSON.parse(body.toString('utf8')) as { webhook_configuration?: { override_callback_uri?: string } };
    const config = json.webhook_configuration;
    if (config?.override_callback_uri !== undefined)
      config.override_callback_uri = `${base}/__hook/${encodeURIComponent(config.override_callback_uri)}`;
    return Buffer.from(JSON.stringify(json));
  } catch {
    return body;
  }
}

function forward(url: string, method: string, headers: Record<string, string>, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const { host: _host, 'content-length': _length, connection: _connection, ...rest } = headers;
    const req = request(
      target,
      { method, headers: { ...rest, 'content-length': String(body.length) }, agent: false },
      (res) => {
        void readAll(res).then((data) =>
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers: cleanHeaders(res.headers),
            body: data,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function cleanHeaders(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'content-length' || name === 'transfer-encoding' || name === 'connection')
      continue;
    out[name] = value;
  }
  return out;
}

function write(res: ServerResponse, answer: Partial<Upstream> & { status: number }): void {
  if (res.headersSent || res.destroyed) return;
  const body = answer.body ?? Buffer.alloc(0);
  res.statusCode = answer.status;
  if (answer.statusText !== undefined) res.statusMessage = answer.statusText;
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  if (!res.hasHeader('content-length')) res.setHeader('content-length', String(body.length));
  res.end(body);
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', () => resolve(Buffer.concat(chunks)));
    stream.on('aborted', () => resolve(Buffer.concat(chunks)));
  });
}

function flat(headers: IncomingMessage['headers']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]])),
  );
}

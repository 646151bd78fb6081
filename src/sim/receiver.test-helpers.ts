/**
 * A minimal webhook receiver on loopback for the sim's own tests and demos: answers the hub challenge when
 * the verify token matches, records every POST with its raw body, and can be told to fail the next POSTs.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One webhook POST as the receiver got it. */
export interface ReceivedPost {
  /** performance.now() at arrival. */
  receivedMs: number;
  rawBody: string;
  signature: string | undefined;
  contentType: string | undefined;
  json: unknown;
}

export interface TestReceiver {
  url: string;
  posts: ReceivedPost[];
  /** Challenges answered (with whether the verify token matched). */
  verifications: Array<{ challenge: string; isTokenValid: boolean }>;
  /** Answer the next `count` POSTs with HTTP 500 (to exercise the platform's retries). */
  failNext(count: number): void;
  /** Resolves with the first POST (past or future) matching `predicate`, or undefined after `timeoutMs`. */
  waitFor(predicate: (post: ReceivedPost) => boolean, timeoutMs: number): Promise<ReceivedPost | undefined>;
  close(): Promise<void>;
}

/** Starts a receiver that expects `verifyToken`; with `challengeOverride` it answers the GET wrongly on purpose. */
export async function startTestReceiver(options: {
  verifyToken: string;
  challengeOverride?: string;
}): Promise<TestReceiver> {
  const posts: ReceivedPost[] = [];
  const verifications: TestReceiver['verifications'] = [];
  const waiters = new Set<{ predicate: (post: ReceivedPost) => boolean; resolve: (post: ReceivedPost) => void }>();
  let failures = 0;
  const server = createServer((req, res) => {
    void readAll(req).then((raw) => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      if (req.method === 'GET') {
        const challenge = url.searchParams.get('hub.challenge') ?? '';
        const isTokenValid =
          url.searchParams.get('hub.mode') === 'subscribe' &&
          url.searchParams.get('hub.verify_token') === options.verifyToken;
        verifications.push({ challenge, isTokenValid });
        res
          .writeHead(isTokenValid ? 200 : 403)
          .end(isTokenValid ? (options.challengeOverride ?? challenge) : 'forbidden');
        return;
      }
      const post: ReceivedPost = {
        receivedMs: performance.now(),
        rawBody: raw,
        signature: header(req, 'x-hub-signature-256'),
        contentType: header(req, 'content-type'),
        json: JSON.parse(raw) as unknown,
      };
      posts.push(post);
      for (const waiter of waiters) if (waiter.predicate(post)) waiter.resolve(post);
      if (failures > 0) {
        failures -= 1;
        res.writeHead(500).end('try again');
        return;
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    posts,
    verifications,
    failNext: (count) => void (failures = count),
    waitFor: (predicate, timeoutMs) => waitFor(posts, waiters, predicate, timeoutMs),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function waitFor(
  posts: ReceivedPost[],
  waiters: Set<{ predicate: (post: ReceivedPost) => boolean; resolve: (post: ReceivedPost) => void }>,
  predicate: (post: ReceivedPost) => boolean,
  timeoutMs: number,
): Promise<ReceivedPost | undefined> {
  const found = posts.find(predicate);
  if (found !== undefined) return Promise.resolve(found);
  return new Promise((resolve) => {
    const waiter = {
      predicate,
      resolve: (post: ReceivedPost): void => {
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(post);
      },
    };
    const timer = setTimeout(() => {
      waiters.delete(waiter);
      resolve(undefined);
    }, timeoutMs);
    waiters.add(waiter);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/**
 * The wire side of webhook delivery: the hub verification GET and the signed POST
 * (https://developers.facebook.com/docs/graph-api/webhooks/getting-started). Plain node:http(s), so the exact
 * bytes that were signed are the bytes sent, and no global fetch interceptor sees the platform's own traffic.
 */
import { createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What one HTTP attempt came to: a status and body, or the network error that prevented one. */
export type TransportResult =
  { isAnswered: true; status: number; body: string } | { isAnswered: false; status: 0; error: string };

/** `sha256=<hex HMAC-SHA256(appSecret, raw body)>`, the value of X-Hub-Signature-256. */
export function hubSignature(appSecret: string, rawBody: Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/**
 * JSON the way the platform sends it: every non-ASCII character escaped as \uXXXX, so the signed body is
 * pure ASCII and a receiver that re-escapes before verifying (as SDKs do) computes the same HMAC.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Whether a callback URL points at this machine (the only place webhooks go unless explicitly allowed). */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    host === '::ffff:127.0.0.1'
  );
}

/** GET `url` and read the body (for the hub verification handshake). */
export function getText(url: URL, timeoutMs: number): Promise<TransportResult> {
  return send(url, { method: 'GET', headers: { 'user-agent': USER_AGENT } }, undefined, timeoutMs);
}

/** POST a signed webhook body to `url`. */
export function postSigned(url: URL, rawBody: Buffer, appSecret: string, timeoutMs: number): Promise<TransportResult> {
  const headers = {
    'content-type': 'application/json',
    'content-length': String(rawBody.length),
    'user-agent': USER_AGENT,
    'x-hub-signature-256': hubSignature(appSecret, rawBody),
  };
  return send(url, { method: 'POST', headers }, rawBody, timeoutMs);
}

const USER_AGENT = 'facebookexternalua';
/** Response bodies of callbacks are read only this far (a challenge is short). */
const MAX_BODY = 64 * 1024;

function send(
  url: URL,
  options: { method: string; headers: Record<string, string> },
  body: Buffer | undefined,
  timeoutMs: number,
): Promise<TransportResult> {
  return new Promise((resolve) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      { ...options, timeout: timeoutMs },
      (response) => {
        void readCapped(response).then((text) =>
          resolve({ isAnswered: true, status: response.statusCode ?? 0, body: text }),
        );
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error: Error) => resolve({ isAnswered: false, status: 0, error: error.message }));
    request.end(body);
  });
}

function readCapped(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if (size < MAX_BODY) chunks.push(chunk);
      size += chunk.length;
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY)));
    response.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

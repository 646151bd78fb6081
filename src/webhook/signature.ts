/**
 * `X-Hub-Signature-256` of Meta webhooks: `sha256=` + hex HMAC-SHA256(app secret, raw body)
 * (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How a delivery's signature compared with the one the app secret gives. */
export type SignatureVerdict = 'valid' | 'invalid' | 'missing';

/** The header value a platform holding `appSecret` sends for `rawBody`. */
export function signatureHeader(appSecret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** Checks a received header against the raw body in constant time (no early exit on the first differing byte). */
export function verifySignature(appSecret: string, rawBody: Buffer, header: string | undefined): SignatureVerdict {
  if (header === undefined || header.trim() === '') return 'missing';
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (match === null) return 'invalid';
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  const received = Buffer.from((match[1] ?? '').toLowerCase(), 'hex');
  return timingSafeEqual(expected, received) ? 'valid' : 'invalid';
}

/** Constant-time string equality (for the hub verify token); lengths leak, contents do not. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // Compare against itself when lengths differ so the time spent does not depend on where they differ.
  if (left.length !== right.length) return timingSafeEqual(left, left) && false;
  return timingSafeEqual(left, right);
}

/** The recipient's echo: every decrypted message is answered with the SHA-256 of its plaintext. */
import { createHash } from 'node:crypto';

/** Hex SHA-256 of bytes or UTF-8 text. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The reply plaintext the recipient sends for a received plaintext: `{"echo":"<hex sha256>"}`. */
export function echoPayload(received: Uint8Array): string {
  return JSON.stringify({ echo: sha256Hex(received) });
}

export type EchoCheck =
  | { ok: true; digest: string }
  | { ok: false; reason: 'not-an-echo' | 'digest-mismatch'; expected: string; got: string | null };

/** Compares a reply's plaintext with the digest of what was sent; a mismatch means corruption in transit. */
export function checkEcho(sent: Uint8Array | string, replyText: string): EchoCheck {
  const expected = sha256Hex(sent);
  const got = readEchoDigest(replyText);
  if (got === null) return { ok: false, reason: 'not-an-echo', expected, got };
  return got === expected ? { ok: true, digest: got } : { ok: false, reason: 'digest-mismatch', expected, got };
}

function readEchoDigest(text: string): string | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const echo = (value as Record<string, unknown>)['echo'];
    return typeof echo === 'string' ? echo : null;
  } catch {
    return null;
  }
}

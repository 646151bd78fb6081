/** Strict base64 (RFC 4648 §4, standard alphabet) for key material on the Signal-Server-shaped wire. */

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;

/** Encodes bytes as padded standard base64. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes standard base64, or returns null when the text is not canonical base64.
 * Node's decoder silently skips bad characters, so the text is re-encoded and compared:
 * a key that only decodes "leniently" is malformed material and must be reported.
 */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  if (!STANDARD.test(text)) return null;
  const unpadded = text.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return null;
  const decoded = Buffer.from(unpadded, 'base64');
  if (decoded.toString('base64').replace(/=+$/, '') !== unpadded) return null;
  const bytes = new Uint8Array(new ArrayBuffer(decoded.byteLength));
  bytes.set(decoded);
  return bytes;
}

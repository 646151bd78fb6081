/**
 * Reads one response body to the end, bounded: at most `maxBodyBytes` are kept, every byte is hashed,
 * and compressed bodies are decoded as a stream with a ratio limit (a gzip bomb stops early instead
 * of filling memory). It says whether the body arrived complete, because a verdict may only rest
 * on a complete answer.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';

/** Decoded bytes may exceed the bytes on the wire by at most this factor (past a small floor). */
export const MAX_DECOMPRESSION_RATIO = 100;
/** Below this many decoded bytes the ratio is not judged (tiny bodies compress very well). */
const RATIO_FLOOR_BYTES = 64 * 1024;

/** A body as read: the kept prefix, how much arrived, its digest, and how reading ended. */
export interface ReadBody {
  kept: Buffer;
  totalBytes: number;
  sha256: string;
  /** complete: the whole body arrived; reset: the connection ended early; bomb: decoding was stopped. */
  ending: 'complete' | 'reset' | 'bomb' | 'bad-encoding';
  detail?: string;
}

/** Reads `res` to the end (or until it fails); never rejects. */
export function readBody(res: IncomingMessage, maxBodyBytes: number): Promise<ReadBody> {
  return new Promise((resolve) => {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    let wire = 0;
    let isDone = false;
    const finish = (ending: ReadBody['ending'], detail?: string): void => {
      if (isDone) return;
      isDone = true;
      resolve({
        kept: Buffer.concat(chunks),
        totalBytes: total,
        sha256: hash.digest('hex'),
        ending,
        ...(detail === undefined ? {} : { detail }),
      });
    };
    const decoder = decoderFor(res.headers['content-encoding']);
    const source = decoder ?? res;
    res.on('data', (chunk: Buffer) => {
      wire += chunk.length;
    });
    source.on('data', (chunk: Buffer) => {
      total += chunk.length;
      hash.update(chunk);
      if (kept < maxBodyBytes) {
        const slice = chunk.subarray(0, maxBodyBytes - kept);
        chunks.push(slice);
        kept += slice.length;
      }
      if (decoder !== undefined && total > RATIO_FLOOR_BYTES && total > wire * MAX_DECOMPRESSION_RATIO) {
        finish('bomb', `decompressed body exceeds ${MAX_DECOMPRESSION_RATIO}:1 of ${wire} bytes on the wire`);
        decoder.destroy();
        res.destroy();
      }
    });
    source.on('end', () => finish(res.complete ? 'complete' : 'reset', res.complete ? undefined : 'body cut short'));
    source.on('error', (error: Error) =>
      finish(source === res ? 'reset' : 'bad-encoding', `${error.message}`.slice(0, 200)),
    );
    res.on('aborted', () => finish('reset', 'connection closed before the body was complete'));
    res.on('error', (error: Error) => finish('reset', error.message));
    res.on('close', () => {
      if (!res.complete) finish('reset', 'connection closed before the body was complete');
    });
    if (decoder !== undefined) res.pipe(decoder);
  });
}

function decoderFor(encoding: string | undefined): Transform | undefined {
  const name = (encoding ?? '').trim().toLowerCase();
  if (name === 'gzip' || name === 'x-gzip') return zlib.createGunzip();
  if (name === 'deflate') return zlib.createInflate();
  if (name === 'br') return zlib.createBrotliDecompress();
  return undefined;
}

/**
 * The run-wide allowance of recorded body bytes (docs/architecture.md, "Principles"): every body
 * the run keeps, outbound answers and inbound webhooks alike, is drawn from one total, so a flood of
 * large bodies cannot grow memory or the HAR without bound. Past the allowance a body is replaced by
 * a marker that keeps its size and sha256, so the evidence still says what arrived.
 */
import { createHash } from 'node:crypto';

/** Default run-wide cap on recorded body bytes (64 MiB). */
export const DEFAULT_MAX_TOTAL_BODY_BYTES = 64 * 1024 * 1024;

/** What to record for one body: the kept text, and whether (and why) it was cut. */
export interface RecordedBody {
  text: string;
  isTruncated: boolean;
}

/** Hands out recorded-body bytes until the run's total is spent. */
export class BodyAllowance {
  private used = 0;

  constructor(readonly maxTotalBytes: number = DEFAULT_MAX_TOTAL_BODY_BYTES) {}

  /** Bytes still available. */
  remaining(): number {
    return Math.max(0, this.maxTotalBytes - this.used);
  }

  /**
   * Takes `kept` (the bytes already held, at most the per-body cap) for recording; `totalBytes` is
   * how many arrived and `digest` the sha256 of all of them. Beyond the allowance only a marker is kept.
   */
  take(kept: Buffer, totalBytes: number, digest: string): RecordedBody {
    const room = this.remaining();
    const slice = kept.length <= room ? kept : kept.subarray(0, room);
    this.used += slice.length;
    const isCut = slice.length < totalBytes;
    if (!isCut) return { text: slice.toString('utf8'), isTruncated: false };
    const why = slice.length < kept.length ? 'run-wide body cap reached' : 'body cap reached';
    return { text: `${slice.toString('utf8')}${truncationMarker(totalBytes, digest, why)}`, isTruncated: true };
  }
}

/** The marker appended where a body was cut: what arrived and how to recognise it. */
export function truncationMarker(totalBytes: number, digest: string, why: string): string {
  return `\n[dma-audit: truncated (${why}); ${totalBytes} bytes received, sha256:${digest}]`;
}

/** sha256 hex of a buffer (for bodies kept whole, where no streaming hash was taken). */
export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** One monotonic clock per run: every timestamp in a bundle is ns since the run started. */

export interface Clock {
  /** Monotonic ns since the run started (exact up to ~104 days as a double). */
  now(): number;
  /** The wall-clock time at which the run started. */
  startedAt: Date;
  /** Wall-clock ISO time for a monotonic timestamp (for HAR's startedDateTime). */
  isoAt(ns: number): string;
  /** Resolves at the monotonic time `ns` (or at once if it has passed); wakes early on abort. */
  sleepUntil(ns: number, signal?: AbortSignal): Promise<void>;
}

/** Starts a clock now. */
export function createClock(): Clock {
  const origin = process.hrtime.bigint();
  const startedAt = new Date();
  const now = (): number => Number(process.hrtime.bigint() - origin);
  return {
    now,
    startedAt,
    isoAt: (ns) => new Date(startedAt.getTime() + ns / 1e6).toISOString(),
    sleepUntil: (ns, signal) => sleepUntil(now, ns, signal),
  };
}

/** setTimeout for the bulk of the wait, then a short spin so open-loop sends slip by microseconds, not ms. */
async function sleepUntil(now: () => number, ns: number, signal?: AbortSignal): Promise<void> {
  const coarseMs = (ns - now()) / 1e6 - 1.5;
  if (coarseMs > 0) await abortableTimeout(coarseMs, signal);
  while (now() < ns && signal?.aborted !== true) {
    if (ns - now() > 200_000) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function abortableTimeout(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

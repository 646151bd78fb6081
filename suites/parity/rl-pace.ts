/**
 * Pacing for probes whose next request depends on earlier answers (the rate-limit probe), so they
 * cannot use the scheduler's fixed plan: a monotonic sleep precise to well under a millisecond.
 */

/** Monotonic milliseconds (the same clock for every probe of a process). */
export function nowMs(): number {
  return performance.now();
}

/** Resolves at `targetMs` on nowMs()'s clock (or at once if it has passed); wakes early on abort. */
export async function sleepUntilMs(targetMs: number, signal?: AbortSignal): Promise<void> {
  while (signal?.aborted !== true) {
    const left = targetMs - nowMs();
    if (left <= 0) return;
    if (left > 2) await abortableDelay(left - 1.5, signal);
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** setTimeout that resolves early when `signal` aborts. */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
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

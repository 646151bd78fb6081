/** `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. */

/**
 * Seconds to wait that `value` asks for, measured from `nowMs` for the HTTP-date form (pass the
 * response's own Date header to read what the server meant, or Date.now() to wait); null when absent
 * or unreadable.
 */
export function retryAfterSeconds(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isFinite(at) && Number.isFinite(nowMs) ? Math.max(0, (at - nowMs) / 1000) : null;
}

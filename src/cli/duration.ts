/** `--duration 24h|90m|3600s`: a wall-clock span, for runs measured over hours rather than samples. */

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000 } as const;

/** Parses `24h`, `90m`, `3600s` or `1.5h` into milliseconds; anything else is an error naming the flag. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)([hms])$/.exec(value.trim());
  const amount = match === null ? Number.NaN : Number(match[1]);
  if (match === null || !(amount > 0))
    throw new Error(`--duration must be a positive number followed by h, m or s (24h, 90m, 3600s), got "${value}"`);
  return amount * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Run ids: a UTC timestamp, a slug of what was audited and a random suffix, safe as a folder name. */
import { randomBytes } from 'node:crypto';

/** `20261202T053254Z-<kind->slug-1a2b` for a run that started at `startedAt` auditing `label`. */
export function runId(startedAt: Date, label: string, kind?: string): string {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const slug =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 32) || 'run';
  return `${stamp}-${kind === undefined ? '' : `${kind}-`}${slug}-${randomBytes(2).toString('hex')}`;
}

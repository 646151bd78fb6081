/** Parsers for the campaign options of `run` and `sim`: --vantage, --vantage-meta KEY=VALUE, --extra-delay ROLE=MS. */
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../core/errors.js';
import type { Vantage } from '../core/types.js';

const NAME = /^[A-Za-z0-9._-]+$/;

/** Repeatable `KEY=VALUE` collector (`--vantage-meta country=DE --vantage-meta asn=AS3320`). */
export function keyValue(name: string): (value: string, previous?: Record<string, string>) => Record<string, string> {
  return (value, previous = {}) => {
    const at = value.indexOf('=');
    const key = value.slice(0, at);
    if (at <= 0 || !NAME.test(key))
      throw new InvalidArgumentError(`${name} takes KEY=VALUE (KEY of letters, digits, . _ -), got "${value}"`);
    if (key === 'name') throw new InvalidArgumentError(`${name}: "name" is set by --vantage`);
    return { ...previous, [key]: value.slice(at + 1) };
  };
}

/** The vantage point from --vantage and --vantage-meta; meta without a name is a usage error. */
export function vantageOf(name: string | undefined, meta: Record<string, string> | undefined): Vantage | undefined {
  if (name === undefined) {
    if (meta !== undefined) throw new UsageError('--vantage-meta needs --vantage NAME');
    return undefined;
  }
  if (!NAME.test(name))
    throw new UsageError(`--vantage must be letters, digits, . _ - (it names files), got "${name}"`);
  return { ...(meta ?? {}), name };
}

/** Repeatable `ROLE=MS` collector for the built-in platform's extra per-role delay. */
export function roleDelay(
  name: string,
): (
  value: string,
  previous?: Partial<Record<'reference' | 'subject', number>>,
) => Partial<Record<'reference' | 'subject', number>> {
  return (value, previous = {}) => {
    const [role, ms] = value.split('=');
    const delay = Number(ms);
    if ((role !== 'reference' && role !== 'subject') || ms === undefined || !Number.isFinite(delay) || delay < 0)
      throw new InvalidArgumentError(`${name} takes ROLE=MS with ROLE reference or subject and MS ≥ 0, got "${value}"`);
    return { ...previous, [role]: delay };
  };
}

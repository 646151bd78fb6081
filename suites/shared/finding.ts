/** The fields every finding starts with, and the rounding findings use for their numbers. */
import type { Reference, Suite } from '../../src/core/types.js';

/** What a finding takes from its check. */
export interface CheckHead {
  id: string;
  title: string;
  suite: Suite;
  references: Reference[];
}

/** The head of a finding about `cohort` (compared with `reference`, for parity), in results.json's field order. */
export function findingHead(check: CheckHead, cohort: string | null, reference: string | null, variant?: string) {
  return {
    checkId: check.id,
    title: check.title,
    suite: check.suite,
    cohort,
    reference,
    ...(variant === undefined ? {} : { variant }),
    references: check.references,
  };
}

/** `value` rounded to `digits` decimals (non-finite values as they are), so recorded numbers stay short. */
export function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Number.isFinite(value) ? Math.round(value * scale) / scale : value;
}

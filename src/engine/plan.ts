/** Selects the checks of a run from `--check` ids/globs and `--suite` names. */
import { UsageError } from '../core/errors.js';
import { SUITES, type Suite } from '../core/types.js';
import type { CheckDefinition } from './check.js';

export interface Selection {
  checks?: readonly string[];
  suites?: readonly string[];
}

/** The checks matching every given filter, in catalogue order; a filter that matches nothing is a usage error. */
export function selectChecks(catalogue: readonly CheckDefinition[], selection: Selection): CheckDefinition[] {
  const suites = selection.suites ?? [];
  for (const suite of suites) {
    if (!(SUITES as readonly string[]).includes(suite))
      throw new UsageError(`unknown suite "${suite}"`, `suites are ${SUITES.join(', ')}`);
  }
  const patterns = (selection.checks ?? []).map((glob) => ({ glob, regex: globToRegex(glob) }));
  for (const { glob, regex } of patterns) {
    if (!catalogue.some((check) => regex.test(check.id)))
      throw new UsageError(`--check ${glob} matches no check`, 'dma-audit checks lists them');
  }
  return catalogue.filter(
    (check) =>
      (suites.length === 0 || suites.includes(check.suite as Suite)) &&
      (patterns.length === 0 || patterns.some(({ regex }) => regex.test(check.id))),
  );
}

/** `PAR-LAT-*` → /^PAR-LAT-.*$/i; only `*` and `?` are special. */
export function globToRegex(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

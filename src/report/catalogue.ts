/**
 * What each check means, in the catalogue's own words (each check's `description`), for the
 * "what this check means" line of the reports. The run records the descriptions of the checks it
 * ran (`run.selection.descriptions`), so a report rendered from a bundle says what that version
 * meant; an id the bundle has no description for gets none.
 */
import type { Results } from '../core/types.js';

/** The plain description of a check id as the run recorded it, or null. */
export function checkMeaning(results: Results, checkId: string): string | null {
  return results.run.selection.descriptions?.[checkId] ?? null;
}

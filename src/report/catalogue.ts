/**
 * What each check means, in the catalogue's own words (each check's `description`), for the
 * "what this check means" line of the reports. Ids are stable forever, so a bundle from an older
 * version still finds its text; an id the catalogue does not know gets none.
 */
import { CATALOGUE } from '../../suites/index.js';

const DESCRIPTIONS: ReadonlyMap<string, string> = new Map(CATALOGUE.map((check) => [check.id, check.description]));

/** The plain description of a check id, or null when the catalogue has no such check. */
export function checkMeaning(checkId: string): string | null {
  return DESCRIPTIONS.get(checkId) ?? null;
}

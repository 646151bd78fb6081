/** results.json as a reporter: pretty-printed with a trailing newline, byte-identical to the bundle's own file. */
import type { BundleView } from './types.js';

/** Renders the results JSON. */
export function renderJson(view: BundleView): string {
  return `${JSON.stringify(view.results, null, 2)}\n`;
}

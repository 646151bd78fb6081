/** The E2EE-* checks. */
import type { CheckDefinition } from '../../src/engine/check.js';

/** The E2EE-* checks, in catalogue order. */
export const e2eeChecks: CheckDefinition[] = [];

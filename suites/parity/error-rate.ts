/** The PAR-ERR-* checks. */
import type { CheckDefinition } from '../../src/engine/check.js';

/** The PAR-ERR-* checks, in catalogue order. */
export const errorRateChecks: CheckDefinition[] = [];

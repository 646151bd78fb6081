/** The PAR-FEE-* checks. */
import type { CheckDefinition } from '../../src/engine/check.js';

/** The PAR-FEE-* checks, in catalogue order. */
export const feeChecks: CheckDefinition[] = [];

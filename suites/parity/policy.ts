/** The PAR-POL-* checks. */
import type { CheckDefinition } from '../../src/engine/check.js';

/** The PAR-POL-* checks, in catalogue order. */
export const policyChecks: CheckDefinition[] = [];

/** The PAR-FEAT-* checks. */
import type { CheckDefinition } from '../../src/engine/check.js';

/** The PAR-FEAT-* checks, in catalogue order. */
export const featureChecks: CheckDefinition[] = [];

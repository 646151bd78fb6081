/** The PAR-RL-* checks. */
import type { CheckDefinition } from '../../src/engine/check.js';

/** The PAR-RL-* checks, in catalogue order. */
export const rateLimitChecks: CheckDefinition[] = [];

/** The conformance (CONF-*) checks. */
import type { CheckDefinition } from '../../src/engine/check.js';

/** The conformance (CONF-*) checks, in catalogue order. */
export const conformanceChecks: CheckDefinition[] = [];

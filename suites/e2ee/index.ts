/** The E2EE-* checks: the recipient's keys as each cohort is served them, and a real Signal session per cohort. */
import type { CheckDefinition } from '../../src/engine/check.js';
import { keyMaterialChecks } from './keys/material.js';
import { keyParityChecks } from './keys/parity.js';
import { sessionChecks } from './sessions/checks.js';

/** The E2EE-* checks, in catalogue order. */
export const e2eeChecks: CheckDefinition[] = [...keyMaterialChecks, ...keyParityChecks, ...sessionChecks];

/** The conformance (CONF-*) checks: the platform speaks its own published API, the precondition for every parity verdict. */
import type { CheckDefinition } from '../../src/engine/check.js';
import { apiChecks } from './api/index.js';
import { keyChecks } from './keys/index.js';
import { webhookChecks } from './webhooks/index.js';

/** The conformance (CONF-*) checks, in catalogue order. */
export const conformanceChecks: CheckDefinition[] = [...apiChecks, ...webhookChecks, ...keyChecks];

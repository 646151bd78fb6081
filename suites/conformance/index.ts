/** The conformance (CONF-*) checks: the platform speaks its own published API, the precondition for every parity verdict. */
import type { CheckDefinition } from '../../src/engine/check.js';
import { apiChecks } from './api.js';
import { keyChecks } from './keys.js';
import { webhookChecks } from './webhooks.js';

/** The conformance (CONF-*) checks, in catalogue order. */
export const conformanceChecks: CheckDefinition[] = [...apiChecks, ...webhookChecks, ...keyChecks];

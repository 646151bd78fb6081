/** The check catalogue, in the order checks run and findings are listed (docs/architecture.md, "Check families"). Ids are stable forever. */
import type { CheckDefinition } from '../src/engine/check.js';
import { conformanceChecks } from './conformance/index.js';
import { e2eeChecks } from './e2ee/index.js';
import { errorRateChecks } from './parity/error-rate/index.js';
import { featureChecks } from './parity/features/index.js';
import { feeChecks } from './parity/fees/index.js';
import { latencyChecks } from './parity/latency/index.js';
import { policyChecks } from './parity/policy/index.js';
import { rateLimitChecks } from './parity/rate-limits/index.js';

/** Every check dma-audit knows. */
export const CATALOGUE: readonly CheckDefinition[] = [
  ...conformanceChecks,
  ...latencyChecks,
  ...errorRateChecks,
  ...feeChecks,
  ...rateLimitChecks,
  ...featureChecks,
  ...policyChecks,
  ...e2eeChecks,
];

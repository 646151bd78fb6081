/** The check catalogue, in the order checks run and findings are listed. Ids are stable forever. */
import type { CheckDefinition } from '../src/engine/check.js';
import { latencyChecks } from './parity/latency.js';

/** Every check dma-audit knows. */
export const CATALOGUE: readonly CheckDefinition[] = [...latencyChecks];

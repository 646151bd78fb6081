/** An AnalysisContext for unit tests of `analyse` functions, with the config schema's defaults. */
import { loadConfig } from '../config/load.js';
import type { AnalysisConfig } from '../config/types.js';
import type { AnalysisContext } from './check.js';

const DEFAULTS: AnalysisConfig = loadConfig(
  {
    target: { name: 'test' },
    cohorts: [
      { id: 'ref', role: 'reference' },
      { id: 'sub', role: 'subject' },
    ],
  },
  {},
).config.analysis;

type Party = { id: string; label: string };

/** Reference `ref`, one subject `sub` (or the given ones), the schema's analysis defaults with `analysis` on top. */
export function testAnalysisContext(
  options: { analysis?: Partial<AnalysisConfig>; reference?: Party; subjects?: Party[]; seed?: number } = {},
): AnalysisContext {
  return {
    analysis: { ...DEFAULTS, ...(options.analysis ?? {}) },
    reference: options.reference ?? { id: 'ref', label: 'Reference' },
    subjects: options.subjects ?? [{ id: 'sub', label: 'Subject' }],
    seed: options.seed ?? 1,
    target: { feeHeaders: [], pinnedIdentityKey: null },
  };
}

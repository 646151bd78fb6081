/** The shape of a `verify` report: one named check per property a bundle must have. */
import type { Finding, Observation, Results } from '../core/types.js';

/** One property of the bundle and every reason it does not hold. */
export interface VerifyCheck {
  /** Stable name: manifest, paths, digests, signature, public-key, results, har, secrets, recompute. */
  name: string;
  ok: boolean;
  /** What differs (when not ok), or a short confirmation of what was checked. */
  details: string[];
}

/** The whole verdict on a bundle; `ok` only when every check holds. */
export interface VerifyReport {
  ok: boolean;
  checks: VerifyCheck[];
}

/** Re-derives every finding from a bundle's results and raw samples (the app supplies it: src/app/audit.ts). */
export type RecomputeFindings = (results: Results, observations: Observation[]) => Finding[];

/** Options of `verifyBundle`. */
export interface VerifyOptions {
  /** PEM SPKI of the key the bundle must be signed with; unpinned, any self-consistent signature passes. */
  publicKeyPem?: string;
  /** The analysis to re-run: this version's checks over the bundle's samples. */
  recompute: RecomputeFindings;
}

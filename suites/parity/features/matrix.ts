/** The capability × cohort matrix from recorded attempts, and what the subject lacks (PAR-FEAT-001/002). Pure. */
import type { Observation } from '../../../src/core/types.js';
import { numberField, stringField } from '../../shared/send.js';

/** Cell text: "ok", or the last refusal as "<code>: <message>" (or the transport outcome). */
export type Matrix = Record<string, Record<string, string>>;

/** Whether an attempt failed for a reason that may pass on a retry (5xx, throttling, transport failure). */
export function isTransient(outcome: string | undefined, status: number): boolean {
  return outcome !== 'ok' && (outcome !== 'http-error' || status >= 500 || status === 429);
}

/** A failed attempt as a cell text. */
export function failureText(observation: Observation): string {
  const code = numberField(observation.data?.errorCode);
  const message = stringField(observation.data?.errorMessage);
  if (code !== null) return `${code}: ${message ?? 'error'}`;
  const status = numberField(observation.data?.status) ?? 0;
  if (status > 0) return `HTTP ${status}`;
  return observation.outcome === undefined || observation.outcome === 'ok' ? 'no answer' : observation.outcome;
}

/** matrix[capability][cohort] from every attempt of kind `kind` (variant = capability); "ok" wins over failures. */
export function buildMatrix(
  observations: readonly Observation[],
  kind: string,
  isOk: (o: Observation) => boolean,
  describeFailure: (o: Observation) => string = failureText,
): Matrix {
  const matrix: Matrix = {};
  for (const o of observations) {
    if (o.kind !== kind || o.variant === undefined) continue;
    const row = (matrix[o.variant] ??= {});
    if (row[o.cohort] === 'ok') continue;
    row[o.cohort] = isOk(o) ? 'ok' : describeFailure(o);
  }
  return matrix;
}

/** Capabilities the reference has and the subject lacks, with the subject's cell. */
export function missingFor(
  matrix: Matrix,
  reference: string,
  subject: string,
): Array<{ capability: string; subject: string }> {
  return Object.entries(matrix)
    .filter(([, row]) => row[reference] === 'ok' && row[subject] !== 'ok')
    .map(([capability, row]) => ({ capability, subject: row[subject] ?? 'not tried' }));
}

/** Capabilities no cohort could use (not a parity failure, but worth reporting). */
export function unavailableToAll(matrix: Matrix): string[] {
  return Object.entries(matrix)
    .filter(([, row]) => Object.values(row).every((cell) => cell !== 'ok'))
    .map(([capability]) => capability);
}

/** Whether any of `cohort`'s attempts at `capability` was a definite refusal (not a fault a retry might clear). */
export function wasRefused(
  observations: readonly Observation[],
  kind: string,
  cohort: string,
  capability: string,
): boolean {
  return observations.some(
    (o) =>
      o.kind === kind &&
      o.cohort === cohort &&
      o.variant === capability &&
      o.outcome !== 'ok' &&
      !isNotSent(o.outcome) &&
      !isTransient(o.outcome, numberField(o.data?.status) ?? 0),
  );
}

/** How many of `cohort`'s attempts met a fault that may be transient (5xx, 429, reset, timeout, bad body…). */
export function transientFaults(observations: readonly Observation[], kind: string, cohort: string): number {
  return observations.filter(
    (o) =>
      o.kind === kind &&
      o.cohort === cohort &&
      o.outcome !== 'ok' &&
      !isNotSent(o.outcome) &&
      isTransient(o.outcome, numberField(o.data?.status) ?? 0),
  ).length;
}

/** Requests the harness itself withheld say nothing about the platform. */
export function isNotSent(outcome: string | undefined): boolean {
  return outcome === 'budget-exhausted' || outcome === 'cancelled';
}

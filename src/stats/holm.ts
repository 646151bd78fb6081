import padjust from '@stdlib/stats-padjust';

/** Holm–Bonferroni adjusted p-values, in the input order (Holm 1979, via @stdlib/stats-padjust). */
export function holm(pValues: readonly number[]): number[] {
  if (pValues.length === 0) return [];
  return padjust([...pValues], 'holm');
}

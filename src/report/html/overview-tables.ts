/**
 * The fee table and the feature matrix of the whole run, each in one place: merged over a check's
 * findings (each finding holds the reference and one subject), so every cohort is a column.
 */
import type { Finding, JsonObject, JsonValue } from '../../core/types.js';
import { escapeHtml } from '../escape.js';
import { jsonTable, matrixCellClass } from './tables.js';

const TABLES: Array<{ key: string; title: string }> = [
  { key: 'fees', title: 'Fees' },
  { key: 'matrix', title: 'Feature matrix' },
];

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keyed tables merge row by row (later cohorts add columns); anything else is the first finding's. */
function merged(findings: readonly Finding[], key: string): JsonValue | null {
  const values = findings.map((f) => f.measurements[key]).filter((v): v is JsonValue => v !== undefined);
  const [first] = values;
  if (first === undefined) return null;
  if (!values.every(isObject)) return first;
  const out: JsonObject = {};
  for (const value of values as JsonObject[]) {
    for (const [row, cells] of Object.entries(value)) {
      const before = out[row];
      out[row] = isObject(before) && isObject(cells) ? { ...before, ...cells } : cells;
    }
  }
  return out;
}

/** One section with every check's fee table and feature matrix, or '' when no finding has one. */
export function overviewTables(findings: readonly Finding[]): string {
  const parts: string[] = [];
  for (const checkId of [...new Set(findings.map((f) => f.checkId))]) {
    const mine = findings.filter((f) => f.checkId === checkId);
    for (const { key, title } of TABLES) {
      const value = merged(mine, key);
      if (value === null) continue;
      const options =
        key === 'matrix' ? { rowHeader: 'capability', cellClass: matrixCellClass } : { rowHeader: 'cohort' };
      parts.push(
        `<h3>${escapeHtml(title)}: <code>${escapeHtml(checkId)}</code> ${escapeHtml(mine[0]?.title ?? '')}</h3>${jsonTable(value, options)}`,
      );
    }
  }
  return parts.length === 0 ? '' : `<section id="tables"><h2>Fees and features</h2>${parts.join('')}</section>`;
}

/** Renders any measurement value as an HTML table, whatever its shape, so unknown measurements still show. */
import type { JsonObject, JsonValue } from '../../core/types.js';
import { escapeHtml } from '../escape.js';
import { formatValue } from '../format.js';

/** How to render one table. */
export interface TableOptions {
  /** Header of the first column when rows are keyed (e.g. `capability`). */
  rowHeader?: string;
  /** Extra class for a data cell, e.g. to colour `ok` against an error code. */
  cellClass?: (value: JsonValue | undefined) => string | undefined;
}

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Column names in first-seen order: stable because JSON keeps key order through a round trip. */
function unionKeys(rows: readonly JsonObject[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  return [...keys];
}

function cell(value: JsonValue | undefined, options: TableOptions): string {
  const cls = options.cellClass?.(value);
  return `<td${cls === undefined ? '' : ` class="${cls}"`}>${escapeHtml(formatValue(value))}</td>`;
}

function table(head: readonly string[], rows: readonly string[]): string {
  const ths = head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  return `<div class="table-wrap" tabindex="0"><table class="data"><thead><tr>${ths}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function keyedRows(value: JsonObject, options: TableOptions): string {
  const inner = Object.values(value).filter(isJsonObject);
  const columns = unionKeys(inner);
  const rows = Object.entries(value).map(([key, row]) => {
    const cells = columns.map((column) => cell(isJsonObject(row) ? row[column] : undefined, options)).join('');
    return `<tr><th scope="row">${escapeHtml(key)}</th>${cells}</tr>`;
  });
  return table([options.rowHeader ?? 'item', ...columns], rows);
}

function listRows(value: readonly JsonObject[], options: TableOptions): string {
  const columns = unionKeys(value);
  const rows = value.map((row) => `<tr>${columns.map((column) => cell(row[column], options)).join('')}</tr>`);
  return table(columns, rows);
}

function keyValueRows(value: JsonObject): string {
  const rows = Object.entries(value).map(
    ([key, inner]) => `<tr><th scope="row">${escapeHtml(key)}</th><td>${escapeHtml(formatValue(inner))}</td></tr>`,
  );
  return `<table class="data kv"><tbody>${rows.join('')}</tbody></table>`;
}

/** A table for any JSON value: keyed objects of objects, lists of objects, flat objects, or plain text. */
export function jsonTable(value: JsonValue, options: TableOptions = {}): string {
  if (isJsonObject(value)) {
    const values = Object.values(value);
    if (values.length > 0 && values.every(isJsonObject)) return keyedRows(value, options);
    return keyValueRows(value);
  }
  if (Array.isArray(value) && value.length > 0 && value.every(isJsonObject))
    return listRows(value as JsonObject[], options);
  return `<p class="value">${escapeHtml(formatValue(value))}</p>`;
}

/** Colours a capability-matrix cell: `ok`, `delivered` (inbound events) or true green, anything else (an error code) red. */
export function matrixCellClass(value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return value === 'ok' || value === 'delivered' || value === true ? 'cell-ok' : 'cell-bad';
}

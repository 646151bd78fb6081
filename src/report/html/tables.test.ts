import { describe, expect, it } from 'vitest';
import { jsonTable, matrixCellClass } from './tables.js';

describe('jsonTable', () => {
  it('renders an object of objects as a keyed matrix with the union of columns', () => {
    const out = jsonTable(
      { text: { a: 'ok' }, list: { a: 'ok', b: 131051 } },
      { rowHeader: 'capability', cellClass: matrixCellClass },
    );
    expect(out).toContain(
      '<thead><tr><th scope="col">capability</th><th scope="col">a</th><th scope="col">b</th></tr></thead>',
    );
    expect(out).toContain('<tr><th scope="row">text</th><td class="cell-ok">ok</td><td>—</td></tr>');
    expect(out).toContain('<td class="cell-bad">131051</td>');
  });

  it('renders a list of objects with one column per key', () => {
    const out = jsonTable([
      { tier: 'free', upTo: 1000 },
      { tier: 'paid', eur: 0.0572 },
    ]);
    expect(out).toContain('<th scope="col">tier</th><th scope="col">upTo</th><th scope="col">eur</th>');
    expect(out).toContain('<tr><td>paid</td><td>—</td><td>0.0572</td></tr>');
  });

  it('renders a flat object as key/value rows and nested values as text', () => {
    const out = jsonTable({ total: 3, detail: { x: 1, y: [true, null] } });
    expect(out).toContain('<tr><th scope="row">total</th><td>3</td></tr>');
    expect(out).toContain('<tr><th scope="row">detail</th><td>x 1, y yes, —</td></tr>');
  });

  it('renders scalars and empty values as a paragraph, escaped', () => {
    expect(jsonTable('<b>')).toBe('<p class="value">&lt;b&gt;</p>');
    expect(jsonTable([])).toBe('<p class="value">—</p>');
  });
});

describe('matrixCellClass', () => {
  it('marks ok and true as ok, codes as bad, and leaves empty cells alone', () => {
    expect(matrixCellClass('ok')).toBe('cell-ok');
    expect(matrixCellClass(true)).toBe('cell-ok');
    expect(matrixCellClass('delivered')).toBe('cell-ok');
    expect(matrixCellClass('missing')).toBe('cell-bad');
    expect(matrixCellClass(368)).toBe('cell-bad');
    expect(matrixCellClass(null)).toBeUndefined();
  });
});

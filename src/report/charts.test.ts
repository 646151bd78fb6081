import { describe, expect, it } from 'vitest';
import { ecdfPoints, ecdfSpec, renderSvgs, shiftSpec } from './charts.js';

describe('ecdfPoints', () => {
  it('keeps every sample of a small set, sorted, with cumulative shares', () => {
    expect(ecdfPoints([30, 10, 20, 40])).toEqual([
      { ms: 10, share: 0.25 },
      { ms: 20, share: 0.5 },
      { ms: 30, share: 0.75 },
      { ms: 40, share: 1 },
    ]);
  });

  it('thins a large set to evenly spaced ranks, keeping the minimum and the maximum', () => {
    const points = ecdfPoints(
      Array.from({ length: 1001 }, (_, i) => 1000 - i),
      5,
    );
    expect(points).toEqual([
      { ms: 0, share: 1 / 1001 },
      { ms: 250, share: 251 / 1001 },
      { ms: 500, share: 501 / 1001 },
      { ms: 750, share: 751 / 1001 },
      { ms: 1000, share: 1 },
    ]);
  });

  it('handles one sample', () => {
    expect(ecdfPoints([7])).toEqual([{ ms: 7, share: 1 }]);
  });
});

describe('renderSvgs', () => {
  it('renders vega-lite specs to standalone SVG in the order given', async () => {
    const [ecdf, shift] = await renderSvgs([
      ecdfSpec(
        [
          { cohort: 'ref', latenciesMs: [1, 2, 3] },
          { cohort: 'sub', latenciesMs: [2, 3, 4] },
        ],
        'ecdf',
      ),
      shiftSpec([{ label: 'row', estimateMs: 1, ciLowMs: 0.5, ciHighMs: 2 }], 0.4, 'shift'),
    ]);
    expect(ecdf).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(ecdf).toContain(`aria-label="Symbol legend titled 'cohort' for stroke color with 2 values: ref, sub"`);
    expect(ecdf).toContain('d="M0,133.333L140,133.333L140,66.667L280,66.667L280,0" stroke="#4c6ef5"');
    expect(shift).toContain('>row</text>');
    expect(shift).toContain('class="mark-rect role-mark');
  });
});

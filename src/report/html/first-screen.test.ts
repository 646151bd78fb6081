import { describe, expect, it } from 'vitest';
import { fixtureView, HOSTILE } from '../fixtures.test-helpers.js';
import { renderHtml } from './document.js';
import { verdictGrid, violationList } from './first-screen.js';

const view = fixtureView();
const html = await renderHtml(view);

describe('report.html first screen', () => {
  it('comes first: title, verdict, violations and grid before the findings table', () => {
    const order = [
      '<h1>',
      'class="overall',
      'id="violations"',
      'id="grid"',
      'id="findings"',
      'id="details"',
      'id="run"',
    ];
    const positions = order.map((needle) => html.indexOf(needle));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('lists every violation in plain words with its check id, linked to its card, and the legal basis', () => {
    const list = violationList(view.results);
    expect(list.match(/<li>/g)?.length).toBe(3);
    expect(list).toContain(
      '<li><span class="plain">Third-party assistant is refused interactive.list (131051); Meta AI may use all of them</span>',
    );
    expect(list).toContain(
      '<a href="#finding-0"><code>PAR-LAT-001 text</code></a> <span class="basis">(DMA Art. 6(7), Art. 6(5))</span>',
    );
  });

  it('draws a check × cohort grid with one cell per cohort and counts when a check has several findings', () => {
    const grid = verdictGrid(view.results);
    expect(grid).toContain('<th scope="col">Meta AI<br><code>meta-ai</code></th>');
    expect(grid).toContain('<th scope="col">all</th>');
    expect(grid).toContain(
      '<tr><th scope="row" title="Sending a message, of every type, takes ' +
        'no longer for a third-party assistant than for the gatekeeper’s ' +
        'own assistant."><code>PAR-LAT-001</code></th><td class="none">—</td><td><span ' +
        'class="chip v-fail" title="1 fail">1 fail</span> ' +
        '<span class="chip v-pass" title="1 pass">1 pass</span></td><td class="none">—</td></tr>',
    );
    expect(grid).toContain('<td><span class="chip v-inconclusive" title="1 inconclusive">open</span></td>');
  });

  it('collapses passing details, keeps the rest open, and says what each known check means', () => {
    expect(html).toMatch(/<article class="finding v-border-pass" id="finding-1"><details><summary>/);
    expect(html).toMatch(/<article class="finding v-border-fail" id="finding-0"><details open><summary>/);
    expect(html).toContain(
      '<p class="means"><strong>What this check means:</strong> Sending a message, of every type, takes no longer',
    );
  });

  it('shows a reproduction per failing finding, escaped', () => {
    expect(html).toContain(
      '<h4>Reproduce (also in the bundle as <code>repro/PAR-LAT-001-assistant-text.sh</code>)</h4>',
    );
    expect(html).toContain('<pre class="repro" tabindex="0"><code>#!/bin/sh');
    expect(html).not.toContain(HOSTILE);
  });

  it('keeps the fee table and the feature matrix in one section after the first screen', () => {
    const tables = html.slice(html.indexOf('<section id="tables">'), html.indexOf('<section id="findings">'));
    expect(tables).toContain('<h3>Feature matrix: <code>PAR-FEAT-001</code> Outbound capability parity</h3>');
    expect(tables).toContain('<td class="cell-bad">131051</td>');
    expect(tables).toContain('<h3>Fees: <code>PAR-FEE-001</code> No fee signal for the subject</h3>');
  });

  it('has a print stylesheet that opens collapsed details', () => {
    expect(html).toContain('@media print');
    expect(html).toContain('details::details-content');
  });
});

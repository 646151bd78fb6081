import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/types.js';
import { fixtureView, HOSTILE } from '../fixtures.test-helpers.js';
import type { BundleView } from '../types.js';
import { renderHtml } from './document.js';

const html = await renderHtml(fixtureView());

function count(text: string, needle: string | RegExp): number {
  return text.split(needle).length - 1;
}

describe('renderHtml: content', () => {
  it('has a header with target, run id, status, seed and cohorts', () => {
    expect(html).toContain('<title>dma-audit report — Reference platform — 2026-07-01T10-00-00Z-abc123</title>');
    expect(html).toContain('<dt>Status</dt><dd><strong>complete</strong></dd>');
    expect(html).toContain('<dt>Seed</dt><dd><code>42</code></dd>');
    expect(html).toContain('Third-party assistant (<code>assistant</code>, subject)');
    expect(html).toContain('scenario <code>self-preferencing</code>');
  });

  it('summarises verdicts from results.summary', () => {
    expect(html).toContain('<p class="overall exit-1">Violations found: at least one check failed.</p>');
    expect(html).toContain('<li><span class="badge v-fail">fail</span> 3</li>');
    expect(html).toContain('<li><span class="badge v-error">error</span> 1</li>');
  });

  it('groups the findings table by suite in catalogue order, one row per finding', () => {
    const headings = [...html.matchAll(/<h3>(conformance|parity|e2ee)<\/h3>/g)].map((m) => m[1]);
    expect(headings).toEqual(['conformance', 'parity', 'e2ee']);
    const table = html.slice(
      html.indexOf('<section id="findings">'),
      html.indexOf('</section>', html.indexOf('<section id="findings">')),
    );
    expect(count(table, '<tr><td><span class="badge')).toBe(8);
    const parity = table.slice(table.indexOf('<h3>parity</h3>'), table.indexOf('<h3>e2ee</h3>'));
    expect([...parity.matchAll(/badge v-(\w+)/g)].map((m) => m[1])).toEqual([
      'fail',
      'fail',
      'fail',
      'inconclusive',
      'pass',
    ]);
  });

  it('shows expected vs observed from the measurements', () => {
    expect(html).toContain('<tr><th scope="row">medianMs</th><td class="num">40</td><td class="num">78</td></tr>');
    expect(html).toContain('expected (reference: meta-ai)');
  });

  it('renders the feature matrix with error codes marked and the fee table generically', () => {
    expect(html).toContain('<h4>Feature matrix</h4>');
    expect(html).toContain(
      '<tr><th scope="row">interactive.list</th><td class="cell-ok">ok</td><td class="cell-bad">131051</td></tr>',
    );
    expect(html).toContain('<th scope="col">amountEur</th>');
    expect(html).toContain('<tr><td>assistant</td><td>20</td><td>20</td><td>1.144</td></tr>');
  });

  it('links evidence to the exchanges appendix and flags ids missing from the HAR', () => {
    expect(html).toContain('<a href="#har-e1"><code>e1</code></a>');
    expect(html).toContain('<tr id="har-e1"><td><code>e1</code></td><td>meta-ai</td><td>POST</td>');
    expect(html).toContain('<li class="missing"><code>e-missing</code> (not in exchanges.har)</li>');
    expect(html).not.toContain('id="har-e7"');
    expect(html).toContain('6 of 7 recorded exchanges are cited');
    expect(html).toContain('blocked 0 · connect 1 · send 0.5 · wait 40 · receive 1');
  });

  it('shows the reason of skipped and errored findings', () => {
    expect(html).toContain('<p class="reason">Reason: ECONNRESET from the interop relay</p>');
  });
});

describe('renderHtml: charts', () => {
  it('has an ECDF and a shift chart per latency finding, plus the overview, as inline vega SVG', () => {
    expect(count(html, '<figure class="chart ecdf"><svg')).toBe(2);
    expect(count(html, '<figure class="chart shift"><svg')).toBe(2);
    expect(count(html, '<figure class="chart overview"><svg')).toBe(1);
    // one step line per cohort in each of the two ECDFs
    expect(count(html, /<g class="mark-line role-mark/g)).toBe(4);
    expect(count(html, /<g class="mark-symbol role-mark/g)).toBe(3);
  });

  it('has no chart for a bundle without latency findings', async () => {
    const view = fixtureView();
    view.results.findings = view.results.findings.filter((f) => f.checkId !== 'PAR-LAT-001');
    const plain = await renderHtml(view);
    expect(plain).not.toContain('<svg');
    expect(plain).not.toContain('id="latency"');
  });
});

describe('renderHtml: safety', () => {
  it('escapes hostile strings from the bundle everywhere', () => {
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
  });

  it('never links to a non-http URL', () => {
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('<li>DMA Art. 6(5)</li>');
    expect(html).toContain(
      '<a href="https://eur-lex.europa.eu/eli/reg/2022/1925/oj" rel="noreferrer noopener">DMA Art. 6(7)</a>',
    );
  });

  it('loads nothing: no src, no link, no CSS url() other than in-page references, and a CSP forbidding loads', () => {
    expect(html).not.toMatch(/\ssrc=|<link|<img|<iframe|<object|@import/i);
    expect(html.match(/url\([^)]*\)/g)?.every((u) => u.startsWith('url(#')) ?? true).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;`);
  });

  it('escapes hostile cohort and variant names inside the vega charts too', async () => {
    const view = fixtureView();
    const evil = '<img src=x onerror=alert(2)>';
    const rename = (id: string): string => (id === 'assistant' ? evil : id);
    view.results.findings = view.results.findings.map((f): Finding => ({
      ...f,
      cohort: f.cohort === null ? null : rename(f.cohort),
    }));
    view.observations = view.observations.map((o) => ({ ...o, cohort: rename(o.cohort) }));
    const out = await renderHtml(view);
    expect(out).toContain('<figure class="chart ecdf"><svg');
    expect(out).not.toContain(evil);
    expect(out).not.toMatch(/<img/i);
  });
});

describe('renderHtml: determinism', () => {
  it('renders byte-identical output for the same bundle, even when renders overlap', async () => {
    const views: BundleView[] = [fixtureView(), fixtureView(), fixtureView()];
    const outputs = await Promise.all(views.map((v) => renderHtml(v)));
    expect(outputs[0]).toBe(html);
    expect(outputs[1]).toBe(html);
    expect(outputs[2]).toBe(html);
  });

  it('says so when a run was interrupted', async () => {
    const view = fixtureView();
    view.results.run.status = 'interrupted';
    view.results.summary.exitCode = 3;
    const out = await renderHtml(view);
    expect(out).toContain('<dd><strong>interrupted</strong></dd>');
    expect(out).toContain('exit-3">No violation found, but the run was interrupted');
  });
});

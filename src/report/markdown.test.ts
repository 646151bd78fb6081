import { describe, expect, it } from 'vitest';
import { fixtureView, HOSTILE } from './fixtures.test-helpers.js';
import { renderMarkdown } from './markdown.js';

const md = renderMarkdown(fixtureView());

describe('renderMarkdown', () => {
  it('starts with the target, the overall outcome and the verdict counts', () => {
    const lines = md.split('\n');
    expect(lines[0]).toBe('# dma-audit report: Reference platform');
    expect(md).toContain('**Violations found: at least one check failed.**');
    expect(md).toContain('| ❌ fail | 3 |');
    expect(md).toContain('| **total** | **8** |');
  });

  it('lists what needs attention first, failures before errors, warnings and inconclusive', () => {
    const headings = md
      .split('\n')
      .filter((l) => l.startsWith('### '))
      .map((l) => l.split(':')[0]);
    expect(headings).toEqual([
      '### ❌ fail',
      '### ❌ fail',
      '### ❌ fail',
      '### 🛑 error',
      '### ⚠️ warn',
      '### ❔ inconclusive',
    ]);
    expect(md.indexOf('PAR-LAT-001 \\[assistant\\] (text)')).toBeLessThan(md.indexOf('## All findings'));
  });

  it('gives summaries, expected vs observed and linked legal references', () => {
    expect(md).toContain(
      '- Expected (reference) → observed: n 30 → 30; medianMs 40 → 78; p95Ms 60 → 117; p99Ms 72 → 140.4',
    );
    expect(md).toContain('- Basis: [DMA Art. 6(7)](https://eur-lex.europa.eu/eli/reg/2022/1925/oj), DMA Art. 6(5)');
    expect(md).toContain('- Reason: ECONNRESET from the interop relay');
    expect(md).toContain('- Evidence: 2 exchanges in exchanges.har (e1, e2)');
    expect(md).toContain('- Evidence: 1 exchange in exchanges.har (e4)');
  });

  it('has one table row per finding, failures first, passes last', () => {
    const rows = md
      .slice(md.indexOf('## All findings'))
      .split('\n')
      .filter((l) => /^\| \S+ (pass|fail|warn|inconclusive|skip|error) \| /.test(l));
    expect(rows).toHaveLength(8);
    expect(rows[0]).toMatch(/^\| ❌ fail \| PAR-LAT-001/);
    expect(rows[7]).toMatch(/^\| ✅ pass \| PAR-LAT-001 \\\[assistant\\\] \(image\)/);
  });

  it('escapes hostile strings so no HTML reaches the rendered page (code fences show them as text)', () => {
    const outsideFences = md.replace(/^(`{3,})sh\n[\s\S]*?\n\1$/gm, '');
    expect(outsideFences).not.toContain(HOSTILE);
    expect(outsideFences).not.toContain('```');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).not.toContain('javascript:');
  });

  it('leads with the violations in plain words and gives a reproduction per failing finding', () => {
    expect(md).toContain(
      "- ❌ Third-party assistant's text messages take 95% longer to send than Meta AI's (median 78 ms vs 40 ms) — PAR-LAT-001 text (DMA Art. 6(7), Art. 6(5)).",
    );
    expect(md.indexOf('- ❌')).toBeLessThan(md.indexOf('| verdict | findings |'));
    expect(md).toContain('Reproduce (also in the bundle as repro/PAR-LAT-001-assistant-text.sh):');
    expect(md).toMatch(/```sh\n#!\/bin\/sh\n/);
  });

  it('ends with a newline and is stable', () => {
    expect(md.endsWith('\n')).toBe(true);
    expect(renderMarkdown(fixtureView())).toBe(md);
  });
});

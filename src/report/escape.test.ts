import { describe, expect, it } from 'vitest';
import { anchorId, escapeHtml, escapeMarkdown, escapeXml, safeHttpUrl } from './escape.js';

describe('escapeHtml / escapeXml', () => {
  it('escapes the five markup characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('replaces characters XML cannot carry but keeps tabs, newlines and astral characters', () => {
    expect(escapeXml('a\u0000b\u001bc\td\ne\uFFFF😀')).toBe('a\uFFFDb\uFFFDc\td\ne\uFFFD😀');
  });

  it('stringifies numbers', () => {
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('escapeMarkdown', () => {
  it('neutralises HTML, links, emphasis, table pipes and line breaks', () => {
    expect(escapeMarkdown('<b>x</b> [a](javascript:1) *y* | z\nw')).toBe(
      '&lt;b&gt;x&lt;/b&gt; \\[a\\](javascript:1) \\*y\\* \\| z w',
    );
  });

  it('keeps a line from starting a list, a numbered item or a heading', () => {
    expect(['- a', '+ b', '12. c', '---', '# d', 'e - f (g)'].map(escapeMarkdown)).toEqual([
      '\\- a',
      '\\+ b',
      '\\12. c',
      '\\---',
      '\\# d',
      'e - f (g)',
    ]);
  });
});

describe('anchorId', () => {
  it('keeps plain ids and encodes everything else', () => {
    expect(anchorId('har', 'e-12.b')).toBe('har-e-12.b');
    expect(anchorId('har', 'a b"<')).toBe('har-a_20_b_22__3c_');
    expect(anchorId('har', 'a_20_')).not.toBe(anchorId('har', 'a '));
  });
});

describe('safeHttpUrl', () => {
  it('accepts http(s) only', () => {
    expect(safeHttpUrl('https://eur-lex.europa.eu/x?a=1')).toBe('https://eur-lex.europa.eu/x?a=1');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('data:text/html,x')).toBeNull();
    expect(safeHttpUrl('not a url')).toBeNull();
    expect(safeHttpUrl(undefined)).toBeNull();
  });
});

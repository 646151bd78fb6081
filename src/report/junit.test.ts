import { describe, expect, it } from 'vitest';
import { fixtureView, HOSTILE } from './fixtures.test-helpers.js';
import { renderJunit } from './junit.js';

const xml = renderJunit(fixtureView());

/** Minimal well-formedness check: balanced tags, quoted attributes, no raw `<` or stray `&` in text. */
function assertWellFormed(text: string): void {
  const body = text.replace(/^<\?xml[^?]*\?>\n/, '');
  const stack: string[] = [];
  const tokens = body.split(/(<[^>]*>)/);
  for (const token of tokens) {
    if (token.startsWith('<')) {
      const match = /^<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>$/.exec(token);
      if (match === null) throw new Error(`malformed tag: ${token}`);
      const [, closing, name = '', , selfClosing] = match;
      if (closing === '/') {
        if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
      } else if (selfClosing !== '/') stack.push(name);
    } else if (/<|&(?!(amp|lt|gt|quot|#39);)/.test(token)) {
      throw new Error(`raw markup in text: ${token}`);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed ${stack.join(', ')}`);
}

describe('renderJunit', () => {
  it('is well-formed XML with a declaration', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(() => assertWellFormed(xml)).not.toThrow();
  });

  it('has totals on testsuites and one testsuite per suite', () => {
    expect(xml).toMatch(/<testsuites name="[^"]*" tests="8" failures="4" errors="1" time="90.500">/);
    expect(xml).toContain(
      '<testsuite name="parity" tests="5" failures="4" errors="0" skipped="0" time="0" timestamp="2026-07-01T10:00:00.000Z">',
    );
    expect(xml).toContain('<testsuite name="e2ee" tests="1" failures="0" errors="1" skipped="0"');
    expect(xml).toContain('<property name="verdict.fail" value="3"/>');
  });

  it('names each testcase `checkId [cohort] (variant)` with the suite as classname', () => {
    expect(xml).toContain('<testcase classname="parity" name="PAR-LAT-001 [assistant] (text)" time="0">');
    expect(xml).toContain('<testcase classname="conformance" name="CONF-WH-001" time="0">');
  });

  it('maps verdicts to failure, error and skipped', () => {
    expect(xml).toContain(
      '<failure message="Interactive list messages are rejected for the assistant (131051)." type="fail">',
    );
    expect(xml).toContain('<error message="ECONNRESET from the interop relay" type="error">');
    expect(xml).toContain('<skipped message="no webhook section in the config"/>');
    expect(xml).toContain(
      '<failure message="inconclusive: Error rates differ by 1.5 points; cannot tell at this N." type="inconclusive">',
    );
    expect(xml).toContain('<system-out>verdict: warn\n');
  });

  it('maps inconclusive to skipped when asked, with the reason in the message', () => {
    const skipped = renderJunit(fixtureView(), { inconclusive: 'skipped' });
    expect(skipped).toContain(
      '<skipped message="inconclusive: Error rates differ by 1.5 points; cannot tell at this N." type="inconclusive"/>',
    );
    expect(skipped).toMatch(/<testsuites name="[^"]*" tests="8" failures="3" errors="1" time="90.500">/);
    expect(skipped).toContain('<testsuite name="parity" tests="5" failures="3" errors="0" skipped="1"');
  });

  it('keeps properties out of testcases and the skipped attribute off testsuites (the xunit schema allows neither)', () => {
    for (const testcase of xml.match(/<testcase[\s\S]*?(<\/testcase>|\/>)/g) ?? [])
      expect(testcase).not.toContain('<propert');
    expect(xml).not.toMatch(/<testsuites [^>]*skipped=/);
  });

  it('puts measurements and legal basis in the failure body', () => {
    expect(xml).toContain('medianMs: expected 40, observed 78\n');
    expect(xml).toContain(
      'p99Ms: expected 72, observed 140.4\nbasis: DMA Art. 6(7)\nbasis: DMA Art. 6(5)\nevidence: e1, e2</failure>',
    );
  });

  it('escapes hostile strings and characters XML cannot carry', () => {
    expect(xml).not.toContain(HOSTILE);
    const view = fixtureView();
    const [first] = view.results.findings;
    if (first === undefined) throw new Error('fixture has findings');
    first.summary = 'a "quoted" & <tagged> \u0000 \u001b summary';
    const evil = renderJunit(view);
    expect(evil).toContain('message="a &quot;quoted&quot; &amp; &lt;tagged&gt; \uFFFD \uFFFD summary"');
    expect(() => assertWellFormed(evil)).not.toThrow();
  });
});

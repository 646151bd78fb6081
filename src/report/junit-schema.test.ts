// junit.xml against the Jenkins xunit plugin's JUnit schema, with the real validator (xmllint from libxml2-utils).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureView } from './fixtures.test-helpers.js';
import { renderJunit } from './junit.js';

/** The vendored schema (fixtures/junit/README.md says where it comes from). */
const JUNIT_XSD = resolve('fixtures/junit/jenkins-xunit-junit-10.xsd');

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
if (!hasXmllint && process.env['CI'] !== 'true')
  console.warn('SKIPPED junit.xml schema validation: xmllint not found (apt-get install libxml2-utils)');

/** Runs `xmllint --schema` on the text; returns its exit status and messages. */
function validate(xml: string): { status: number | null; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'dma-junit-')), 'junit.xml');
  writeFileSync(file, xml);
  const result = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, file], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(!hasXmllint && process.env['CI'] !== 'true')('junit.xml against the Jenkins xunit JUnit XSD', () => {
  it('validates for every verdict, with inconclusive as failure and as skipped', () => {
    for (const inconclusive of ['failure', 'skipped'] as const) {
      const result = validate(renderJunit(fixtureView(), { inconclusive }));
      expect(result.output).toContain('validates');
      expect(result.status).toBe(0);
    }
  });

  it('rejects what the old format did: properties in a testcase, skipped on testsuites', () => {
    const bad = renderJunit(fixtureView())
      .replace('<testsuites ', '<testsuites skipped="1" ')
      .replace('time="0"/>', 'time="0"><properties><property name="a" value="b"/></properties></testcase>');
    const result = validate(bad);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/skipped.*not allowed/);
  });

  it('uses a schema xmllint itself accepts', () => {
    expect(() => execFileSync('xmllint', ['--noout', JUNIT_XSD])).not.toThrow();
  });
});
